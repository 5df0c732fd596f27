#!/bin/sh
# Installs what building and testing need, only when something is missing.
# Safe to run again: on a machine that has everything it does nothing but check.
set -eu
cd "$(dirname "$0")/.."

need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
install_pkgs() {
  echo "setup: installing$1" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $1 >/dev/null
}

# --workbook-writers: only the spreadsheet programs the workbook tests write real workbooks with.
if [ "${1:-}" = "--workbook-writers" ]; then
  for pkg in libreoffice-calc-nogui python3-openpyxl; do
    have_pkg "$pkg" || need="$need $pkg"
  done
  [ -z "$need" ] || install_pkgs "$need"
  exit 0
fi
# sqlite3 and postgresql run the SQL that `leadscore sql` writes (tests/warehouse); zlib inflates
# workbooks natively (the browser has its own inflater).
for pkg in cmake make g++ clang libclang-rt-dev emscripten nlohmann-json3-dev catch2 zlib1g-dev chromium python3 sqlite3 postgresql; do
  have_pkg "$pkg" || need="$need $pkg"
done
command -v node >/dev/null 2>&1 || need="$need nodejs"
# NodeSource's nodejs bundles npm and conflicts with Debian's npm package.
command -v npm >/dev/null 2>&1 || need="$need npm"

[ -z "$need" ] || install_pkgs "$need"

# Again whenever package-lock.json changed since the last install.
if [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund --loglevel=error
fi
