#!/usr/bin/env bash
# dotnet publish -t:PublishContainer: the SDK's own target against Dockerless.Build's, side by
# side on the same console sample (samples/Publish/ConsoleApp), base image and registry. For each:
# a first publish, a code-only change (one line of Program.cs), an unchanged republish; the time
# of the PublishContainer target (MSBuild's performance summary: the container step alone, which
# the compile's noise does not hide), of the whole `dotnet publish`, and the blob bytes the
# registry received. Writes bench/results/publish.md. Needs dotnet, docker-registry and curl; installs nothing.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=$REPO/bench
WORK=$BENCH_DIR/work/publish
OUT=${BENCH_OUT:-$BENCH_DIR/results/publish.md}
ROUNDS=${BENCH_ROUNDS:-3}
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/registry.sh"
for prog in dotnet docker-registry curl; do command -v "$prog" >/dev/null || die "missing: $prog"; done
rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_registries EXIT

version=0.0.0-bench.$(date +%s)
say "packing Dockerless.Build $version and building the CLI"
dotnet pack "$REPO/src/Dockerless.Build" -c Release -o "$WORK/nupkg" -p:PackageVersion="$version" >"$WORK/pack.log" 2>&1 || die "pack failed: $WORK/pack.log"
dotnet build "$REPO/src/Dockerless.Cli" -c Release >"$WORK/cli.log" 2>&1 || die "CLI build failed: $WORK/cli.log"
start_registry pub
host=$REG_pub

# The base: this machine's .NET runtime on the glibc libraries ldd names (no internet).
say "building the base image from this machine's runtime"
netcore=$(ls -d /usr/share/dotnet/shared/Microsoft.NETCore.App/* | sort | tail -n1)
rootfs=$WORK/rootfs
mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/bin" "$rootfs/tmp"
cp -a /usr/share/dotnet/dotnet /usr/share/dotnet/host "$rootfs/usr/share/dotnet/"
cp -a "$(dirname "$netcore")" "$rootfs/usr/share/dotnet/shared/"
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
chmod 1777 "$rootfs/tmp"
for lib in $( (ldd /usr/share/dotnet/dotnet; for so in "$netcore"/*.so; do ldd "$so"; done) | grep -o '/[^ ]*\.so[^ ]*' | grep -v '^/usr/share/dotnet' | sort -u); do
  mkdir -p "$rootfs$(dirname "$lib")"; cp -L "$lib" "$rootfs$lib"
done
dotnet "$REPO/src/Dockerless.Cli/bin/Release/net10.0/Dockerless.Cli.dll" build "$rootfs" -t "$host/dotnet/runtime:10.0" --platform linux/amd64 \
  --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 --env APP_UID=1654 -q >/dev/null

# Runs one publish of TOOL (sdk or ours) in DIR, to repository bench/TOOL-ROUND (each round's
# first publish finds nothing of an earlier round's); prints "target_seconds total_seconds uploaded_bytes".
publish() { # TOOL DIR ROUND
  local tool=$1 dir=$2 round=$3 mark start end extra=() env=()
  [ "$tool" = sdk ] && { extra=(-p:DockerlessPublishContainer=false); env=(DOTNET_CONTAINER_INSECURE_REGISTRIES="$host"); }
  mark=$(log_mark pub)
  : > "$WORK/last.log"
  start=$(date +%s.%N)
  env "${env[@]}" dotnet publish "$dir/ConsoleApp" -t:PublishContainer -c Release -nodeReuse:false \
    -p:DockerlessSource="$WORK/nupkg" -p:DockerlessVersion="$version" -p:ContainerRegistry="$host" \
    -p:ContainerBaseImage="$host/dotnet/runtime:10.0" -p:ContainerRepository="bench/$tool-$round" -clp:PerformanceSummary "${extra[@]}" >"$WORK/last.log" 2>&1 \
    || die "$tool publish failed: $WORK/last.log"
  end=$(date +%s.%N)
  cat "$WORK/last.log" >> "$WORK/$tool.log"
  printf '%s %s %s\n' "$(awk '$2 == "ms" && $3 == "PublishContainer" { if ($1 > t) t = $1 } END { print t / 1000 }' "$WORK/last.log")" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(log_bytes pub "$mark" | cut -d' ' -f2)"
}

declare -A secs total bytes
for round in $(seq 1 "$ROUNDS"); do
  for tool in sdk ours; do
    say "round $round: $tool"
    dir=$WORK/$tool-$round
    cp -r "$REPO/samples/Publish" "$dir"
    read -r t w b < <(publish "$tool" "$dir" "$round"); secs[$tool,first]+="$t "; total[$tool,first]+="$w "; bytes[$tool,first]=$b
    sed -i 's/Greet("console")/Greet("changed console")/' "$dir/ConsoleApp/Program.cs"
    read -r t w b < <(publish "$tool" "$dir" "$round"); secs[$tool,change]+="$t "; total[$tool,change]+="$w "; bytes[$tool,change]=$b
    read -r t w b < <(publish "$tool" "$dir" "$round"); secs[$tool,same]+="$t "; total[$tool,same]+="$w "; bytes[$tool,same]=$b
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
{
  echo "# dotnet publish -t:PublishContainer: the SDK against Dockerless.Build"
  echo
  echo "\`bash bench/publish.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, SDK $(dotnet --version), $ROUNDS rounds (medians)."
  echo "The console sample (Newtonsoft.Json and a project reference) on a 39 MB runtime base, both"
  echo "pushing to the same local docker-registry (bench/sdk-N and bench/ours-N). Each cell: the"
  echo "PublishContainer target's time (the container step), the whole \`dotnet publish\` (compile"
  echo "included) in brackets, and the blob bytes the registry received."
  echo
  echo "| step | SDK | Dockerless.Build | ratio (ours / SDK) | target |"
  echo "| --- | --- | --- | --- | --- |"
  for step in first change same; do
    s=$(echo "${secs[sdk,$step]}" | median); o=$(echo "${secs[ours,$step]}" | median)
    case $step in first) name="first publish"; target="time <= 1.0";; change) name="code-only change"; target="bytes <= 0.1, time <= 0.5";; same) name="unchanged republish"; target="time <= 0.3";; esac
    sw=$(echo "${total[sdk,$step]}" | median); ow=$(echo "${total[ours,$step]}" | median)
    printf '| %s | %.2f s (%.1f s), %s bytes | %.2f s (%.1f s), %s bytes | time %.2f, bytes %s | %s |\n' "$name" "$s" "$sw" "${bytes[sdk,$step]}" "$o" "$ow" "${bytes[ours,$step]}" \
      "$(awk -v a="$o" -v b="$s" 'BEGIN { print a / b }')" "$(awk -v a="${bytes[ours,$step]}" -v b="${bytes[sdk,$step]}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')" "$target"
  done
} > "$OUT"
cat "$OUT"
