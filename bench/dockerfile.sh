#!/usr/bin/env bash
# Benchmarks a RUN-less Dockerfile build onto a 300 MB registry base, pushed to that registry:
# dockerless build vs docker build + docker push (Debian's dockerd 20.10, BuildKit) vs
# buildah bud + buildah push. Writes bench/results/dockerfile.md. Run as root (dockerd).
# Ours runs with --no-cache in the rounds (every tool cold), then each tool rebuilds once with its cache.
# Knobs: BENCH_ROUNDS (default 5), BENCH_BASE_MB (default 300), BENCH_TOOL (a built dockerless).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work/dockerfile"
ROUNDS=${BENCH_ROUNDS:-5}
BASE_MB=${BENCH_BASE_MB:-300}
OUTPUT="$BENCH_DIR/results/dockerfile.md"
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

time_of() { local start end; start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; die "failed: $*"; }; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'; }
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

median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
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
