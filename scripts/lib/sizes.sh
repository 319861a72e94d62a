#!/usr/bin/env bash
# Prints the size of what the browser downloads (WASM + JS + CSS), raw and gzip -9: first what
# every page loads (named in index.html, plus the wasm-bindgen snippets the app's JS imports),
# then the modules the app loads on demand (the `show if: code` evaluator).
set -euo pipefail
dist=${1:-dist}
first_raw=0
first_gz=0
later_raw=0
later_gz=0
printf '%-48s %10s %10s %s\n' "shipped file" "raw B" "gzip B" "loaded"
while IFS= read -r f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  rel=${f#"$dist"/}
  if [[ $rel == snippets/* ]] || grep -qE "/$(basename "$f")[\"']" "$dist/index.html"; then
    when=first
    first_raw=$((first_raw + raw))
    first_gz=$((first_gz + gz))
  else
    when="on demand"
    later_raw=$((later_raw + raw))
    later_gz=$((later_gz + gz))
  fi
  printf '%-48s %10d %10d %s\n' "$rel" "$raw" "$gz" "$when"
done < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) | sort)
printf '%-48s %10d %10d\n' "first download (WASM + JS + CSS)" "$first_raw" "$first_gz"
printf '%-48s %10d %10d\n' "on demand" "$later_raw" "$later_gz"
printf '%-48s %10d %10d\n' "total" "$((first_raw + later_raw))" "$((first_gz + later_gz))"
