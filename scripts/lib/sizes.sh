#!/usr/bin/env bash
# Prints the size of what the browser downloads (WASM + JS + CSS), raw and gzip -9.
set -euo pipefail
dist=${1:-dist}
total_raw=0
total_gz=0
printf '%-48s %10s %10s\n' "shipped file" "raw B" "gzip B"
while IFS= read -r f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#"$dist"/}" "$raw" "$gz"
done < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) | sort)
printf '%-48s %10d %10d\n' "total (WASM + JS + CSS)" "$total_raw" "$total_gz"
