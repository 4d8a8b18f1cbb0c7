#!/usr/bin/env bash
# Makes the standalone archive of the dockerless command for each RID, for hosts without .NET:
# OUTDIR/dockerless-VERSION-RID.tar.gz holding dockerless-VERSION-RID/{dockerless,LICENSE,README.md},
# and prints its sha256. The executable is the one in the Native AOT tool package
# (OUTDIR/Dockerless.Cli.RID.VERSION.nupkg, packed by scripts/pack-tool.sh when missing), so the
# archive and `dotnet tool install` ship the same bytes. The tar is reproducible: sorted, numeric
# owner 0, every mtime SOURCE_DATE_EPOCH (default: the last commit's time), gzip without a name.
#
# Usage: scripts/package-standalone.sh OUTDIR [RID...]   (default RID: this host's)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/package-standalone.sh OUTDIR [RID...]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
rids=("$@")
if [ ${#rids[@]} -eq 0 ]; then
  case "$(uname -m)" in
    x86_64) rids=(linux-x64) ;;
    aarch64) rids=(linux-arm64) ;;
    *) echo "package-standalone: no Native AOT RID for $(uname -m); name one" >&2; exit 2 ;;
  esac
fi
version=$(dotnet msbuild src/Dockerless.Cli -getProperty:Version -nologo)
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
[ -n "$epoch" ] || { echo "package-standalone: not in a git checkout: set SOURCE_DATE_EPOCH (the archive's mtimes)" >&2; exit 2; }

for rid in "${rids[@]}"; do
  package="$out/Dockerless.Cli.$rid.$version.nupkg"
  [ -f "$package" ] || bash scripts/pack-tool.sh "$out" "$rid" >&2
  name="dockerless-$version-$rid"
  stage=$(mktemp -d)
  mkdir "$stage/$name"
  unzip -p "$package" "tools/any/$rid/Dockerless.Cli" > "$stage/$name/dockerless"
  [ -s "$stage/$name/dockerless" ] || { echo "package-standalone: $package holds no tools/any/$rid/Dockerless.Cli" >&2; exit 1; }
  chmod 755 "$stage/$name/dockerless"
  install -m 644 LICENSE scripts/standalone/README.md "$stage/$name/"
  tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -cf - "$name" | gzip -9 -n > "$out/$name.tar.gz.tmp"
  mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
  rm -rf "$stage"
  (cd "$out" && sha256sum "$name.tar.gz")
done
