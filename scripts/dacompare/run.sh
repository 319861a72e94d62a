#!/usr/bin/env bash
# Compares colloquy with docassemble's engine on docassemble's example interviews.
#   scripts/dacompare/run.sh [COLLOQUY_BIN] [OUTDIR] [REFS_FILE]
# Default: target/debug/colloquy, /tmp/dacompare, every example of the corpus. Prints how many
# agree; OUTDIR/diffs.jsonl has the first difference of each, `summ.py OUTDIR [KIND]` groups them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../target/debug/colloquy}
out=${2:-/tmp/dacompare}
home=$("$here/setup.sh")
root=$("$here/../../../shared/checks/corpus.sh")
refs=${3:-}
if [ -z "$refs" ]; then
  refs=$(mktemp)
  ls "$root"/docassemble/base/data/questions/examples/*.yml \
    | sed "s|$root/docassemble/base/data/questions/|docassemble.base:data/questions/|" > "$refs"
fi
LC_ALL=en_US.UTF-8 NLTK_DATA="$home/nltk_data" "$home/venv/bin/python" "$here/compare.py" "$bin" "$root" "$out" "$refs"
