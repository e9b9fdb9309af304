#!/usr/bin/env bash
# Builds the one-file version of the app: dist-single/ltv-lens.html, a
# single self-contained HTML file (wasm, workers and styles inside) that can
# be e-mailed and opened from disk in Chromium, Chrome or Edge.
#
#   bash scripts/one-file.sh

set -euo pipefail
export LTV_SETUP_SERVE_ONLY=1
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LTV_ROOT"

echo "== build: trunk build --release =="
trunk build --release
echo "== one file: node scripts/single-file.mjs =="
node scripts/single-file.mjs --dist dist --out dist-single/ltv-lens.html
