# Writes the Markdown report from $RESULTS (one row per run) to stdout.

MB=1048576
RSS_LIMIT_KB=$((48 * 1024))

# One summary line per op/workload/tool:
#   key nok nna nfail wall_med wall_min wall_max rss_max_kb moved_min moved_max blob_max note
summarize() {
  tail -n +2 "$RESULTS" | sort -t $'\t' -k1,1 -k2,2 -k3,3 -k6,6g | awk -F'\t' -v OFS='\t' '
    function flush() {
      if (key == "") return
      med = "-"; lo = "-"; hi = "-"
      if (n > 0) { med = (n % 2) ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2; lo = w[1]; hi = w[n] }
      print key, n, na, fail, med, lo, hi, rss, mlo, moved, blob, (note == "" ? "-" : note)
    }
    {
      k = $1 "|" $2 "|" $3
      if (k != key) { flush(); key = k; n = 0; na = 0; fail = 0; rss = "-"; mlo = "-"; moved = "-"; blob = "-"; note = "" }
      if ($5 == "ok") {
        w[++n] = $6
        if ($7 != "-" && (rss == "-" || $7 + 0 > rss + 0)) rss = $7
        if ($8 != "-") {
          m = $8 + $9
          if (moved == "-" || m > moved + 0) moved = m
          if (mlo == "-" || m < mlo + 0) mlo = m
        }
        if ($10 != "-") { b = $10 + $9; if (blob == "-" || b > blob + 0) blob = b }
        if ($11 != "" && note == "") note = $11
        if ($11 != "" && $11 != note) note = note " / " $11
      } else {
        if ($5 == "na") na++; else fail++
        if (note == "") note = $11
      }
    }
    END { flush() }'
}

# Median CPU seconds per op/workload/tool over the rounds that succeeded: key cpu reg_cpu.
cpu_summary() {
  tail -n +2 "$RESULTS" | awk -F'\t' '$5 == "ok" && $12 != "" {
      k = $1 "|" $2 "|" $3; n[k]++; c[k, n[k]] = $12; r[k, n[k]] = $13
    }
    function median(a, k, m,   i, j, t, v) {
      for (i = 1; i <= m; i++) v[i] = a[k, i]
      for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    END { for (k in n) printf "%s\t%.2f\t%.2f\n", k, median(c, k, n[k]), median(r, k, n[k]) }'
}

declare -A S_CPU S_REGCPU
load_cpu() {
  local key cpu reg
  while IFS=$'\t' read -r key cpu reg; do S_CPU[$key]=$cpu; S_REGCPU[$key]=$reg; done < <(cpu_summary)
}

# "client + registries; floor F s" for KEY: the floor is all that CPU spread over every core,
# a wall time no schedule could beat on this machine.
cpu_cell() { # KEY
  local k=$1
  if ! ok_number "$k" || [ -z "${S_CPU[$k]:-}" ]; then echo "-"; return; fi
  awk -v c="${S_CPU[$k]}" -v r="${S_REGCPU[$k]}" -v n="$(nproc)" -v w="${S_MED[$k]}" \
    'BEGIN { printf "%.2f + %.2f s; floor %.2f s, wall %.2f s", c, r, (c + r) / n, w }'
}

declare -A S_N S_NA S_FAIL S_MED S_MIN S_MAX S_RSS S_MOVED_MIN S_MOVED S_BLOB S_NOTE
load_summary() {
  local key n na fail med lo hi rss mlo moved blob note
  while IFS=$'\t' read -r key n na fail med lo hi rss mlo moved blob note; do
    S_N[$key]=$n; S_NA[$key]=$na; S_FAIL[$key]=$fail; S_MED[$key]=$med; S_MIN[$key]=$lo
    S_MAX[$key]=$hi; S_RSS[$key]=$rss; S_MOVED_MIN[$key]=$mlo; S_MOVED[$key]=$moved
    S_BLOB[$key]=$blob; S_NOTE[$key]=$note
  done < <(summarize)
}

fmt_s() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else if (v < 1) printf "%.0f ms", v * 1000; else printf "%.2f s", v }'; }
fmt_mb() { awk -v v="$1" -v m=$MB 'BEGIN { if (v == "-" || v == "") print "-"; else if (v < m) printf "%.1f KB", v / 1024; else printf "%.1f MB", v / m }'; }
# Bytes moved by KEY over its rounds: one number, or "min-max" when rounds differed.
moved_cell() { # KEY
  local lo=${S_MOVED_MIN[$1]:--} hi=${S_MOVED[$1]:--}
  if [ "$lo" = "$hi" ]; then fmt_mb "$hi"; else echo "$(fmt_mb "$lo") – $(fmt_mb "$hi")"; fi
}
fmt_rss() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.0f MB", v / 1024 }'; }

# The time cell of one key: "median (min-max)", or why there is no number.
time_cell() { # KEY
  local k=$1
  if [ -z "${S_N[$k]:-}" ]; then echo "-"; return; fi
  if [ "${S_N[$k]}" = 0 ]; then
    if [ "${S_FAIL[$k]}" -gt 0 ]; then echo "FAIL: ${S_NOTE[$k]}"; else echo "n/a: ${S_NOTE[$k]}"; fi
    return
  fi
  local cell
  cell="$(fmt_s "${S_MED[$k]}") ($(fmt_s "${S_MIN[$k]}") – $(fmt_s "${S_MAX[$k]}"))"
  [ "${S_FAIL[$k]}" -gt 0 ] && cell="$cell, ${S_FAIL[$k]} failed"
  echo "$cell"
}

ok_number() { [ -n "${S_N[$1]:-}" ] && [ "${S_N[$1]}" -gt 0 ] && [ "${S_FAIL[$1]}" = 0 ]; }

ratio() { # OURS_KEY PEER_KEY
  if ok_number "$1" && ok_number "$2"; then
    awk -v a="${S_MED[$1]}" -v b="${S_MED[$2]}" 'BEGIN { printf "%.2f", a / b }'
  else echo "-"; fi
}

# Verdict of "value <= limit" (or "<" with STRICT=1); n/a when there is no value.
verdict() { # VALUE LIMIT
  [ "$1" = "-" ] && { echo "n/a"; return; }
  awk -v v="$1" -v l="$2" -v s="${STRICT:-0}" 'BEGIN { print ((s ? v < l : v <= l) ? "pass" : "**fail**") }'
}

machine() {
  local cpu disk
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  disk=$(df -hT "$WORK" | awk 'NR == 2 { print $2 ", " $3 " (" $5 " free), device " $1 }')
  echo "- CPU: $(nproc) cores, ${cpu:-unknown model}"
  echo "- Memory: $(free -m | awk '/^Mem:/ { printf "%.1f GiB", $2 / 1024 }')"
  echo "- Disk under bench/work: $disk"
  echo "- Kernel: $(uname -sr)"
  echo "- dotnet $(dotnet --version 2>/dev/null || echo '?'), $(skopeo --version 2>/dev/null), docker-registry $(docker-registry --version 2>/dev/null | awk '{ print $3 }'), pigz $(pigz --version 2>&1 | awk '{ print $2 }')"
  echo "- Load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "- Repository: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- . ':!bench/results' 2>/dev/null || echo ' (with uncommitted changes)'); tool: ${OURS[*]:-none ($OURS_WHY)}; framework-dependent: ${FD[*]:-none ($FD_WHY)}"
}

write_report() {
  load_summary
  load_cpu
  local quick="" big="1 GiB"
  if [ "${BENCH_QUICK:-0}" = 1 ]; then quick=" **Quick run (BENCH_QUICK=1): image (b) is 256 MiB, not 1 GiB; (b) numbers do not test the 1 GiB targets.**"; big="256 MiB"; fi
  cat <<MD
# Benchmark: dockerless vs skopeo

Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') in ${ELAPSED}s, $ROUNDS round(s) per operation and tool, ours and skopeo alternately.$quick

> Wall times depend on what else the machine runs: compare the load average below (it should
> stay well under the core count) before trusting a ratio.

## Machine
$(machine)

## Workloads (generated on the machine, OCI layouts written with tar, pigz, sha256sum and jq)
- (a) realistic: base layer from a $(cat "$WORK/tree.kind") tree ($(du -sm "$WORK/tree" | cut -f1) MB, $(find "$WORK/tree" | wc -l) entries), four 64 MB incompressible layers, twenty small layers: $(layers_of a) layers, $(du -smL "$WORK/images/a" | cut -f1) MB compressed
- (b) one incompressible layer of $big: $(du -smL "$WORK/images/b" | cut -f1) MB compressed
- (c) one incompressible layer of 100 MB (the small base of the append target)

## Transfers
Ours = the tool as \`dotnet tool install\` gives it from the packed packages (the Native AOT
executable here); fd = the framework-dependent package (Dockerless.Cli.any, what platforms
without a Native AOT package install) under \`dotnet\`. Wall time median (min-max) over the
rounds; ratio = tool / skopeo (medians, same run); bytes moved = response bytes the registries
sent plus blob bytes they committed (min-max when rounds differ); peak RSS = max over rounds.
Each round writes to a new repository; skopeo's blob-info cache is removed before each of its runs.

| operation | image | ours | fd | skopeo | ours/skopeo | fd/skopeo | bytes moved ours / skopeo | peak RSS ours / fd / skopeo |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
MD
  local op w o f s label
  for op in push pull-oci pull-archive copy-same copy-other; do
    for w in a b; do
      o="$op|$w|ours"; f="$op|$w|fd"; s="$op|$w|skopeo"
      case $op in
        push) label="push from an OCI layout" ;; pull-oci) label="pull to an OCI layout" ;;
        pull-archive) label="pull to a docker-archive" ;; copy-same) label="copy, same registry, other repository" ;;
        copy-other) label="copy to the second registry" ;;
      esac
      echo "| $label | ($w) | $(time_cell "$o") | $(time_cell "$f") | $(time_cell "$s") | $(ratio "$o" "$s") | $(ratio "$f" "$s") | $(moved_cell "$o") / $(moved_cell "$s") | $(fmt_rss "${S_RSS[$o]:--}") / $(fmt_rss "${S_RSS[$f]:--}") / $(fmt_rss "${S_RSS[$s]:--}") |"
    done
  done
  cat <<MD

## Where the CPU goes
CPU seconds (user + system, medians over the rounds) of the client and of the registries it
talks to, during each transfer. Floor = their sum spread over the $(nproc) cores: the wall time no
schedule could beat on this machine with that much work. The registries' share is much the same
whichever client talks to them (they hash and store, or read and send, the same bytes).

| operation | image | ours: client + registries | fd: client + registries | skopeo: client + registries |
| --- | --- | --- | --- | --- |
MD
  for op in push pull-oci pull-archive copy-other; do
    for w in a b; do
      case $op in
        push) label="push from an OCI layout" ;; pull-oci) label="pull to an OCI layout" ;;
        pull-archive) label="pull to a docker-archive" ;; copy-other) label="copy to the second registry" ;;
      esac
      echo "| $label | ($w) | $(cpu_cell "$op|$w|ours") | $(cpu_cell "$op|$w|fd") | $(cpu_cell "$op|$w|skopeo") |"
    done
  done
  local wa=""
  for w in a b; do
    o=${S_NOTE["pull-archive|$w|ours"]:--}; s=${S_NOTE["pull-archive|$w|skopeo"]:--}
    ok_number "pull-archive|$w|ours" || o="-"
    ok_number "pull-archive|$w|skopeo" || s="-"
    wa="$wa${wa:+; }($w) ours $(fmt_mb "${o%% *}"), skopeo $(fmt_mb "${s%% *}")"
  done
  cat <<MD

Size of the docker-archive written: $wa (skopeo 1.9 always stores the layers of a
docker-archive uncompressed; a smaller file means the layers were kept compressed).

## Lazy append of a 1 KB layer, then push (registry to registry)
skopeo has no append. Wall time of the whole command; blob bytes = blob bodies the registry
sent plus blob bytes it committed (max over rounds).

| base | ours | fd | blob bytes ours | bytes moved ours | peak RSS ours / fd |
| --- | --- | --- | --- | --- | --- |
MD
  for w in c b; do
    o="append|$w|ours"; f="append|$w|fd"
    [ "$w" = c ] && label="(c) 100 MB" || label="(b) $big"
    echo "| $label | $(time_cell "$o") | $(time_cell "$f") | $(fmt_mb "${S_BLOB[$o]:--}") | $(moved_cell "$o") | $(fmt_rss "${S_RSS[$o]:--}") / $(fmt_rss "${S_RSS[$f]:--}") |"
  done
  local tarbytes
  tarbytes=$(tar -C "$WORK/tree" -c . | wc -c)
  local bo="build|tree|ours" bf="build|tree|fd" bp="build|tree|peer" tpo="-" tpp="-"
  ok_number "$bo" && tpo=$(awk -v b="$tarbytes" -v t="${S_MED[$bo]}" -v m=$MB 'BEGIN { printf "%.1f", b / m / t }')
  ok_number "$bp" && tpp=$(awk -v b="$tarbytes" -v t="${S_MED[$bp]}" -v m=$MB 'BEGIN { printf "%.1f", b / m / t }')
  cat <<MD

## Building a layer from the tree ($(fmt_mb "$tarbytes") as a tar)
| command | wall | throughput (tar MB/s) | peak RSS | layer digest |
| --- | --- | --- | --- | --- |
| \`dockerless build DIR -t oci:OUT\` | $(time_cell "$bo") | $tpo | $(fmt_rss "${S_RSS[$bo]:--}") | ${S_NOTE[$bo]:--} |
| the same, fd | $(time_cell "$bf") | - | $(fmt_rss "${S_RSS[$bf]:--}") | ${S_NOTE[$bf]:--} |
| \`tar -c DIR \| pigz -6 > FILE\` | $(time_cell "$bp") | $tpp | $(fmt_rss "${S_RSS[$bp]:--}") | (not reproducible: tar order and mtimes) |

## Startup
| command | median of 20 (min-max) |
| --- | --- |
| \`dockerless --version\` | $(time_cell "version|-|ours") |
| \`dotnet Dockerless.Cli.dll --version\` (fd) | $(time_cell "version|-|fd") |
| \`skopeo --version\` (for reference) | $(time_cell "version|-|skopeo") |
MD
  write_targets
}

# The targets, pass/fail each, for the installed tool (ours); n/a wherever it has no number.
# Issue 19: what users install is as fast as what is benchmarked; issue 5's copy targets stay.
write_targets() {
  cat <<MD

## Targets (issues 19 and 5), the installed tool
| target | measured | result |
| --- | --- | --- |
MD
  local op w r lim
  for w in a b; do
    [ "$w" = a ] && lim=0.50 || lim=0.80
    for op in push pull-oci pull-archive; do
      r=$(ratio "$op|$w|ours" "$op|$w|skopeo")
      echo "| $op ($w): wall <= ${lim} x skopeo | $r | $(verdict "$r" "$lim") |"
    done
  done
  for w in a b; do
    [ "$w" = a ] && lim=0.70 || lim=1.00
    for op in copy-same copy-other; do
      r=$(ratio "$op|$w|ours" "$op|$w|skopeo")
      echo "| $op ($w): wall <= ${lim} x skopeo | $r | $(verdict "$r" "$lim") |"
    done
  done
  local b t
  for w in c b; do
    b=${S_BLOB["append|$w|ours"]:--}; t="-"
    ok_number "append|$w|ours" && t=${S_MED["append|$w|ours"]}
    echo "| append 1 KB onto ($w) + push: blob bytes <= 64 KB | $(fmt_mb "$b") | $(verdict "$b" 65536) |"
    [ "$w" = b ] && echo "| append 1 KB onto ($w) + push, whole command: median wall < 150 ms | $(fmt_s "$t") | $(STRICT=1 verdict "$t" 0.150) |"
  done
  local k worst="-" worstk=""
  for k in "${!S_RSS[@]}"; do
    [[ $k == *"|ours" ]] || continue
    [ "${S_RSS[$k]}" = "-" ] && continue
    if [ "$worst" = "-" ] || [ "${S_RSS[$k]}" -gt "$worst" ]; then worst=${S_RSS[$k]}; worstk=$k; fi
  done
  echo "| peak RSS <= 48 MB in every operation of ours | $(fmt_rss "$worst")${worstk:+ in $(echo "${worstk%|ours}" | sed 's/|\(.*\)/ (\1)/')} | $(verdict "$worst" $RSS_LIMIT_KB) |"
  local bo="build|tree|ours" bp="build|tree|peer" res2="n/a" digests="-"
  if ok_number "$bo" && ok_number "$bp"; then
    r=$(awk -v a="${S_MED[$bp]}" -v b="${S_MED[$bo]}" 'BEGIN { printf "%.2f", a / b }')
    echo "| build throughput >= tar \| pigz -6 | ${r} x | $(awk -v r="$r" 'BEGIN { print (r >= 1) ? "pass" : "**fail**" }') |"
    digests=$(awk -F'\t' '$1 == "build" && ($3 == "ours" || $3 == "fd") && $5 == "ok" { print $11 }' "$RESULTS" | sort -u | wc -l)
    [ "$digests" = 1 ] && res2=pass || res2="**fail**"
    echo "| build: same layer digest every round, ours and fd | $digests distinct digest(s) | $res2 |"
  else
    echo "| build throughput >= tar \| pigz -6 | - | n/a |"
    echo "| build: same layer digest every round, ours and fd | - | n/a |"
  fi
  t="-"; ok_number "version|-|ours" && t=${S_MED["version|-|ours"]}
  echo "| \`dockerless --version\` median <= 20 ms | $(fmt_s "$t") | $(verdict "$t" 0.020) |"
  cat <<MD

n/a: ours cannot do the operation yet (the reason is in the tables above), so no number was taken.
Raw rows of this run: \`bench/work/results.tsv\` (not committed); per-run logs in \`bench/work/logs\`.
MD
}
