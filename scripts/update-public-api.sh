#!/usr/bin/env bash
# Rewrites src/Dockerless/PublicAPI.Unshipped.txt from the code: every public symbol that
# PublicAPI.Shipped.txt does not list. Run it after changing the public API, then read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/Dockerless/PublicAPI.Unshipped.txt
echo '#nullable enable' > "$file"
symbols=$(dotnet build src/Dockerless -c Release --no-incremental 2>&1 \
  | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | LC_ALL=C sort -u || true)
{ echo '#nullable enable'; if [ -n "$symbols" ]; then echo "$symbols"; fi; } > "$file"
dotnet build src/Dockerless -c Release >/dev/null && echo "public API: $(($(wc -l < "$file") - 1)) unshipped symbols"
