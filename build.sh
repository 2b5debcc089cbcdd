#!/usr/bin/env bash
# BookBytes build script.
#   ./build.sh run    install the offline speech engines when missing (espeak-ng, ffmpeg), then start the sample host
#   ./build.sh test   install/start what the tests need, then run every test of the solution
#   ./build.sh build  build the solution in Release
#   ./build.sh pack   pack the NuGet packages into artifacts/packages
set -euo pipefail
cd "$(dirname "$0")"

RESULTS_DIR="${RESULTS_DIR:-artifacts/test-results}"

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() {
  # Installs Debian packages that are missing; no-op when all are present.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_test_tools() {
  # Audio checks (ffprobe), PostgreSQL for the durable store tests, Chromium for the browser test, and the
  # offline speech engines the local provider's tests run (eSpeak NG; Flite and Festival with an HTS voice).
  apt_install ffmpeg postgresql chromium espeak-ng flite festival festvox-us-slt-hts
  if [ -f tools/package.json ]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    log "npm ci (tools/: s3rver, rss-parser, redocly, openapi-typescript, typescript)"
    (cd tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

ensure_run_tools() {
  # Offline speech (eSpeak NG) and MP3 encoding (ffmpeg), so the host makes audio with no key. Without root or sudo the
  # host starts anyway and says what is missing (503 PROVIDER_NOT_CONFIGURED for speech until espeak-ng is installed).
  # The programs are what the host looks for (on PATH), so they are what is checked; each is its own Debian package.
  local missing=()
  for program in espeak-ng ffmpeg; do command -v "$program" >/dev/null 2>&1 || missing+=("$program"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
    apt_install "${missing[@]}" || log "could not install ${missing[*]}; starting anyway"
  else
    log "not root and no sudo: to make audio offline, run: sudo apt-get install -y ${missing[*]}"
  fi
}

cmd_run() {
  ensure_run_tools
  exec dotnet run --project samples/WebHost "$@"
}

cmd_test() {
  ensure_test_tools
  rm -rf "$RESULTS_DIR"
  dotnet test BookBytes.sln -c Release --logger "trx" --results-directory "$RESULTS_DIR" "$@"
}

cmd_build() { dotnet build BookBytes.sln -c Release "$@"; }

cmd_pack() {
  # The packages are the projects under src/; the host, tests and benchmarks are not shipped.
  for project in src/*/*.csproj; do
    dotnet pack "$project" -c Release -o artifacts/packages "$@"
  done
  check_packages
}

check_packages() {
  # Each package carries what nuget.org shows and a user reads: icon, README, licence, XML docs, and a symbol package.
  local failed=0 nupkg id files
  for project in src/*/*.csproj; do
    id=$(basename "$project" .csproj)
    nupkg=$(ls artifacts/packages/"$id".[0-9]*.nupkg 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$nupkg" ]; then log "no package for $id"; failed=1; continue; fi
    files=$(unzip -Z1 "$nupkg")
    for want in icon.png README.md LICENSE "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
      grep -qxF "$want" <<<"$files" || { log "$nupkg lacks $want"; failed=1; }
    done
    unzip -p "$nupkg" "$id.nuspec" | grep -q '<license type="expression">MIT</license>' || { log "$nupkg has no MIT licence expression"; failed=1; }
    [ -f "${nupkg%.nupkg}.snupkg" ] || { log "no symbol package beside $nupkg"; failed=1; }
  done
  [ "$failed" -eq 0 ] && log "packages checked: icon, README, LICENSE, XML docs, licence expression, symbols"
  return "$failed"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  build) shift; cmd_build "$@" ;;
  pack) shift; cmd_pack "$@" ;;
  *) echo "usage: ./build.sh run|test|build|pack [dotnet args...]" >&2; exit 2 ;;
esac
