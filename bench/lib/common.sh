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

# Publishes the CLI in Release into $WORK/tool and sets OURS (an array: the command to run);
# BENCH_TOOL (a command line) uses an already built tool instead.
# Leaves OURS empty, with OURS_WHY saying why, when there is nothing to run.
OURS=()
OURS_WHY=""
build_tool() {
  if [ -n "${BENCH_TOOL:-}" ]; then
    OURS=($BENCH_TOOL)
    say "ours: ${OURS[*]} (BENCH_TOOL, not rebuilt)"
    return 0
  fi
  if [ ! -d "$REPO/src/Dockerless.Cli" ]; then
    OURS_WHY="not implemented: src/Dockerless.Cli is not in this tree"
    say "ours: $OURS_WHY"
    return 0
  fi
  rm -rf "$WORK/tool"
  # Native AOT by default: the tool then starts in milliseconds instead of paying .NET's
  # start-up and JIT on every command (BENCH_AOT=0 measures the framework-dependent tool).
  if [ "${BENCH_AOT:-1}" = 1 ]; then
    local rid
    case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="" ;; esac
    say "publishing src/Dockerless.Cli in Release as Native AOT ($rid)"
    if [ -n "$rid" ] && dotnet publish "$REPO/src/Dockerless.Cli" -c Release -r "$rid" -p:PublishAot=true \
        -p:PublishReadyToRun=false -o "$WORK/tool" -nologo -v quiet > "$WORK/logs/publish.log" 2>&1 \
        && [ -x "$WORK/tool/Dockerless.Cli" ] && [ ! -f "$WORK/tool/Dockerless.Cli.runtimeconfig.json" ]; then
      OURS=("$WORK/tool/Dockerless.Cli")
      say "ours: ${OURS[*]} (Native AOT)"
      return 0
    fi
    say "Native AOT publish failed (bench/work/logs/publish.log); falling back to the framework-dependent tool"
    rm -rf "$WORK/tool"
  fi
  say "publishing src/Dockerless.Cli in Release"
  if ! dotnet publish "$REPO/src/Dockerless.Cli" -c Release -o "$WORK/tool" -nologo -v quiet \
      > "$WORK/logs/publish.log" 2>&1; then
    OURS_WHY="not built: dotnet publish failed (bench/work/logs/publish.log)"
    say "ours: $OURS_WHY"
    return 0
  fi
  # The apphost (named after the assembly) when there is one, else `dotnet X.dll`.
  local cfg app
  cfg=$(find "$WORK/tool" -maxdepth 1 -name '*.runtimeconfig.json' | head -n1)
  [ -n "$cfg" ] || { OURS_WHY="not built: dotnet publish produced no runnable tool"; return 0; }
  app=${cfg%.runtimeconfig.json}
  if [ -x "$app" ]; then OURS=("$app"); else OURS=(dotnet "$app.dll"); fi
  say "ours: ${OURS[*]}"
}

# True when our tool exists and knows the verb (its --help answers 0).
ours_has_verb() {
  [ "${#OURS[@]}" -gt 0 ] && "${OURS[@]}" "$1" --help >/dev/null 2>&1
}

# Median, min and max of numbers given one per line on stdin: prints "median min max" or "".
stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.6g %.6g %.6g\n", m, v[1], v[NR] }'
}
