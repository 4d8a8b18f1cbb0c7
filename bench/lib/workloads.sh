# Generates the workload images as OCI layouts with standard tools only (tar, pigz, sha256sum,
# jq), so the benchmark does not depend on our own builder being right. Everything is
# deterministic: fixed mtimes, numeric owners 0, sorted entries, pigz -n, seeded AES-CTR bytes.
# Expects WORK; writes under $WORK/cache (kept between runs) and $WORK/images.

EPOCH=1700000000
TAR_FLAGS=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@$EPOCH --format=posix
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)

# Deterministic incompressible bytes: AES-256-CTR of zeros keyed by SEED. Prints SIZE bytes.
random_bytes() { # SEED SIZE
  { openssl enc -aes-256-ctr -pbkdf2 -nosalt -pass "pass:$1" < /dev/zero 2>/dev/null || true; } \
    | head -c "$2"
}

# Repeated TEXT lines, SIZE bytes (compressible).
repeat_text() { # TEXT SIZE
  { yes "$1" 2>/dev/null || true; } | head -c "$2"
}

# Compresses the tar on stdin into a layer: PREFIX.gz and PREFIX.diffid (the sha256 of the
# tar), both renamed into place only when complete, so an interrupted run leaves no half layer.
gzip_layer() { # PREFIX
  rm -f "$1.diffid.tmp"
  tee >(sha256sum | cut -d' ' -f1 > "$1.diffid.tmp") | pigz -6 -n > "$1.gz.tmp"
  # tee's process substitution may still be writing; wait for the diff_id to appear.
  local i
  for i in $(seq 1 200); do
    if [ -s "$1.diffid.tmp" ]; then mv "$1.gz.tmp" "$1.gz"; mv "$1.diffid.tmp" "$1.diffid"; return 0; fi
    sleep 0.05
  done
  die "diff_id of $1 was not written"
}

# Writes a blob from a file into the layout; prints its digest hex.
put_blob() { # LAYOUT FILE
  local hex
  hex=$(sha256sum "$2" | cut -d' ' -f1)
  cp "$2" "$1/blobs/sha256/$hex"
  echo "$hex"
}

# Builds an OCI layout at LAYOUT, tag TAG, from prepared layers (each PREFIX.gz + PREFIX.diffid).
write_layout() { # LAYOUT TAG PREFIX...
  local layout=$1 tag=$2; shift 2
  rm -rf "$layout"; mkdir -p "$layout/blobs/sha256"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  local layers='[]' diffids='[]' history='[]' p hex
  for p in "$@"; do
    hex=$(sha256sum "$p.gz" | cut -d' ' -f1)
    ln "$p.gz" "$layout/blobs/sha256/$hex" 2>/dev/null || cp "$p.gz" "$layout/blobs/sha256/$hex"
    layers=$(jq -c --arg d "sha256:$hex" --argjson s "$(stat -c %s "$p.gz")" \
      '. + [{mediaType:"application/vnd.oci.image.layer.v1.tar+gzip",digest:$d,size:$s}]' <<< "$layers")
    diffids=$(jq -c --arg d "sha256:$(cat "$p.diffid")" '. + [$d]' <<< "$diffids")
    history=$(jq -c --arg c "bench layer $(basename "$p")" \
      '. + [{created:"2023-11-14T22:13:20Z",created_by:$c}]' <<< "$history")
  done
  jq -cn --argjson d "$diffids" --argjson h "$history" \
    '{architecture:"amd64",os:"linux",created:"2023-11-14T22:13:20Z",
      config:{Env:["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],Cmd:["/bin/sh"]},
      rootfs:{type:"layers",diff_ids:$d},history:$h}' > "$layout/config.json"
  local chex csize
  chex=$(put_blob "$layout" "$layout/config.json"); csize=$(stat -c %s "$layout/config.json")
  jq -cn --arg c "sha256:$chex" --argjson cs "$csize" --argjson l "$layers" \
    '{schemaVersion:2,mediaType:"application/vnd.oci.image.manifest.v1+json",
      config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$c,size:$cs},layers:$l}' \
    > "$layout/manifest.json"
  local mhex msize
  mhex=$(put_blob "$layout" "$layout/manifest.json"); msize=$(stat -c %s "$layout/manifest.json")
  jq -cn --arg m "sha256:$mhex" --argjson ms "$msize" --arg t "$tag" \
    '{schemaVersion:2,mediaType:"application/vnd.oci.image.index.v1+json",
      manifests:[{mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$m,size:$ms,
      annotations:{"org.opencontainers.image.ref.name":$t}}]}' > "$layout/index.json"
  rm "$layout/config.json" "$layout/manifest.json"
  echo "sha256:$mhex" > "$layout.digest"
}

# The Debian minbase rootfs as a tar, cached between runs. Returns 1 when debootstrap is
# unavailable or fails (the caller then generates a tree instead).
debian_rootfs_tar() { # OUT_TAR
  [ -s "$1" ] && return 0
  command -v debootstrap >/dev/null 2>&1 || return 1
  local mirror
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  local dir="$WORK/cache/debootstrap.tmp"
  rm -rf "$dir"; mkdir -p "$dir"
  say "debootstrap --variant=minbase bookworm from $mirror (cached afterwards)"
  if ! debootstrap --variant=minbase bookworm "$dir" "$mirror" > "$WORK/logs/debootstrap.log" 2>&1; then
    say "debootstrap failed (see bench/work/logs/debootstrap.log); using a generated tree"
    rm -rf "$dir"; return 1
  fi
  # What PEERS.md says to drop before shipping a rootfs anywhere; device nodes are not
  # layer content a builder is benchmarked on.
  rm -rf "$dir/etc/apt/sources.list" "$dir/var/cache/apt/"*.bin "$dir/var/lib/apt/lists/"* \
    "$dir/var/cache/apt/archives/"*.deb "$dir/var/log/"*
  find "$dir/dev" -mindepth 1 -delete
  tar -C "$dir" "${TAR_FLAGS[@]}" -cf "$1.tmp" . && mv "$1.tmp" "$1"
  rm -rf "$dir"
}

# A generated stand-in for the rootfs: about 7000 files, about 130 MB, half of it compressible
# text, in a tree of nested directories.
generated_tree() { # DIR
  rm -rf "$1"; mkdir -p "$1"
  local d f n=0
  for d in $(seq -w 0 69); do
    mkdir -p "$1/usr/share/pkg$d/doc" "$1/usr/lib/pkg$d"
    for f in $(seq -w 0 49); do
      n=$((n + 1))
      # Compressible: repeated man-page-like text, 2-20 KB.
      repeat_text "pkg$d file $f: the quick brown fox jumps over the lazy dog $n" $(( (n * 7919) % 18000 + 2000 )) > "$1/usr/share/pkg$d/doc/f$f.txt"
      # Incompressible: binaries, 5-30 KB.
      random_bytes "tree$n" $(( (n * 104729) % 25000 + 5000 )) > "$1/usr/lib/pkg$d/lib$f.so"
    done
  done
  # A few large files to bring the total to about 130 MB.
  mkdir -p "$1/usr/lib/big"
  for f in 1 2 3 4 5 6; do random_bytes "big$f" $((12 * 1024 * 1024)) > "$1/usr/lib/big/blob$f"; done
  for f in 1 2 3; do repeat_text "locale data $f" $((8 * 1024 * 1024)) > "$1/usr/lib/big/text$f"; done
}

# A layer holding one incompressible file of SIZE bytes.
random_layer() { # PREFIX SEED SIZE
  [ -s "$1.gz" ] && [ -s "$1.diffid" ] && return 0
  local dir="$1.d"
  rm -rf "$dir"; mkdir -p "$dir/data"
  random_bytes "$2" "$3" > "$dir/data/$2.bin"
  tar -C "$dir" "${TAR_FLAGS[@]}" -c data | gzip_layer "$1"
  rm -rf "$dir"
}

# A small layer: a few config-like text files.
small_layer() { # PREFIX N
  [ -s "$1.gz" ] && [ -s "$1.diffid" ] && return 0
  local dir="$1.d" i
  rm -rf "$dir"; mkdir -p "$dir/etc/app$2"
  for i in 1 2 3 4 5; do
    repeat_text "layer $2 setting $i = value" $((i * 700 + 10#$2 * 31)) > "$dir/etc/app$2/conf$i"
  done
  tar -C "$dir" "${TAR_FLAGS[@]}" -c etc | gzip_layer "$1"
  rm -rf "$dir"
}

# Produces $WORK/images/{a,b,c} (OCI layouts, tag 1), $WORK/tree (the directory for the build
# benchmark) and $WORK/tree.kind (debian-minbase or generated). QUICK shrinks (b) to 256 MiB.
generate_workloads() {
  local L="$WORK/cache/layers" big=$((1024 * 1024 * 1024))
  [ "${BENCH_QUICK:-0}" = 1 ] && big=$((256 * 1024 * 1024))
  mkdir -p "$L" "$WORK/images"
  local rootfs="$WORK/cache/debian-bookworm-minbase.tar"
  rm -rf "$WORK/tree"; mkdir -p "$WORK/tree"
  if debian_rootfs_tar "$rootfs"; then
    echo debian-minbase > "$WORK/tree.kind"
    tar -C "$WORK/tree" -xf "$rootfs"
    [ -s "$L/base-debian.gz" ] || gzip_layer "$L/base-debian" < "$rootfs"
    base="$L/base-debian"
  else
    echo generated > "$WORK/tree.kind"
    say "generating a tree of about 7000 files / 130 MB"
    generated_tree "$WORK/tree"
    [ -s "$L/base-generated.gz" ] \
      || tar -C "$WORK/tree" "${TAR_FLAGS[@]}" -c . | gzip_layer "$L/base-generated"
    base="$L/base-generated"
  fi
  say "tree for (a) and the build benchmark: $(cat "$WORK/tree.kind"), $(find "$WORK/tree" | wc -l) entries, $(du -sm "$WORK/tree" | cut -f1) MB"
  local layers=("$base") i
  for i in 1 2 3 4; do random_layer "$L/rand64-$i" "rand64-$i" $((64 * 1024 * 1024)); layers+=("$L/rand64-$i"); done
  for i in $(seq -w 1 20); do small_layer "$L/small-$i" "$i"; layers+=("$L/small-$i"); done
  write_layout "$WORK/images/a" 1 "${layers[@]}"
  random_layer "$L/big-$big" "big-$big" "$big"
  write_layout "$WORK/images/b" 1 "$L/big-$big"
  random_layer "$L/hundred" hundred $((100 * 1024 * 1024))
  write_layout "$WORK/images/c" 1 "$L/hundred"
  # The 1 KB layer that append adds.
  random_bytes append-1k 1024 > "$WORK/append-1k.bin"
  local w
  for w in a b c; do
    say "image ($w): $(jq '.layers | length' "$WORK/images/$w/blobs/sha256/$(cut -d: -f2 < "$WORK/images/$w.digest")") layers, $(du -smL "$WORK/images/$w" | cut -f1) MB compressed"
  done
}
