#!/usr/bin/env bash
# Benchmarks `run IMG true` on a ~100 MB image: dockerless run with runc (a first run with an
# empty layer cache, then a warm one) against Debian's dockerd 20.10 (docker load + docker run
# --rm, then docker run --rm --network none on the loaded image) and podman (load + run, then
# run, with runc and explicit ulimits, as shared/PEERS.md says podman needs on these machines).
# Writes bench/results/run.md. Run as root (dockerd, the overlay mounts).
# Knobs: BENCH_ROUNDS (default 5), BENCH_TOOL (a built dockerless), BENCH_AOT (see lib/common.sh).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work/run"
ROUNDS=${BENCH_ROUNDS:-5}
OUTPUT="$BENCH_DIR/results/run.md"
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/workloads.sh"

for program in dockerd podman runc busybox openssl pigz; do
  command -v "$program" >/dev/null || die "$program is missing: apt-get install -y docker.io podman runc busybox-static openssl pigz"
done
[ -x /usr/bin/docker ] || die "/usr/bin/docker (Debian's docker.io) is missing"
[ "$(id -u)" = 0 ] || die "run as root: dockerd and the overlay mounts need it"

# podman keeps its overlay directory mounted on itself after it exits.
unmount_podman() { umount "$WORK/podman/root/overlay" 2>/dev/null || true; }
unmount_podman
rm -rf "$WORK/cache" "$WORK/podman"; mkdir -p "$WORK/image" "$WORK/logs"
build_tool
[ "${#OURS[@]}" -gt 0 ] || die "$OURS_WHY"

dockerd_dir="$WORK/dockerd"; rm -rf "$dockerd_dir"; mkdir -p "$dockerd_dir/cfg"
dockerd --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
  --storage-driver=overlay2 --data-root "$dockerd_dir/data" --exec-root "$dockerd_dir/exec" \
  --pidfile "$dockerd_dir/pid" -H "unix://$dockerd_dir/sock" > "$dockerd_dir/log" 2>&1 &
DOCKERD_PID=$!
cleanup() { kill "$DOCKERD_PID" 2>/dev/null || true; wait "$DOCKERD_PID" 2>/dev/null || true; unmount_podman; }
trap cleanup EXIT
echo "{}" > "$dockerd_dir/cfg/config.json"
export DOCKER_HOST="unix://$dockerd_dir/sock" DOCKER_CONFIG="$dockerd_dir/cfg"
for _ in $(seq 1 100); do /usr/bin/docker version >/dev/null 2>&1 && break; sleep 0.2; done
PODMAN=(podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --storage-driver overlay --runtime runc)
PODMAN_LIMITS="--ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=4096:4096"

# The image: the generated stand-in rootfs (7000 files of 2 to 30 KB) without its large files,
# so about 100 MB, and busybox for `true`; one layer, built by our own tool once and kept
# in bench/work between runs.
IMAGE=localhost/bench-run:1
ARCHIVE="$WORK/image/image.tar"
if [ ! -s "$ARCHIVE" ]; then
  say "making the image (about 100 MB, one layer)"
  generated_tree "$WORK/image/tree"
  rm -rf "$WORK/image/tree/usr/lib/big"
  mkdir -p "$WORK/image/tree/bin" "$WORK/image/ctx"
  cp "$(readlink -f "$(command -v busybox)")" "$WORK/image/tree/bin/busybox"
  ln -s busybox "$WORK/image/tree/bin/true"; ln -s busybox "$WORK/image/tree/bin/sh"
  tar -C "$WORK/image/tree" "${TAR_FLAGS[@]}" -cf "$WORK/image/ctx/rootfs.tar" .
  printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/bin\n' > "$WORK/image/ctx/Dockerfile"
  "${OURS[@]}" -q build "$WORK/image/ctx" -t "docker-archive:$ARCHIVE.tmp:$IMAGE"
  mv "$ARCHIVE.tmp" "$ARCHIVE"
  rm -rf "$WORK/image/tree" "$WORK/image/ctx"
fi
SIZE_MB=$(du -m "$ARCHIVE" | cut -f1)

time_of() { local start end; start=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; die "failed: $*"; }; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'; }
ours_run() { "${OURS[@]}" run --runtime runc --cache-dir "$WORK/cache" "docker-archive:$ARCHIVE" -- true; }
declare -A times=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  # First runs: nothing cached, nothing loaded.
  "${OURS[@]}" -q clear-cache --cache-dir "$WORK/cache" >/dev/null
  /usr/bin/docker rmi -f "$IMAGE" >/dev/null 2>&1 || true
  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
  sync
  times[ours_first]+=" $(time_of ours_run)"
  sync
  times[docker_first]+=" $(time_of bash -c "/usr/bin/docker load -q -i '$ARCHIVE' && /usr/bin/docker run --rm --network none $IMAGE true")"
  sync
  times[podman_first]+=" $(time_of bash -c "${PODMAN[*]} load -q -i '$ARCHIVE' && ${PODMAN[*]} run --rm --network none $PODMAN_LIMITS $IMAGE true")"
  # Warm runs: the layers cached, the image loaded.
  times[ours_warm]+=" $(time_of ours_run)"
  times[docker_warm]+=" $(time_of /usr/bin/docker run --rm --network none "$IMAGE" true)"
  times[podman_warm]+=" $(time_of "${PODMAN[@]}" run --rm --network none $PODMAN_LIMITS "$IMAGE" true)"
  say "round $round: ours ${times[ours_first]##* } / ${times[ours_warm]##* } s, docker ${times[docker_first]##* } / ${times[docker_warm]##* } s, podman ${times[podman_first]##* } / ${times[podman_warm]##* } s"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

cell() { local s; s=$(tr ' ' '\n' <<< "${times[$1]}" | grep . | stats); awk -v m="${s%% *}" -v r="${s#* }" 'BEGIN { split(r, a, " "); printf "%.2f s (%.2f-%.2f)", m, a[1], a[2] }'; }
median_of() { tr ' ' '\n' <<< "${times[$1]}" | grep . | stats | cut -d' ' -f1; }
ratio() { awk -v a="$(median_of "$1")" -v b="$(median_of "$2")" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# \`run IMG true\` on a ${SIZE_MB} MB image: dockerless (runc) vs docker and podman"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores shared with other work (load average before: $LOAD_BEFORE, after: $LOAD_AFTER),"
  echo "$ROUNDS rounds; median (min-max). Made by \`bench/run-image.sh\`; ours is \`${OURS[*]##*/}\`."
  echo
  echo "| | dockerless run --runtime runc | docker (20.10, overlay2) | podman | ours / docker | ours / podman |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| first run (ours: empty cache; docker, podman: load + run --rm) | $(cell ours_first) | $(cell docker_first) | $(cell podman_first) | $(ratio ours_first docker_first) | $(ratio ours_first podman_first) |"
  echo "| warm run (ours: cached layers; docker, podman: run --rm --network none, loaded) | $(cell ours_warm) | $(cell docker_warm) | $(cell podman_warm) | $(ratio ours_warm docker_warm) | $(ratio ours_warm podman_warm) |"
  echo
  echo "Targets (issue 15): first run at most 1.0x docker load + docker run, warm run at most 0.5x docker run."
} > "$OUTPUT"
cat "$OUTPUT"
