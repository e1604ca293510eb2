#!/usr/bin/env bash
# Installs what the build needs on a Debian 12 machine, and fetches the pinned third-party
# sources into the build folder. Idempotent: a second run checks and does nothing.
# It never changes the machine's apt sources: the trixie source package comes through a private list.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${LINLI_BUILD:-$top/build}
deps=$build/_deps
mkdir -p "$deps"

log() { printf '[bootstrap] %s\n' "$*"; }

# ---- Debian packages -------------------------------------------------------------------
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates xz-utils python3
  clang libclang-rt-14-dev
  emscripten
  libcpp-httplib-dev nlohmann-json3-dev libsodium-dev
  googletest libgtest-dev
  chromium fonts-wqy-microhei fonttools
  nodejs npm
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node may come from another packager under the same name; npm is then bundled with it.
if command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = npm ] || [ "$p" = nodejs ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# ---- Pinned sources, checked by sha256 -----------------------------------------------
sums=$top/scripts/third_party.sha256
check() { # file expected-name
  local want; want=$(awk -v n="$2" '$2==n{print $1}' "$sums")
  [ -n "$want" ] || { echo "no sha256 for $2 in $sums" >&2; exit 1; }
  echo "$want  $1" | sha256sum -c --status || { echo "sha256 mismatch for $1 (want $want)" >&2; exit 1; }
}

# Dear ImGui from Debian's trixie source package, through a private apt state.
imgui_ver=1.90.1
imgui_dir=$deps/imgui-$imgui_ver
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  apt_dir=$deps/apt-trixie
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/dl"
  cat > "$apt_dir/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
SRC
  opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
  log "fetching imgui $imgui_ver source package"
  apt-get "${opts[@]}" update -qq
  (cd "$apt_dir/dl" && apt-get "${opts[@]}" source --download-only -qq "imgui=$imgui_ver+ds-1")
  tarball=$apt_dir/dl/imgui_$imgui_ver+ds.orig.tar.xz
  check "$tarball" "imgui_$imgui_ver+ds.orig.tar.xz"
  rm -rf "$imgui_dir.tmp" && mkdir -p "$imgui_dir.tmp"
  tar -xJf "$tarball" -C "$imgui_dir.tmp" --strip-components=1
  rm -rf "$imgui_dir" && mv "$imgui_dir.tmp" "$imgui_dir"
else
  log "imgui $imgui_ver cached"
fi

# SQLite amalgamation from an exact npm package version.
bsq_ver=12.11.1
sqlite_dir=$deps/sqlite-bsq-$bsq_ver
if [ ! -f "$sqlite_dir/sqlite3.c" ]; then
  log "fetching SQLite amalgamation (better-sqlite3@$bsq_ver)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "better-sqlite3@$bsq_ver" >/dev/null)
  tgz=$(ls "$tmp"/better-sqlite3-*.tgz)
  check "$tgz" "better-sqlite3-$bsq_ver.tgz"
  tar -xzf "$tgz" -C "$tmp" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  mkdir -p "$sqlite_dir.tmp"
  mv "$tmp"/package/deps/sqlite3/sqlite3.[ch] "$sqlite_dir.tmp/"
  rm -rf "$tmp" "$sqlite_dir" && mv "$sqlite_dir.tmp" "$sqlite_dir"
else
  log "SQLite amalgamation cached"
fi

# playwright-core for the browser tests, pinned in tests/e2e/package-lock.json.
if [ ! -d "$top/tests/e2e/node_modules/playwright-core" ]; then
  log "installing playwright-core"
  (cd "$top/tests/e2e" && npm ci --silent --no-audit --no-fund)
else
  log "playwright-core present"
fi
log "done"
