#!/usr/bin/env bash
# Benchmarks the dockerless CLI against skopeo on loopback registries and writes
# bench/results/latest.md. See bench/README.md. Installs nothing: it says what is missing.
#
# Knobs: BENCH_ROUNDS (default 3) rounds per operation and tool;
#        BENCH_QUICK=1 one round and a 256 MiB image (b) instead of 1 GiB, for a smoke run;
#        BENCH_OUT (default bench/results/latest.md) where the report goes;
#        BENCH_OP_TIMEOUT (default 600) seconds before one operation counts as failed;
#        BENCH_TOOL a command line of an already built dockerless (skips packing; measures it alone);
#        BENCH_FD=0 skips the framework-dependent package (measured beside the installed tool).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work"
ROUNDS=${BENCH_ROUNDS:-3}
[ "${BENCH_QUICK:-0}" = 1 ] && ROUNDS=${BENCH_ROUNDS:-1}
OUTPUT=${BENCH_OUT:-$BENCH_DIR/results/latest.md}
RESULTS="$WORK/results.tsv"

source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/workloads.sh"
source "$BENCH_DIR/lib/registry.sh"
source "$BENCH_DIR/lib/measure.sh"
source "$BENCH_DIR/lib/ops.sh"
source "$BENCH_DIR/lib/report.sh"

check_prerequisites
[ "$(id -u)" = 0 ] || say "not root: debootstrap cannot run and skopeo's blob-info cache in /var/lib/containers may not be clearable"

started=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$WORK/logs" "$WORK/cache"
rm -f "$WORK/logs/"*
echo "$RESULTS_HEADER" > "$RESULTS"

build_tool
generate_workloads

trap stop_registries EXIT
start_registry one
start_registry two

say "seeding the registry with (a), (b) and (c) (skopeo, not measured)"
for w in a b c; do
  rm -f "$SKOPEO_CACHE" 2>/dev/null || true
  "${SKOPEO[@]}" "oci:$WORK/images/$w:1" "docker://$REG_one/base-$w:1" \
    > "$WORK/logs/seed-$w.log" 2>&1 || die "seeding base-$w failed (see bench/work/logs/seed-$w.log)"
  [ "$(served_digest "$REG_one" "base-$w" 1)" = "$(cat "$WORK/images/$w.digest")" ] \
    || die "the registry serves base-$w with another digest than the layout's"
done

for round in $(seq 1 "$ROUNDS"); do
  # Alternate who goes first, so neither tool always gets the warmer page cache.
  if [ $((round % 2)) = 1 ]; then order="ours fd skopeo"; else order="skopeo fd ours"; fi
  for op in push pull-oci pull-archive copy-same copy-other; do
    for w in a b; do
      say "round $round/$ROUNDS: $op ($w)"
      for tool in $order; do run_op "$op" "$w" "$tool" "$round"; done
    done
  done
  for w in c b; do
    say "round $round/$ROUNDS: append 1 KB to ($w) and push"
    for tool in $order; do run_op append "$w" "$tool" "$round"; done
  done
  say "round $round/$ROUNDS: build a layer from the tree"
  run_build "$round"
done

say "--version, 20 runs"
run_version

stop_registries
trap - EXIT
# The registries' storage holds a copy of every image (gigabytes); their logs stay for reading.
rm -rf "$WORK"/registry-*/data "$WORK/out"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - started ))
mkdir -p "$(dirname "$OUTPUT")"
write_report > "$OUTPUT.tmp" && mv "$OUTPUT.tmp" "$OUTPUT"
say "done in ${ELAPSED}s: $OUTPUT (raw rows: bench/work/results.tsv, logs: bench/work/logs)"
