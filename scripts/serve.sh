#!/usr/bin/env bash
# Builds the release app and serves it on http://127.0.0.1:8080
# (PORT=NNNN overrides; PORT=0 picks a free port). Ctrl-C stops it.
#
#   bash scripts/serve.sh

set -euo pipefail

# Serving needs no test tools (cargo-deny).
export LTV_SETUP_SERVE_ONLY=1
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LTV_ROOT"

echo "== build: trunk build --release =="
if ! trunk build --release; then
  echo "serve: ERROR: 'trunk build --release' failed" >&2
  exit 1
fi

port="${PORT:-8080}"
echo "== serving dist/ on http://127.0.0.1:${port}/ (Ctrl-C stops) =="
exec python3 scripts/static_server.py --dir dist --port "$port"
