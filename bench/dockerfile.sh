#!/usr/bin/env bash
# Benchmarks Dockerfile builds against docker build (Debian's dockerd 20.10, BuildKit):
# - push: a RUN-less Dockerfile onto a 300 MB registry base, pushed to that registry, beside
#   buildah bud + buildah push; writes bench/results/dockerfile.md;
# - run: a Dockerfile with RUN steps on a small registry base, into a local store, cold and then
#   rebuilt with nothing changed; writes bench/results/dockerfile-run.md.
# Run as root (dockerd). Ours runs with --no-cache in the rounds (every tool cold), then each tool
# rebuilds once with its cache.
# Knobs: BENCH_PART (push, run or all; default all), BENCH_ROUNDS (default 5), BENCH_BASE_MB
# (default 300), BENCH_TOOL (a built dockerless).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work/dockerfile"
ROUNDS=${BENCH_ROUNDS:-5}
BASE_MB=${BENCH_BASE_MB:-300}
OUTPUT="$BENCH_DIR/results/dockerfile.md"
RUN_OUTPUT="$BENCH_DIR/results/dockerfile-run.md"
PART=${BENCH_PART:-all}
REG_PIDS=()
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/registry.sh"

for program in docker-registry skopeo dockerd buildah openssl curl; do
  command -v "$program" >/dev/null || die "$program is missing: apt-get install -y docker-registry skopeo docker.io buildah openssl curl"
done
[ -x /usr/bin/docker ] || die "/usr/bin/docker (Debian's docker.io, BuildKit built in) is missing"
[ "$(id -u)" = 0 ] || die "run as root: dockerd and buildah need it"

rm -rf "$WORK"; mkdir -p "$WORK/base" "$WORK/context/app"
if [ -n "${BENCH_TOOL:-}" ]; then read -r -a OURS <<< "$BENCH_TOOL"
else
  dotnet build "$REPO/src/Dockerless.Cli" -c Release -o "$WORK/tool" >/dev/null
  OURS=(dotnet "$WORK/tool/Dockerless.Cli.dll")
fi

dockerd_dir="$WORK/dockerd"; mkdir -p "$dockerd_dir"
dockerd --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
  --storage-driver=overlay2 --data-root "$dockerd_dir/data" --exec-root "$dockerd_dir/exec" \
  --pidfile "$dockerd_dir/pid" -H "unix://$dockerd_dir/sock" > "$dockerd_dir/log" 2>&1 &
DOCKERD_PID=$!
cleanup() {
  kill "$DOCKERD_PID" 2>/dev/null || true; wait "$DOCKERD_PID" 2>/dev/null || true
  for pid in "${REG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
mkdir -p "$dockerd_dir/cfg"; echo "{}" > "$dockerd_dir/cfg/config.json"
export DOCKER_HOST="unix://$dockerd_dir/sock" DOCKER_CONFIG="$dockerd_dir/cfg"
for _ in $(seq 1 100); do /usr/bin/docker version >/dev/null 2>&1 && break; sleep 0.2; done

start_registry one
time_of() { local start end; start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; die "failed: $*"; }; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }

if [ "$PART" = run ] || [ "$PART" = all ]; then
  say "RUN steps: a busybox base in the registry, then a Dockerfile with RUN steps"
  small="$WORK/small"; mkdir -p "$small/root/bin" "$small/ctx/app"
  cp "$(readlink -f "$(command -v busybox)")" "$small/root/bin/busybox"
  for applet in sh mkdir echo cat rm ls seq; do ln -sf busybox "$small/root/bin/$applet"; done
  tar -C "$small/root" -cf "$small/ctx/root.tar" .
  printf 'FROM scratch\nADD root.tar /\nENV PATH=/bin\n' > "$small/ctx/Dockerfile"
  "${OURS[@]}" -q build "$small/ctx" -t "oci:$small/layout:1"
  skopeo copy -q --dest-tls-verify=false "oci:$small/layout:1" "docker://$REG_one/small:1"
  run_ctx="$small/run-ctx"; mkdir -p "$run_ctx/src"
  for i in $(seq 1 200); do printf 'file %s\n' "$i" > "$run_ctx/src/f$i.txt"; done
  cat > "$run_ctx/Dockerfile" <<DOCKERFILE
FROM $REG_one/small:1
RUN mkdir -p /work/made && for i in \$(seq 1 500); do echo "\$i" > /work/made/n\$i; done
COPY src/ /srv/src/
RUN cat /srv/src/*.txt > /srv/all.txt && rm -rf /work/made/n1*
RUN echo done > /done
DOCKERFILE
  declare -A run_times=([ours]="" [docker]="")
  RUN_LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  for round in $(seq 1 "$ROUNDS"); do
    /usr/bin/docker system prune -af >/dev/null 2>&1 || true
    t=$(time_of "${OURS[@]}" -q build --no-cache "$run_ctx" -t "oci:$small/out:$round")
    run_times[ours]+=" $t"; say "round $round: dockerless build (RUN) ${t}s"
    t=$(time_of bash -c "DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -t dockerless-bench-run:$round '$run_ctx'")
    run_times[docker]+=" $t"; say "round $round: docker build (RUN) ${t}s"
  done
  declare -A again_times=([ours]="" [docker]="")
  for round in $(seq 1 "$ROUNDS"); do
    again_times[ours]+=" $(time_of "${OURS[@]}" -q build "$run_ctx" -t "oci:$small/out:again")"
    again_times[docker]+=" $(time_of bash -c "DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -t dockerless-bench-run:again '$run_ctx'")"
  done
  r_ours=$(median "${run_times[ours]}"); r_docker=$(median "${run_times[docker]}")
  a_ours=$(median "${again_times[ours]}"); a_docker=$(median "${again_times[docker]}")
  {
    echo "# Dockerfile with RUN steps on a small registry base, into a local store"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores shared with other work (load average before: $RUN_LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)),"
    echo "$ROUNDS rounds each; the median and the spread (fastest-slowest). Made by \`BENCH_PART=run bench/dockerfile.sh\`."
    echo "Three RUN steps (500 files made, a COPY of 200 files read back, some deleted) on busybox; ours"
    echo "writes an OCI layout, docker its own store. Cold: no base, no cache (ours \`--no-cache\`, docker pruned)."
    echo
    echo "| build | dockerless | docker build (20.10, BuildKit) | ours over docker's |"
    echo "| --- | --- | --- | --- |"
    echo "| cold | ${r_ours} s ($(spread "${run_times[ours]}")) | ${r_docker} s ($(spread "${run_times[docker]}")) | $(awk -v a="$r_ours" -v b="$r_docker" 'BEGIN { printf "%.2f", a / b }')x (goal: at most 1.0x) |"
    echo "| nothing changed | ${a_ours} s ($(spread "${again_times[ours]}")) | ${a_docker} s ($(spread "${again_times[docker]}")) | $(awk -v a="$a_ours" -v b="$a_docker" 'BEGIN { printf "%.2f", a / b }')x (goal: at most 0.5x) |"
  } > "$RUN_OUTPUT"
  cat "$RUN_OUTPUT"
fi
[ "$PART" = push ] || [ "$PART" = all ] || exit 0

say "making a ${BASE_MB} MB base (incompressible, 3 layers) and seeding it with skopeo"
layer_mb=$((BASE_MB / 3))
for i in 1 2 3; do
  mkdir -p "$WORK/base/l$i/data$i"
  openssl enc -aes-256-ctr -pass pass:dockerless-bench-$i -nosalt -pbkdf2 < <(head -c $((layer_mb * 1024 * 1024)) /dev/zero) > "$WORK/base/l$i/data$i/blob" 2>/dev/null
done
mkdir -p "$WORK/base/l1/bin"; cp "$(readlink -f "$(command -v busybox)")" "$WORK/base/l1/bin/busybox"
base_ctx="$WORK/base/ctx"; mkdir -p "$base_ctx"
for i in 1 2 3; do tar -C "$WORK/base/l$i" -cf "$base_ctx/l$i.tar" .; done
printf 'FROM scratch\nADD l1.tar /\nADD l2.tar /\nADD l3.tar /\nCMD ["/bin/busybox"]\n' > "$base_ctx/Dockerfile"
"${OURS[@]}" -q build "$base_ctx" -t "oci:$WORK/base/layout:1"
skopeo copy -q --dest-tls-verify=false "oci:$WORK/base/layout:1" "docker://$REG_one/base:1"

head -c 2000000 /dev/zero | tr '\0' 'x' > "$WORK/context/app/app.bin"
printf 'echo hello\n' > "$WORK/context/app/run.sh"
cat > "$WORK/context/Dockerfile" <<DOCKERFILE
FROM $REG_one/base:1
WORKDIR /srv
COPY app/ /srv/app/
ENV MODE=prod
CMD ["/bin/busybox", "sh", "/srv/app/run.sh"]
DOCKERFILE

declare -A times=([ours]="" [docker]="" [buildah]="")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  # Each tool starts cold: no base in its store.
  /usr/bin/docker system prune -af >/dev/null 2>&1 || true
  buildah rm --all >/dev/null 2>&1 || true; buildah rmi --all --force >/dev/null 2>&1 || true
  t=$(time_of "${OURS[@]}" -q build --no-cache "$WORK/context" -t "$REG_one/ours:$round")
  times[ours]+=" $t"; say "round $round: dockerless build+push ${t}s"
  t=$(time_of bash -c "DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -t $REG_one/docker:$round '$WORK/context' && /usr/bin/docker push -q $REG_one/docker:$round")
  times[docker]+=" $t"; say "round $round: docker build+push ${t}s"
  t=$(time_of bash -c "buildah bud --tls-verify=false -q -t $REG_one/buildah:$round '$WORK/context' && buildah push --tls-verify=false -q $REG_one/buildah:$round")
  times[buildah]+=" $t"; say "round $round: buildah bud+push ${t}s"
done

# A rebuild with nothing changed, each tool with what its last round left (its cache, its store).
say "rebuilds with nothing changed"
again_ours=$(time_of "${OURS[@]}" -q build "$WORK/context" -t "$REG_one/ours:again")
again_docker=$(time_of bash -c "DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -t $REG_one/docker:again '$WORK/context' && /usr/bin/docker push -q $REG_one/docker:again")
again_buildah=$(time_of bash -c "buildah bud --layers --tls-verify=false -q -t $REG_one/buildah:again '$WORK/context' && buildah push --tls-verify=false -q $REG_one/buildah:again")

ours=$(median "${times[ours]}"); docker=$(median "${times[docker]}"); buildah=$(median "${times[buildah]}")
{
  echo "# RUN-less Dockerfile onto a ${BASE_MB} MB registry base, pushed to that registry"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores shared with other work (load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)),"
  echo "$ROUNDS rounds, each tool starting with an empty store; the median of the rounds. Made by \`bench/dockerfile.sh\`."
  echo
  echo "| tool | median wall time (rounds) | ratio to ours |"
  echo "| --- | --- | --- |"
  echo "| dockerless build (push included) | ${ours} s (${times[ours]# }) | 1.00 |"
  echo "| docker build + docker push (20.10, BuildKit) | ${docker} s (${times[docker]# }) | $(awk -v a="$docker" -v b="$ours" 'BEGIN { printf "%.2f", a / b }') |"
  echo "| buildah bud + buildah push | ${buildah} s (${times[buildah]# }) | $(awk -v a="$buildah" -v b="$ours" 'BEGIN { printf "%.2f", a / b }') |"
  echo
  echo "Ours over docker's: $(awk -v a="$ours" -v b="$docker" 'BEGIN { printf "%.2f", a / b }')x (the issue's goal: at most 0.3x)."
  echo
  echo "Rebuild with nothing changed, pushed again (one run each): dockerless ${again_ours} s (step cache),"
  echo "docker ${again_docker} s (its build cache), buildah ${again_buildah} s (\`--layers\`);"
  echo "ours over docker's: $(awk -v a="$again_ours" -v b="$again_docker" 'BEGIN { printf "%.2f", a / b }')x."
} > "$OUTPUT"
cat "$OUTPUT"
