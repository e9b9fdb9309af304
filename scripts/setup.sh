#!/usr/bin/env bash
# Installs what building and testing ltv-lens needs, skipping whatever is
# already there at the right version (fast the second time).
#
#   bash scripts/setup.sh      install / check everything
#   source scripts/setup.sh    the same, and keep the environment (PATH with
#                              the project-local wasm-opt first, cargo/npm
#                              settings) in the calling shell; serve.sh and
#                              test.sh do this.
#
# Needs: rustup + cargo, node + npm, python3; apt-get (as root, or with sudo)
# only if Chromium, chromedriver or the CJK font is missing.

set -euo pipefail

# --- environment (exported: serve.sh / test.sh source this file) ----------

LTV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LTV_ROOT

# Versions. wasm-bindgen-cli must equal the `wasm-bindgen = "=X"` pin in
# Cargo.toml (read below); wasm-opt must match Trunk.toml's `wasm_opt`.
LTV_TRUNK_VERSION="0.21.14"
# The supply-chain check (scripts/supply-chain.sh); test.sh only.
LTV_CARGO_DENY_VERSION="0.20.2"
LTV_BINARYEN_DEFAULT="132"

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
case ":$PATH:" in
  *":$CARGO_HOME/bin:"*) ;;
  *) export PATH="$CARGO_HOME/bin:$PATH" ;;
esac
# The project-local wasm-opt (npm package binaryen) comes first.
export PATH="$LTV_ROOT/.tools/binaryen/node_modules/.bin:$PATH"

if [[ "${CI:-}" == "true" || ! -t 1 ]]; then
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
else
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
fi
if [[ "${CI:-}" == "true" ]]; then
  # Fresh machine, one build: incremental artefacts only cost time and disk.
  export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
fi
export CARGO_NET_RETRY="${CARGO_NET_RETRY:-10}"
export CARGO_TERM_PROGRESS_WHEN="${CARGO_TERM_PROGRESS_WHEN:-never}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"
# Trunk must not ask crates.io for a newer Trunk (Trunk.toml says offline).
export TRUNK_SKIP_VERSION_CHECK=true
export DEBIAN_FRONTEND=noninteractive
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false
export NPM_CONFIG_UPDATE_NOTIFIER=false
export NPM_CONFIG_PROGRESS=false
# playwright-core never downloads a browser; this guards against `playwright`.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export LTV_CHROMIUM="${LTV_CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

# --- helpers ---------------------------------------------------------------

ltv_say() { printf '%s\n' "$*"; }
ltv_die() {
  printf 'setup: ERROR: %s\n' "$*" >&2
  exit 1
}

# First line of `cmd --version`, or empty when the command is missing/broken.
ltv_version_of() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$@" 2>/dev/null | head -n1 || true
}

# Waits while another `cargo install <crate>` runs (e.g. a background job on
# a developer machine), so that we never start a second build of it.
ltv_wait_for_cargo_install() {
  local crate="$1" waited=0
  while pgrep -f "cargo install .*${crate}" >/dev/null 2>&1; do
    if ((waited % 60 == 0)); then
      ltv_say "wait: another 'cargo install ${crate}' is running; waiting for it (${waited}s)"
    fi
    sleep 5
    waited=$((waited + 5))
    ((waited < 3600)) || ltv_die "gave up waiting for another 'cargo install ${crate}'"
  done
}

ltv_as_root() {
  if [[ "$(id -u)" == "0" ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    ltv_die "need root (or sudo) to run: $*"
  fi
}

# The wasm-bindgen version pinned in Cargo.toml (`wasm-bindgen = "=X"` or
# `wasm-bindgen = { version = "=X", ... }`), else the one in Cargo.lock.
ltv_wasm_bindgen_version() {
  local v
  v="$(sed -n -E 's/^wasm-bindgen[[:space:]]*=[[:space:]]*(\{[^}]*version[[:space:]]*=[[:space:]]*)?"=?([0-9]+\.[0-9]+\.[0-9]+)".*/\2/p' \
    "$LTV_ROOT/Cargo.toml" | head -n1)"
  if [[ -z "$v" && -f "$LTV_ROOT/Cargo.lock" ]]; then
    v="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$LTV_ROOT/Cargo.lock")"
  fi
  [[ -n "$v" ]] || ltv_die "cannot find the wasm-bindgen version pin in Cargo.toml or Cargo.lock"
  printf '%s\n' "$v"
}

# The binaryen version Trunk.toml asks for (`wasm_opt = "version_N"`).
ltv_binaryen_version() {
  local v=""
  if [[ -f "$LTV_ROOT/Trunk.toml" ]]; then
    v="$(sed -n -E 's/^[[:space:]]*wasm_opt[[:space:]]*=[[:space:]]*"version_([0-9]+)".*/\1/p' "$LTV_ROOT/Trunk.toml" | head -n1)"
  fi
  printf '%s\n' "${v:-$LTV_BINARYEN_DEFAULT}"
}

# --- steps -----------------------------------------------------------------

ltv_setup_tools_present() {
  local tool
  for tool in cargo rustup node npm python3; do
    command -v "$tool" >/dev/null 2>&1 || ltv_die "'$tool' is not installed (needed: rustup/cargo, node + npm, python3)"
  done
}

ltv_setup_rust() {
  if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
    ltv_say "ok: rust target wasm32-unknown-unknown already installed"
  else
    ltv_say "installing: rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if ((${#missing[@]})); then
    ltv_say "installing: rustup components ${missing[*]}"
    rustup component add "${missing[@]}"
  else
    ltv_say "ok: rustfmt and clippy already installed"
  fi
}

ltv_setup_trunk() {
  local want="trunk $LTV_TRUNK_VERSION"
  if [[ "$(ltv_version_of trunk --version)" == "$want" ]]; then
    ltv_say "ok: $want already installed"
    return
  fi
  ltv_wait_for_cargo_install trunk
  if [[ "$(ltv_version_of trunk --version)" == "$want" ]]; then
    ltv_say "ok: $want installed (by another job)"
    return
  fi
  ltv_say "installing: $want (cargo install, several minutes)"
  cargo install trunk --version "$LTV_TRUNK_VERSION" --locked
  [[ "$(ltv_version_of trunk --version)" == "$want" ]] ||
    ltv_die "trunk --version does not say '$want' after installing (found: '$(ltv_version_of trunk --version)'; check PATH)"
}

ltv_wasm_bindgen_ok() {
  [[ "$(ltv_version_of wasm-bindgen --version)" == "wasm-bindgen $1" &&
    "$(ltv_version_of wasm-bindgen-test-runner --version)" == "wasm-bindgen-test-runner $1" ]]
}

ltv_setup_wasm_bindgen() {
  local version
  version="$(ltv_wasm_bindgen_version)"
  if ltv_wasm_bindgen_ok "$version"; then
    ltv_say "ok: wasm-bindgen-cli $version already installed (pinned in Cargo.toml)"
    return
  fi
  ltv_wait_for_cargo_install wasm-bindgen-cli
  if ltv_wasm_bindgen_ok "$version"; then
    ltv_say "ok: wasm-bindgen-cli $version installed (by another job)"
    return
  fi
  ltv_say "installing: wasm-bindgen-cli $version (cargo install, several minutes; found: '$(ltv_version_of wasm-bindgen --version)')"
  # --force: replaces another installed version of wasm-bindgen-cli.
  cargo install wasm-bindgen-cli --version "$version" --locked --force
  ltv_wasm_bindgen_ok "$version" ||
    ltv_die "wasm-bindgen / wasm-bindgen-test-runner --version do not say $version after installing (check PATH)"
}

ltv_setup_wasm_opt() {
  local version dir found
  version="$(ltv_binaryen_version)"
  dir="$LTV_ROOT/.tools/binaryen"
  found="$(ltv_version_of "$dir/node_modules/.bin/wasm-opt" --version)"
  if [[ "$found" == "wasm-opt version $version "* || "$found" == "wasm-opt version $version" ]]; then
    ltv_say "ok: wasm-opt $version already installed (.tools/binaryen)"
  else
    ltv_say "installing: wasm-opt $version (npm binaryen@$version into .tools/binaryen)"
    mkdir -p "$dir"
    npm install --prefix "$dir" --save-exact --no-package-lock --loglevel=error "binaryen@$version"
    found="$(ltv_version_of "$dir/node_modules/.bin/wasm-opt" --version)"
    [[ "$found" == "wasm-opt version $version"* ]] ||
      ltv_die "wasm-opt --version says '$found', expected 'wasm-opt version $version'"
  fi
  # Trunk runs the first wasm-opt on PATH; make sure it is ours.
  [[ "$(command -v wasm-opt)" == "$dir/node_modules/.bin/wasm-opt" ]] ||
    ltv_die "wasm-opt on PATH is $(command -v wasm-opt), not .tools/binaryen's"
}

ltv_setup_browser() {
  local pkg missing=()
  for pkg in chromium chromium-driver fonts-noto-cjk; do
    dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$pkg")
  done
  [[ -x "$LTV_CHROMIUM" ]] || missing+=(chromium)
  [[ -x "$CHROMEDRIVER" ]] || missing+=(chromium-driver)
  if ((${#missing[@]} == 0)); then
    ltv_say "ok: chromium, chromium-driver and fonts-noto-cjk already installed"
    return
  fi
  # Always ask for all three: apt skips the ones that are there.
  ltv_say "installing: chromium chromium-driver fonts-noto-cjk (apt; missing: ${missing[*]})"
  command -v apt-get >/dev/null 2>&1 || ltv_die "apt-get not found; install Chromium, chromedriver and a CJK font by hand"
  ltv_as_root apt-get update -qq
  ltv_as_root apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
  [[ -x "$LTV_CHROMIUM" && -x "$CHROMEDRIVER" ]] ||
    ltv_die "$LTV_CHROMIUM or $CHROMEDRIVER still missing after apt-get install"
}

ltv_setup_e2e_deps() {
  local dir="$LTV_ROOT/tests/e2e" stamp want
  [[ -f "$dir/package-lock.json" ]] || ltv_die "tests/e2e/package-lock.json is missing"
  stamp="$dir/node_modules/.ltv-lock-stamp"
  want="$(sha256sum "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -d' ' -f1) node $(node --version)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    ltv_say "ok: e2e node modules already installed (tests/e2e/node_modules matches package-lock.json)"
    return
  fi
  ltv_say "installing: e2e node modules (npm ci in tests/e2e)"
  (cd "$dir" && npm ci --loglevel=error)
  printf '%s\n' "$want" >"$stamp"
}

# cargo-deny, for the test command's supply-chain stage: skipped when only
# serving the app (serve.sh sets LTV_SETUP_SERVE_ONLY=1).
ltv_setup_cargo_deny() {
  if [[ "${LTV_SETUP_SERVE_ONLY:-}" == "1" ]]; then
    return
  fi
  local want="cargo-deny $LTV_CARGO_DENY_VERSION"
  if [[ "$(ltv_version_of cargo-deny --version)" == "$want" ]]; then
    ltv_say "ok: $want already installed"
    return
  fi
  ltv_wait_for_cargo_install cargo-deny
  if [[ "$(ltv_version_of cargo-deny --version)" == "$want" ]]; then
    ltv_say "ok: $want installed (by another job)"
    return
  fi
  ltv_say "installing: $want (cargo install, about 5 minutes)"
  cargo install cargo-deny --version "$LTV_CARGO_DENY_VERSION" --locked --no-default-features
  [[ "$(ltv_version_of cargo-deny --version)" == "$want" ]] ||
    ltv_die "cargo-deny --version does not say '$want' after installing (found: '$(ltv_version_of cargo-deny --version)')"
}

ltv_setup_main() {
  local started=$SECONDS
  ltv_say "== setup =="
  ltv_setup_tools_present
  ltv_setup_rust
  ltv_setup_trunk
  ltv_setup_wasm_bindgen
  ltv_setup_wasm_opt
  ltv_setup_browser
  ltv_setup_e2e_deps
  ltv_setup_cargo_deny
  ltv_say "setup done in $((SECONDS - started))s"
}

ltv_setup_main
