# Our own docker-registry instances on loopback free ports, filesystem storage under $WORK,
# access log on: one combined-format line per request with the response size, which is how
# bytes moved are counted.

REG_PIDS=()

# Starts a registry named NAME; sets REG_<NAME>=127.0.0.1:PORT and REG_PID_<NAME>.
start_registry() { # NAME
  local name=$1 dir="$WORK/registry-$1"
  rm -rf "$dir"; mkdir -p "$dir/data"
  cat > "$dir/config.yml" <<YML
version: 0.1
log: {level: info, accesslog: {disabled: false}}
storage:
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http:
  addr: 127.0.0.1:0
YML
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  REG_PIDS+=($!)
  printf -v "REG_PID_$name" '%s' "$!"
  local addr="" i
  for i in $(seq 1 200); do
    addr=$(grep -so 'listening on 127\.0\.0\.1:[0-9]*' "$dir/log" | head -n1 | cut -d' ' -f3 || true)
    [ -n "$addr" ] && curl -fs "http://$addr/v2/" >/dev/null 2>&1 && break
    addr=""; sleep 0.05
  done
  [ -n "$addr" ] || die "registry $name did not start (see $dir/log)"
  printf -v "REG_$name" '%s' "$addr"
  say "registry $name on $addr"
}

stop_registries() {
  local p
  for p in "${REG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${REG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  REG_PIDS=()
}

# CPU time registry NAME has used so far, in clock ticks (user + system).
reg_cpu_ticks() { # NAME
  local pid="REG_PID_$1"
  awk '{ print $14 + $15 }' "/proc/${!pid}/stat"
}

# Number of lines in a registry's log: a mark to count from.
log_mark() { wc -l < "$WORK/registry-$1/log"; }

# Bytes a client moved through registry NAME since MARK. Prints "down up blob_down":
#   down      response bytes the registry sent (every GET; HEAD bodies are not sent);
#   up        blob bytes the registry received and committed (the size of each blob whose
#             upload finished with 201; a failed upload's partial bytes are not counted);
#   blob_down response bytes of GET .../blobs/... alone.
# Manifests pushed (a few KB) are in neither up count; mounts move no bytes and count none.
log_bytes() { # NAME MARK
  local dir="$WORK/registry-$1"
  tail -n +"$(( $2 + 1 ))" "$dir/log" | awk -v blobs="$dir/data/docker/registry/v2/blobs/sha256" '
    /^127\.0\.0\.1 - / {
      split($0, q, "\"")            # q[2] = request line, q[3] = " status size "
      split(q[2], r, " "); split(q[3], s, " ")
      method = r[1]; uri = r[2]; status = s[1]; size = (s[2] == "-") ? 0 : s[2]
      if (method == "GET") { down += size; if (uri ~ /\/blobs\/sha256:/) blob_down += size }
      if (method == "PUT" && status == 201 && uri ~ /\/blobs\/uploads\// && match(uri, /digest=sha256(%3A|:)[0-9a-f]+/)) {
        hex = substr(uri, RSTART, RLENGTH); sub(/.*(%3A|:)/, "", hex)
        f = blobs "/" substr(hex, 1, 2) "/" hex "/data"
        cmd = "stat -c %s " f; if ((cmd | getline n) > 0) up += n; close(cmd)
      }
    }
    END { printf "%d %d %d\n", down, up, blob_down }'
}
