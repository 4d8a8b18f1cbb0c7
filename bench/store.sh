#!/usr/bin/env bash
# Measures what issue 13's safe stores cost and how deep and wide trees scale; writes
# bench/results/store.md. Not timings asserted anywhere: figures for docs/performance.md.
#
#  - fsync: `copy` of an image of N small layers into a new OCI layout, with the fsyncs and
#    with eatmydata (which makes fsync a no-op): the difference is what durability costs.
#  - deep: export, flatten and unpack of DEPTH nested directories; wide: of WIDTH files in one
#    layer. Wall time and peak RSS from /usr/bin/time -v.
#
# Knobs: STORE_LAYERS (default 50), STORE_DEPTH (default 10000), STORE_WIDTH (default 1000000),
#        BENCH_TOOL (an already built dockerless command; default: dotnet of the Release build).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work/store"
OUTPUT="$BENCH_DIR/results/store.md"
LAYERS=${STORE_LAYERS:-50}
DEPTH=${STORE_DEPTH:-10000}
WIDTH=${STORE_WIDTH:-1000000}
TOOL=${BENCH_TOOL:-"dotnet $REPO/src/Dockerless.Cli/bin/Release/net10.0/Dockerless.Cli.dll"}

for program in /usr/bin/time eatmydata tar python3; do
  command -v "$program" > /dev/null || { echo "store.sh: $program is missing: apt-get install -y time eatmydata tar python3" >&2; exit 1; }
done
rm -rf "$WORK" && mkdir -p "$WORK"

# Runs a command under /usr/bin/time -v; prints "seconds peak-MiB", or "failed: ...ERROR" (its last 100 characters, where the reason is).
measure() {
  if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" > /dev/null 2> "$WORK/err.txt"; then
    echo "failed: ...$(tail -c 100 "$WORK/err.txt" | tr '\n|' '  ')"
    return 0
  fi
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
  echo "$wall $((rss / 1024))"
}

# An image of $LAYERS layers of 64 KiB each, as an OCI layout (the source of every copy).
for i in $(seq 1 "$LAYERS"); do mkdir -p "$WORK/layers/$i" && head -c 65536 /dev/urandom > "$WORK/layers/$i/f"; done
$TOOL build "$WORK/layers/1" -t "oci:$WORK/source:1" --to-path /l1 -q
for i in $(seq 2 "$LAYERS"); do $TOOL append "oci:$WORK/source:1" -t "oci:$WORK/source:1" --layer "$WORK/layers/$i:/l$i" -q; done

fsync_rows=""
for round in 1 2 3; do
  rm -rf "$WORK/synced" "$WORK/unsynced"
  synced=$(measure $TOOL copy "oci:$WORK/source:1" "oci:$WORK/synced:1" -q)
  unsynced=$(measure eatmydata $TOOL copy "oci:$WORK/source:1" "oci:$WORK/unsynced:1" -q)
  fsync_rows+="| $round | ${synced% *} | ${unsynced% *} |"$'\n'
done

# Deep: DEPTH nested one-letter directories and a file at the bottom; wide: WIDTH empty files.
python3 - "$WORK" "$DEPTH" "$WIDTH" <<'PY'
import sys, tarfile, io
work, depth, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with tarfile.open(f"{work}/deep.tar", "w", format=tarfile.PAX_FORMAT) as tar:
    path = ""
    for _ in range(depth):
        path += "d/"
        info = tarfile.TarInfo(path.rstrip("/")); info.type = tarfile.DIRTYPE; info.mode = 0o755
        tar.addfile(info)
    info = tarfile.TarInfo(path + "f"); info.size = 1
    tar.addfile(info, io.BytesIO(b"x"))
with tarfile.open(f"{work}/wide.tar", "w", format=tarfile.PAX_FORMAT) as tar:
    info = tarfile.TarInfo("w"); info.type = tarfile.DIRTYPE; info.mode = 0o755
    tar.addfile(info)
    for i in range(width):
        info = tarfile.TarInfo(f"w/{i:07d}"); tar.addfile(info, io.BytesIO(b""))
PY

# A table cell: "N s, M MiB", or the failure as it is.
cell() {
  case "$1" in failed*) echo "$1" ;; *) echo "${1% *} s, ${1#* } MiB" ;; esac
}

tree_rows=""
for shape in deep wide; do
  # A one-layer OCI layout around the generated tar, made by our own build of its contents would
  # not keep its shape: the layer is the tar itself, uncompressed.
  layout="$WORK/$shape-layout"
  mkdir -p "$layout/blobs/sha256"
  digest=$(sha256sum "$WORK/$shape.tar" | cut -d' ' -f1)
  size=$(stat -c %s "$WORK/$shape.tar")
  cp "$WORK/$shape.tar" "$layout/blobs/sha256/$digest"
  config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$digest\"]}}"
  config_digest=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
  printf '%s' "$config" > "$layout/blobs/sha256/$config_digest"
  manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_digest\",\"size\":${#config}},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$digest\",\"size\":$size}]}"
  manifest_digest=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
  printf '%s' "$manifest" > "$layout/blobs/sha256/$manifest_digest"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  echo "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$manifest_digest\",\"size\":${#manifest},\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}" > "$layout/index.json"
  export_result=$(measure $TOOL export "oci:$layout:1" "$WORK/$shape-export.tar" -q)
  flatten_result=$(measure $TOOL flatten "oci:$layout:1" -t "oci:$WORK/$shape-flat:1" -q)
  rm -rf "$WORK/$shape-unpacked"
  unpack_result=$(measure $TOOL unpack "oci:$layout:1" "$WORK/$shape-unpacked" -q)
  tree_rows+="| $shape | $(cell "$export_result") | $(cell "$flatten_result") | $(cell "$unpack_result") |"$'\n'
done

mkdir -p "$(dirname "$OUTPUT")"
cat > "$OUTPUT" <<MD
# Store benchmark ($(date -u +%Y-%m-%d), $(nproc) cores)

Made by \`bench/store.sh\`; see its header for what it does.

## What durability costs: copy of $LAYERS layers of 64 KiB into a new OCI layout

| round | with fsync (s) | fsync a no-op, eatmydata (s) |
| --- | --- | --- |
$fsync_rows
## Deep and wide trees (one uncompressed layer): wall time and peak RSS

| tree | export | flatten | unpack |
| --- | --- | --- | --- |
$tree_rows
deep: $DEPTH nested directories and a file at the bottom; wide: $WIDTH empty files in one directory.
MD
cat "$OUTPUT"
