#!/bin/sh
# Trunk's post_build hook: writes the release's hash into the offline copy's
# VERSION (public/sw.js), so a new release is a new cache. The hash covers
# every file the service worker keeps.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk build}"
cd "$dir"
hash=$(cat index.html boot.js worker.js reader.js style.css ltv-lens-app.js ltv-lens-app_bg.wasm | sha256sum | cut -c1-16)
sed -i "s/^const VERSION = '[^']*';/const VERSION = '$hash';/" sw.js
grep -q "^const VERSION = '$hash';" sw.js || { echo "sw-version.sh: VERSION not written into sw.js" >&2; exit 1; }
echo "sw-version.sh: offline copy version $hash"
