# The measured operations. Each runs one round for one tool: "ours" (the installed tool), "fd"
# (the framework-dependent package) or "skopeo".
# Destinations are new repositories every round, so no "blob already there" shortcut of the
# registry distorts a round; skopeo's blob-info cache is removed before each skopeo run.

SKOPEO_CACHE=/var/lib/containers/cache/blob-info-cache-v1.boltdb
SKOPEO=(skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false)

# The command for a copy by TOOL (ours, fd or skopeo) from SRC to DST.
copy_cmd() { # TOOL SRC DST
  if [ "$1" != skopeo ]; then
    tool_cmd "$1"
    CMD=("${CMD_OF[@]}" copy "$2" "$3" --insecure "$REG_one" --insecure "$REG_two")
  else
    rm -f "$SKOPEO_CACHE" 2>/dev/null || true
    CMD=("${SKOPEO[@]}" "$2" "$3")
  fi
}

# Manifest digest the registry serves for REG/REPO:TAG (OCI or Docker schema 2).
served_digest() { # HOSTPORT REPO TAG
  curl -fsI -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$1/v2/$2/manifests/$3" | awk -F': ' 'tolower($1) == "docker-content-digest" { sub(/\r$/, "", $2); print $2 }'
}

# --- output checks (globals: EXPECT, VREG, VREPO, OUT, NLAYERS) ---
check_registry_digest() {
  local got; got=$(served_digest "$VREG" "$VREPO" 1)
  [ "$got" = "$EXPECT" ] || { echo "$VREG/$VREPO:1 has manifest ${got:-none}, expected $EXPECT"; return 1; }
}
check_oci_layout() {
  local got; got=$(jq -r '.manifests[0].digest' "$OUT/layout/index.json" 2>/dev/null || true)
  [ "$got" = "$EXPECT" ] || { echo "layout index names ${got:-nothing}, expected $EXPECT"; return 1; }
  local hex=${EXPECT#sha256:} f
  for f in $(jq -r '.config.digest, .layers[].digest' "$OUT/layout/blobs/sha256/$hex" | cut -d: -f2); do
    [ -s "$OUT/layout/blobs/sha256/$f" ] || { echo "blob $f missing from layout"; return 1; }
  done
}
check_docker_archive() {
  local n; n=$(tar -xOf "$OUT/image.tar" manifest.json 2>/dev/null | jq '.[0].Layers | length' 2>/dev/null || true)
  [ "$n" = "$NLAYERS" ] || { echo "docker-archive manifest.json lists ${n:-no} layers, expected $NLAYERS"; return 1; }
  # Layers may be stored compressed or not: the size tells which, and what the disk had to take.
  stat -c %s "$OUT/image.tar" > "$WORK/logs/.note"
}
check_appended() {
  local got
  got=$(curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$VREG/v2/$VREPO/manifests/1" | jq '.layers | length' 2>/dev/null || true)
  [ "$got" = "$NLAYERS" ] || { echo "$VREPO:1 has ${got:-no} layers, expected $NLAYERS"; return 1; }
}

layers_of() { # W
  jq '.layers | length' "$WORK/images/$1/blobs/sha256/$(cut -d: -f2 < "$WORK/images/$1.digest")"
}

# Runs op OP on workload W for TOOL in round ROUND.
run_op() { # OP W TOOL ROUND
  local op=$1 w=$2 tool=$3 round=$4 src dst
  if [ "$tool" != skopeo ] && ! tool_cmd "$tool"; then record_na "$op" "$w" "$tool" "$round" "$WHY_NOT"; return 0; fi
  local verb=copy; [ "$op" = append ] && verb=append
  if [ "$tool" != skopeo ] && ! ours_has_verb "$verb" "$tool"; then
    record_na "$op" "$w" "$tool" "$round" "not implemented: no '$verb' verb yet"; return 0
  fi
  EXPECT=$(cat "$WORK/images/$w.digest"); NLAYERS=$(layers_of "$w"); OUT="$WORK/out"
  rm -rf "$OUT"; mkdir -p "$OUT"
  local repo="$op-$w-$tool-r$round" check
  case "$op" in
    push)         src="oci:$WORK/images/$w:1"; VREG=$REG_one; VREPO=$repo; dst="docker://$VREG/$repo:1"; check=check_registry_digest; REGS=one ;;
    pull-oci)     src="docker://$REG_one/base-$w:1"; dst="oci:$OUT/layout:1"; check=check_oci_layout; REGS=one ;;
    pull-archive) src="docker://$REG_one/base-$w:1"; dst="docker-archive:$OUT/image.tar"; check=check_docker_archive; REGS=one ;;
    copy-same)    src="docker://$REG_one/base-$w:1"; VREG=$REG_one; VREPO=$repo; dst="docker://$VREG/$repo:1"; check=check_registry_digest; REGS=one ;;
    copy-other)   src="docker://$REG_one/base-$w:1"; VREG=$REG_two; VREPO=$repo; dst="docker://$VREG/$repo:1"; check=check_registry_digest; REGS="one two" ;;
    append)
      if [ "$tool" = skopeo ]; then record_na append "$w" skopeo "$round" "skopeo has no append"; return 0; fi
      VREG=$REG_one; VREPO=$repo; NLAYERS=$((NLAYERS + 1)); check=check_appended; REGS=one
      CMD=("${CMD_OF[@]}" append "docker://$REG_one/base-$w:1" -t "docker://$REG_one/$repo:1"
        --layer "$WORK/append-1k.bin" --insecure "$REG_one")
      measure append "$w" "$tool" "$round" "$check" -- "${CMD[@]}"
      return 0 ;;
    *) die "unknown op $op" ;;
  esac
  copy_cmd "$tool" "$src" "$dst"
  measure "$op" "$w" "$tool" "$round" "$check" -- "${CMD[@]}"
  rm -rf "$OUT"
}

# Layer build throughput: ours and fd (`build DIR -t oci:OUT`) against `tar -c DIR | pigz -6`.
run_build() { # ROUND
  local round=$1 tree="$WORK/tree" tool
  REGS=""
  rm -rf "$WORK/out"; mkdir -p "$WORK/out"
  measure build tree peer "$round" true -- bash -c 'tar -C "$1" -c . | pigz -6 > "$2"' _ "$tree" "$WORK/out/ref.tar.gz"
  for tool in ours fd; do
    rm -rf "$WORK/out"; mkdir -p "$WORK/out"
    if ! tool_cmd "$tool"; then record_na build tree "$tool" "$round" "$WHY_NOT"; continue; fi
    if ! ours_has_verb build "$tool"; then record_na build tree "$tool" "$round" "not implemented: no 'build' verb yet"; continue; fi
    OUT="$WORK/out"
    measure build tree "$tool" "$round" build_digest -- "${CMD_OF[@]}" build "$tree" -t "oci:$WORK/out/layout:1"
  done
  rm -rf "$WORK/out"
}
# The check of a build run: notes the top layer's digest, which must be the same every round.
build_digest() {
  local m d
  m=$(jq -r '.manifests[0].digest' "$OUT/layout/index.json" 2>/dev/null | cut -d: -f2)
  [ -n "$m" ] || { echo "no index.json in the build output"; return 1; }
  d=$(jq -r '.layers[-1].digest' "$OUT/layout/blobs/sha256/$m")
  echo "$d" > "$WORK/logs/.note"
}

# `--version` of ours and fd (and skopeo's for reference), 20 runs each.
run_version() {
  local tool cmd json
  for tool in ours fd skopeo; do
    if [ "$tool" != skopeo ]; then
      tool_cmd "$tool" || { record_na version - "$tool" 1 "$WHY_NOT"; continue; }
      "${CMD_OF[@]}" --version >/dev/null 2>&1 || { record_na version - "$tool" 1 "not implemented: --version fails"; continue; }
      cmd=$(printf '%q ' "${CMD_OF[@]}")
    else
      cmd="skopeo"
    fi
    if command -v hyperfine >/dev/null 2>&1; then
      json="$WORK/logs/version-$tool.json"
      hyperfine -N --warmup 3 --runs 20 --export-json "$json" "$cmd --version" >/dev/null 2>&1 \
        || { record version - "$tool" 1 fail - - - - - "hyperfine failed"; continue; }
      jq -r '.results[0].times[]' "$json" | awk -v t="$tool" '{ printf "version\t-\t%s\t%d\tok\t%.4f\t-\t-\t-\t-\thyperfine\n", t, NR, $1 }' >> "$RESULTS"
    else
      local i t0 t1
      for i in $(seq 1 23); do
        t0=$EPOCHREALTIME; $cmd --version >/dev/null 2>&1; t1=$EPOCHREALTIME
        [ "$i" -le 3 ] && continue
        awk -v a="$t0" -v b="$t1" -v t="$tool" -v n=$((i - 3)) 'BEGIN { printf "version\t-\t%s\t%d\tok\t%.4f\t-\t-\t-\t-\tshell loop\n", t, n, b - a }' >> "$RESULTS"
      done
    fi
  done
}
