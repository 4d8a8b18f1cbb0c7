# Runs one measured command under /usr/bin/time -v and appends a row to $RESULTS:
#   op workload tool round status wall_s rss_kb down up blob_down note cpu_s reg_cpu_s
# cpu_s is the command's CPU time (user + system), reg_cpu_s the CPU time the registries in REGS
# spent meanwhile: together they say how close a run came to what the cores allow.
# status: ok | na (the tool cannot do it yet) | fail (it ran and failed, or its output was wrong).
# A number is only ever recorded for a run that succeeded and whose output was checked.

RESULTS_HEADER=$'op\tworkload\ttool\tround\tstatus\twall_s\trss_kb\tdown\tup\tblob_down\tnote\tcpu_s\treg_cpu_s'
OP_TIMEOUT=${BENCH_OP_TIMEOUT:-600}

record() { # OP W TOOL ROUND STATUS WALL RSS DOWN UP BLOBDOWN NOTE [CPU REGCPU]
  local IFS=$'\t'
  # Notes quote stderr: no | (it would break the Markdown table), no run-specific port.
  echo "$*" | sed -E 's/\|/\//g; s/127\.0\.0\.1:[0-9]+/REGISTRY/g' >> "$RESULTS"
}

# A row for something that was not run, with the reason.
record_na() { # OP W TOOL ROUND REASON
  record "$1" "$2" "$3" "$4" na - - - - - "$5"
}

# measure OP W TOOL ROUND VERIFY -- CMD...
# VERIFY is a function called after a successful run; it prints why the output is wrong and
# fails, or succeeds silently (pass `true` for none); what it writes to $WORK/logs/.note becomes
# the row's note. Registries named in REGS are counted.
measure() {
  local op=$1 w=$2 tool=$3 round=$4 verify=$5; shift 6
  local base="$WORK/logs/$op-$w-$tool-$round" rc=0 r
  local -A mark=() ticks=()
  for r in $REGS; do mark[$r]=$(log_mark "$r"); ticks[$r]=$(reg_cpu_ticks "$r"); done
  rm -f "$WORK/logs/.note"
  sync   # write back the previous run's output now, not during this run
  local t0=$EPOCHREALTIME
  timeout "$OP_TIMEOUT" /usr/bin/time -v -o "$base.time" "$@" > "$base.out" 2> "$base.err" || rc=$?
  local t1=$EPOCHREALTIME
  sleep 0.2   # let the registry write the access-log line of the last response
  local wall rss down=0 up=0 blob=0 d u b
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$base.time" 2>/dev/null || true)
  local regticks=0 cpu
  for r in $REGS; do
    read -r d u b < <(log_bytes "$r" "${mark[$r]}")
    down=$((down + d)); up=$((up + u)); blob=$((blob + b))
    regticks=$((regticks + $(reg_cpu_ticks "$r") - ${ticks[$r]}))
  done
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$base.time" 2>/dev/null || echo -)
  local first
  first=$(grep -v '^\s*$' "$base.err" | grep -v '^Command exited' | head -n1 | tr '\t' ' ' | cut -c1-160 || true)
  if [ "$rc" -ne 0 ]; then
    if [ "$rc" -eq 124 ]; then
      record "$op" "$w" "$tool" "$round" fail - - - - - "timed out after ${OP_TIMEOUT}s"
    elif grep -qiE 'not (yet )?implemented|not supported|\b(has|have) no\b.*\byet\b|not have\b.*\byet\b|unknown (verb|command)|unrecognized command|required command was not provided' "$base.err"; then
      record_na "$op" "$w" "$tool" "$round" "not implemented: $first"
    else
      record "$op" "$w" "$tool" "$round" fail - - - - - "exit $rc: $first"
    fi
    say "  $op ($w) $tool round $round: ${first:-exit $rc}"
    return 0
  fi
  local why
  if ! why=$("$verify" 2>&1); then
    record "$op" "$w" "$tool" "$round" fail - - - - - "wrong output: $(echo "$why" | head -n1 | cut -c1-160)"
    say "  $op ($w) $tool round $round: wrong output: $why"
    return 0
  fi
  local note=""
  [ -s "$WORK/logs/.note" ] && note=$(head -n1 "$WORK/logs/.note")
  record "$op" "$w" "$tool" "$round" ok "$wall" "${rss:-0}" "$down" "$up" "$blob" "$note" "$cpu" \
    "$(awk -v t="$regticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
  say "  $op ($w) $tool round $round: ${wall}s, $((${rss:-0} / 1024)) MB RSS, down $down, up $up"
}
