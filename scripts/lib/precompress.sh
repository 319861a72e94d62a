#!/usr/bin/env bash
# Writes NAME.gz beside each WASM, JS and CSS file of the built app (gzip -9), which
# `colloquy serve` sends as it is to browsers that accept gzip, instead of compressing the
# ~540 KB of WASM on every first visit. Usage: scripts/lib/precompress.sh DIST
set -euo pipefail
dist=${1:-dist}
find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) \
  -exec gzip -9 -n -k -f {} +
