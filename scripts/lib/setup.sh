# Shared set-up for scripts/serve and scripts/test: installs whatever is missing, quickly when all
# is present. Source it from the project root. Every tool comes from a package registry (crates.io,
# npm, Debian): trunk must never download anything by itself.
set -euo pipefail

TRUNK_VERSION=0.21.14
CARGO_BIN="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
# npm's wasm-opt (binaryen 132) must come before anything else on PATH: Debian's binaryen 108
# produces a WASM that dies at start.
export PATH="$PWD/end2end/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

step() { printf '\n==> %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

setup_tools() {
  step "tools"
  # The toolchain and the wasm32 target named in rust-toolchain.toml (never self-update rustup).
  rustup toolchain install --no-self-update >/dev/null
  command -v cc >/dev/null || apt_install gcc libc6-dev
  command -v curl >/dev/null || apt_install curl ca-certificates
  command -v node >/dev/null || apt_install nodejs npm
  if ! command -v chromium >/dev/null; then
    apt_install chromium
  fi
  cargo fetch --locked --quiet
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    step "installing trunk $TRUNK_VERSION (about 9 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  # wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly.
  local wb
  wb=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
    step "installing wasm-bindgen-cli $wb (about 4 minutes, once)"
    # --locked cannot resolve against the registry reachable here; fall back to a fresh resolve.
    cargo install wasm-bindgen-cli --version "$wb" --locked --force \
      || cargo install wasm-bindgen-cli --version "$wb" --force
  fi
  if [ ! -f end2end/node_modules/.package-lock.json ] \
    || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "npm ci (Playwright, binaryen)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
  local wo
  wo=$(wasm-opt --version 2>/dev/null || true)
  case "$wo" in
    *"version 132"*) ;;
    *) echo "wasm-opt on PATH is '$wo', expected npm binaryen 132 from end2end/node_modules" >&2; exit 1 ;;
  esac
}
