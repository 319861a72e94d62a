#!/usr/bin/env bash
# Fetches docassemble's demo package (docassemble-demo 1.10.5 from PyPI, MIT licence), whose
# interviews 138 of the upstream browser scenarios start, into a cache laid out as a packages
# root, and prints that root. Idempotent; reuses the cache. Like ../shared/checks/corpus.sh.
set -euo pipefail
version=1.10.5
cache=${COLLOQUY_CORPUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/colloquy-corpus}
root=$cache/docassemble-demo-$version
# the Python modules came later: a cache without them is refreshed
[ -f "$root/docassemble/demo/cards.py" ] || rm -f "$root/.complete"
if [ ! -f "$root/.complete" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    "docassemble-demo==$version" -d "$tmp" >&2
  mkdir -p "$root"
  python3 - "$tmp"/docassemble_demo-*.whl "$root" <<'PY'
import sys, zipfile
wheel, root = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for n in z.namelist():
        if n.startswith("docassemble/demo/data/") or (n.startswith("docassemble/demo/") and n.endswith(".py")):
            z.extract(n, root)
PY
  touch "$root/.complete"
fi
echo "$root"
