#!/usr/bin/env bash
# Packs the dockerless tool the way `dotnet tool install Dockerless.Cli` finds it (docs/install.md):
#   Dockerless.Cli             the pointer package, naming one package per runtime identifier;
#   Dockerless.Cli.any         the framework-dependent fallback, for every other platform;
#   Dockerless.Cli.linux-x64   the Native AOT binary (and the same for linux-arm64).
# Install refuses a pointer whose package for the host is missing, so a feed for both Linux
# architectures needs both RIDs: the host's is packed natively, the other with the cross
# toolchain that scripts/install-peers.sh installs (clang, lld and the target's C runtime).
#
# Usage: scripts/pack-tool.sh OUTDIR [RID...]   (default: this host's RID only)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/pack-tool.sh OUTDIR [RID...]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
rids=("$@")
case "$(uname -m)" in x86_64) host=linux-x64 ;; aarch64) host=linux-arm64 ;; *) host="" ;; esac
[ ${#rids[@]} -gt 0 ] || [ -z "$host" ] || rids=("$host")

project=src/Dockerless.Cli
pack() { dotnet pack "$project" -c Release -o "$out" -nologo "$@"; }

pack
pack -r any -p:PublishAot=false
for rid in "${rids[@]}"; do
  # A RID's package takes its whole publish folder: nothing an earlier publish left may ship.
  rm -rf "$project/bin/Release/net10.0/$rid/publish"
  # The host's GNU ld links only its own architecture; lld links any.
  if [ "$rid" = "$host" ]; then pack -r "$rid"; else pack -r "$rid" -p:LinkerFlavor=lld; fi
done
ls -l "$out"/Dockerless.Cli*.nupkg
