#!/usr/bin/env bash
# Runs every test of ltv-lens, failing fast at the first stage that fails:
#
#   1. setup          scripts/setup.sh (installs what is missing)
#   2. lint           cargo fmt --check; cargo clippy -D warnings (native, and
#                     the app and its browser tests for wasm32)
#   3. native tests   cargo test --workspace (engine, charts, CLI)
#   4. wasm tests     cargo test -p ltv-lens-app --target wasm32-unknown-unknown
#                     (wasm-bindgen-test-runner in headless Chromium)
#   5. release build  trunk build --release; cargo build --release -p ltv-lens-cli
#   6. supply chain   scripts/supply-chain.sh: cargo-deny (licences, bans,
#                     sources), the tests' npm packages, the wasm's gzipped
#                     size against its budget
#   7. cross-check    tests/crosscheck/cdnow*.py: the CLI's deciles, cohorts,
#                     LTV, F2 and repeat metrics on the real CDNOW order log
#                     against an independent computation
#   8. e2e            node --test tests/e2e/*.test.mjs (the built app in
#                     headless Chromium, compared with the CLI's numbers; the
#                     one-file build, sub-path hosting and offline use too)
#
#   bash scripts/test.sh
#
# Cargo builds run one after another (never two at once).

set -euo pipefail

STAGE_COUNT=8
STAGE_NUM=0
STAGE_NAME="start"
STAGE_START=$SECONDS
STAGE_TIMES=()
TOTAL_START=$SECONDS
LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ltv-test.XXXXXX")"

finish() {
  local rc=$?
  if ((rc != 0)); then
    echo >&2
    echo "test.sh: FAILED at stage ${STAGE_NUM}/${STAGE_COUNT} \"${STAGE_NAME}\" (exit ${rc}, after $((SECONDS - TOTAL_START))s)" >&2
  fi
  rm -rf "$LOG_DIR"
  exit "$rc"
}
trap finish EXIT

# Records how long the current stage took.
end_stage() {
  if ((STAGE_NUM > 0)); then
    STAGE_TIMES+=("$(printf '%-15s %5ss' "$STAGE_NAME" "$((SECONDS - STAGE_START))")")
  fi
}

stage() {
  end_stage
  STAGE_NUM=$((STAGE_NUM + 1))
  STAGE_NAME="$1"
  STAGE_START=$SECONDS
  echo
  echo "==> [${STAGE_NUM}/${STAGE_COUNT}] ${STAGE_NAME}"
}

# Runs a command, its output also kept in $LOG_DIR/<name>.log for counting.
logged() {
  local name="$1"
  shift
  echo "\$ $*"
  "$@" 2>&1 | tee -a "$LOG_DIR/$name.log"
}

# Adds up the test counts the runners printed (cargo test / wasm-bindgen-test-
# runner: "test result: ... N passed; N failed; N ignored"; node --test:
# "# pass N" / "# fail N" / "# skipped N" or the spec reporter's "ℹ pass N").
count_tests() {
  cat "$LOG_DIR"/*.log 2>/dev/null | awk '
    /^test result: / {
      for (i = 1; i <= NF; i++) {
        v = $(i - 1) + 0
        if ($i ~ /^passed/) p += v
        else if ($i ~ /^failed/) f += v
        else if ($i ~ /^ignored/) s += v
      }
      found = 1
    }
    /^[a-z-]+: [0-9]+ passed, [0-9]+ failed$/ {
      p += $2; f += $4; found = 1
    }
    /^(# |ℹ )(pass|fail|skipped|todo|cancelled) [0-9]+$/ {
      v = $3 + 0
      if ($2 == "pass") p += v
      else if ($2 == "fail" || $2 == "cancelled") f += v
      else s += v
      found = 1
    }
    END { if (found) printf "%d passed, %d failed, %d skipped\n", p, f, s }'
}

# ---------------------------------------------------------------------------

stage "setup"
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LTV_ROOT"

stage "lint"
# rustfmt colours its diff even into a pipe unless told.
fmt_color=never
[[ "$CARGO_TERM_COLOR" == "never" ]] || fmt_color=auto
echo "\$ cargo fmt --all -- --check"
cargo fmt --all -- --check --color "$fmt_color"
echo "\$ cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "\$ cargo clippy -p ltv-lens-app --target wasm32-unknown-unknown --all-targets -- -D warnings"
cargo clippy -p ltv-lens-app --target wasm32-unknown-unknown --all-targets -- -D warnings

stage "native tests"
logged native cargo test --workspace

stage "wasm tests"
# .cargo/config.toml names wasm-bindgen-test-runner as the wasm32 runner; say
# it here too in case it does not. Slow CI: give each test more time.
if ! grep -qs 'runner' .cargo/config.toml; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
fi
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
logged wasm env CHROMEDRIVER="$CHROMEDRIVER" cargo test -p ltv-lens-app --target wasm32-unknown-unknown

stage "release build"
echo "\$ trunk build --release"
trunk build --release
echo "\$ cargo build --release -p ltv-lens-cli"
cargo build --release -p ltv-lens-cli

export LTV_CLI="${CARGO_TARGET_DIR:-$LTV_ROOT/target}/release/ltv-lens"
export LTV_DIST="$LTV_ROOT/dist"
[[ -x "$LTV_CLI" ]] || { echo "test.sh: $LTV_CLI was not built" >&2; exit 1; }

stage "supply chain"
bash scripts/supply-chain.sh "$LTV_DIST"

stage "cross-check"
# The real CDNOW log, converted to CSV; the e2e test also uploads it.
export LTV_E2E_EXTRA_CSV="$LTV_ROOT/tests/e2e/artifacts/cdnow.csv"
logged crosscheck python3 tests/crosscheck/cdnow.py --cli "$LTV_CLI" --out-csv "$LTV_E2E_EXTRA_CSV"
logged crosscheck python3 tests/crosscheck/cdnow_cohorts.py --cli "$LTV_CLI" --csv "$LTV_E2E_EXTRA_CSV"

stage "e2e"
[[ -f "$LTV_DIST/index.html" ]] || { echo "test.sh: $LTV_DIST/index.html was not built" >&2; exit 1; }
shopt -s nullglob
e2e_files=(tests/e2e/*.test.mjs)
shopt -u nullglob
((${#e2e_files[@]})) || { echo "test.sh: no tests/e2e/*.test.mjs found" >&2; exit 1; }
logged e2e node --test "${e2e_files[@]}"

end_stage
STAGE_NAME="summary"
echo
echo "==> stage times:"
printf '  %s\n' "${STAGE_TIMES[@]}"
echo "all stages passed in $((SECONDS - TOTAL_START))s"
counts="$(count_tests)"
if [[ -n "$counts" ]]; then
  echo "tests in all runners:"
  echo "total: $counts"
fi
