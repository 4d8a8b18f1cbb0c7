#!/usr/bin/env bash
# Checks what scripts/pack-tool.sh and scripts/package-standalone.sh wrote into DIR, as a user
# gets it (CI runs it after the tests):
#   - `dotnet tool install` from DIR gives the Native AOT executable for this host: `dockerless`
#     is an ELF executable and the installed tool holds no managed assembly;
#   - the framework-dependent fallback (Dockerless.Cli.any) runs under `dotnet`;
#   - the other architecture's Native AOT package runs under qemu-user, when it is installed;
#   - each standalone archive in DIR unpacks and runs.
# Each of them prints its version and builds samples/hello into a docker-archive that skopeo reads.
#
# Usage: scripts/check-shipped.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: scripts/check-shipped.sh DIR" >&2; exit 2; }
dir=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-shipped: $*" >&2; exit 1; }

# Runs `CMD... --version` and builds samples/hello with it; skopeo must find the image's Cmd.
check_runs() { # NAME CMD...
  local name=$1; shift
  local version archive="$work/$name.tar"
  version=$("$@" --version) || fail "$name: --version failed"
  "$@" build samples/hello -t "docker-archive:$archive:hello:1" --to-path /app --cmd /app/hello.sh \
    || fail "$name: building samples/hello failed"
  skopeo inspect --config "docker-archive:$archive" | grep -q '"/app/hello.sh"' \
    || fail "$name: skopeo finds no Cmd /app/hello.sh in the docker-archive it built"
  echo "check-shipped: $name: $version, built samples/hello, skopeo reads it"
}

case "$(uname -m)" in
  x86_64) host=linux-x64 other=linux-arm64 qemu=qemu-aarch64 ;;
  aarch64) host=linux-arm64 other=linux-x64 qemu=qemu-x86_64 ;;
  *) fail "no Native AOT package for $(uname -m)" ;;
esac

# The tool as `dotnet tool install` gives it.
dotnet tool install --tool-path "$work/tools" --add-source "$dir" Dockerless.Cli >/dev/null
tool="$work/tools/dockerless"
file -L "$tool" | grep -q 'ELF .* executable' || fail "the installed dockerless is not a native executable: $(file -L "$tool")"
managed=$(find "$work/tools/.store" -name '*.dll' | head -n1)
[ -z "$managed" ] || fail "the installed tool holds a managed assembly ($managed): it is not the Native AOT package"
check_runs "tool install ($host, Native AOT)" "$tool"

# The framework-dependent fallback, as every platform without a Native AOT package gets it.
any=$(find "$dir" -maxdepth 1 -name 'Dockerless.Cli.any.*.nupkg' | head -n1)
[ -n "$any" ] || fail "no Dockerless.Cli.any package in $dir"
unzip -q "$any" -d "$work/any"
check_runs "Dockerless.Cli.any (framework-dependent)" dotnet "$work/any/tools/net10.0/any/Dockerless.Cli.dll"

# The other architecture, emulated.
cross=$(find "$dir" -maxdepth 1 -name "Dockerless.Cli.$other.*.nupkg" | head -n1)
if [ -n "$cross" ] && command -v "$qemu" >/dev/null 2>&1; then
  unzip -q "$cross" -d "$work/$other"
  chmod +x "$work/$other/tools/any/$other/Dockerless.Cli"
  file "$work/$other/tools/any/$other/Dockerless.Cli" | grep -q 'ELF .* executable' || fail "Dockerless.Cli.$other holds no native executable"
  check_runs "Dockerless.Cli.$other (Native AOT, under $qemu)" "$qemu" "$work/$other/tools/any/$other/Dockerless.Cli"
else
  echo "check-shipped: Dockerless.Cli.$other not run (${cross:-no package}; $qemu: apt-get install qemu-user)"
fi

# The standalone archives: this host's runs natively, the other one under qemu.
for archive in "$dir"/dockerless-*.tar.gz; do
  [ -e "$archive" ] || continue
  name=$(basename "$archive" .tar.gz)
  tar -C "$work" -xzf "$archive"
  for f in dockerless LICENSE README.md; do [ -f "$work/$name/$f" ] || fail "$name.tar.gz has no $f"; done
  case "$name" in
    *-"$host") check_runs "$name.tar.gz" "$work/$name/dockerless" ;;
    *-"$other")
      if command -v "$qemu" >/dev/null 2>&1; then check_runs "$name.tar.gz (under $qemu)" "$qemu" "$work/$name/dockerless"
      else echo "check-shipped: $name.tar.gz not run ($qemu: apt-get install qemu-user)"; fi ;;
  esac
done
