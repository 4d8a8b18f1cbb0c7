# Shared helpers of the benchmark: logging, prerequisite checks, the tool under test.
# Sourced by run.sh; expects BENCH_DIR, WORK and REPO to be set.

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Lists every missing program with the Debian package that provides it, then fails.
# Installs nothing: the person running the bench decides.
check_prerequisites() {
  local missing=() pkgs=()
  local -A need=(
    [dotnet]="dotnet-sdk-10.0 (Microsoft's feed)" [skopeo]=skopeo [docker-registry]=docker-registry
    [jq]=jq [pigz]=pigz [openssl]=openssl [sha256sum]=coreutils [tar]=tar [awk]=mawk
    [curl]=curl [timeout]=coreutils
  )
  local prog
  for prog in "${!need[@]}"; do
    command -v "$prog" >/dev/null 2>&1 || { missing+=("$prog"); pkgs+=("${need[$prog]}"); }
  done
  [ -x /usr/bin/time ] || { missing+=(/usr/bin/time); pkgs+=(time); }
  if [ "${#missing[@]}" -gt 0 ]; then
    say "missing: ${missing[*]}"
    say "install with: apt-get install -y --no-install-recommends ${pkgs[*]}"
    exit 1
  fi
  command -v debootstrap >/dev/null 2>&1 \
    || say "optional: debootstrap is missing (apt-get install -y debootstrap); image (a) uses a generated tree instead of Debian minbase"
  command -v hyperfine >/dev/null 2>&1 \
    || say "optional: hyperfine is missing (apt-get install -y hyperfine); --version is timed with a shell loop instead"
}

# Sets OURS and FD (arrays: the commands to run) to what users install: scripts/pack-tool.sh
# packs the tool as a release does, OURS is `dotnet tool install` of it from the packed files
# (the Native AOT executable on linux-x64 and linux-arm64) and FD the framework-dependent
# fallback package (Dockerless.Cli.any, what every other platform installs) run by `dotnet`.
# BENCH_TOOL (a command line) measures that tool alone instead, unpacked; BENCH_FD=0 skips FD.
# Leaves an array empty, with OURS_WHY or FD_WHY saying why, when there is nothing to run.
OURS=()
OURS_WHY=""
FD=()
FD_WHY="not measured (BENCH_FD=0)"
build_tool() {
  if [ -n "${BENCH_TOOL:-}" ]; then
    OURS=($BENCH_TOOL)
    FD_WHY="not measured (BENCH_TOOL names one tool)"
    say "ours: ${OURS[*]} (BENCH_TOOL, not rebuilt)"
    return 0
  fi
  if [ ! -d "$REPO/src/Dockerless.Cli" ]; then
    OURS_WHY="not implemented: src/Dockerless.Cli is not in this tree"
    FD_WHY=$OURS_WHY
    say "ours: $OURS_WHY"
    return 0
  fi
  local rid
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="" ;; esac
  rm -rf "$WORK/packages" "$WORK/tool" "$WORK/tool-fd"
  say "packing the tool (scripts/pack-tool.sh ${rid:-without a Native AOT RID})"
  if ! bash "$REPO/scripts/pack-tool.sh" "$WORK/packages" $rid > "$WORK/logs/pack.log" 2>&1; then
    OURS_WHY="not built: scripts/pack-tool.sh failed (bench/work/logs/pack.log)"
    FD_WHY=$OURS_WHY
    say "ours: $OURS_WHY"
    return 0
  fi
  if dotnet tool install --tool-path "$WORK/tool" --add-source "$WORK/packages" Dockerless.Cli \
      >> "$WORK/logs/pack.log" 2>&1; then
    OURS=("$WORK/tool/dockerless")
    say "ours: ${OURS[*]} (dotnet tool install: $(file -bL "${OURS[0]}" | cut -d, -f1-2))"
  else
    OURS_WHY="not installed: dotnet tool install failed (bench/work/logs/pack.log)"
    say "ours: $OURS_WHY"
  fi
  [ "${BENCH_FD:-1}" = 1 ] || return 0
  local any
  any=$(find "$WORK/packages" -maxdepth 1 -name 'Dockerless.Cli.any.*.nupkg' | head -n1)
  if [ -n "$any" ] && unzip -q "$any" -d "$WORK/tool-fd"; then
    FD=(dotnet "$WORK/tool-fd/tools/net10.0/any/Dockerless.Cli.dll")
    say "framework-dependent: ${FD[*]}"
  else
    FD_WHY="not built: no Dockerless.Cli.any package (bench/work/logs/pack.log)"
  fi
}

# The command of TOOL (ours or fd) into CMD_OF, or fails with the reason in WHY_NOT.
tool_cmd() { # TOOL
  if [ "$1" = fd ]; then CMD_OF=("${FD[@]}"); WHY_NOT=$FD_WHY; else CMD_OF=("${OURS[@]}"); WHY_NOT=$OURS_WHY; fi
  [ "${#CMD_OF[@]}" -gt 0 ]
}

# True when TOOL (ours or fd) exists and knows the verb (its --help answers 0).
ours_has_verb() { # VERB [TOOL]
  tool_cmd "${2:-ours}" && "${CMD_OF[@]}" "$1" --help >/dev/null 2>&1
}

# Median, min and max of numbers given one per line on stdin: prints "median min max" or "".
stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.6g %.6g %.6g\n", m, v[1], v[NR] }'
}
