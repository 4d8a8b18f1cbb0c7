#!/usr/bin/env bash
# Installs everything the tests need (Debian peers, NuGet packages) and runs all of them.
# The test fixtures start and stop their own registries, dockerd and token endpoints.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-peers.sh
dotnet restore Dockerless.slnx
log=$(mktemp)
status=0
dotnet test Dockerless.slnx --no-restore -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
# CI keeps only the end of what it prints, so each failure is told again here, after every pass.
awk '/^ +Failed [A-Za-z]/ { show = 1; shown = 0; print "---"; }
     /^ +(Passed|Skipped) [A-Za-z]/ { show = 0 }
     show && shown++ < 40' "$log"
# One closing line for every test project together, in the form CI reads.
awk '/^ +(Passed|Failed|Skipped): [0-9]+$/ { n[$1] += $2 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", n["Passed:"], n["Failed:"], n["Skipped:"] }' "$log"
rm -f "$log"
exit "$status"
