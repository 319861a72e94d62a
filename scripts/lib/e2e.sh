#!/usr/bin/env bash
# Starts `colloquy serve` on a free port with a temporary data directory, runs the Playwright
# tests against it, and stops it. Usage: scripts/lib/e2e.sh PATH/TO/colloquy [playwright args]
set -euo pipefail
bin=$1
shift
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/server.log"
# The account tests read the activation and reset mails from here.
export COLLOQUY_MAILER=file COLLOQUY_MAIL_DIR="$data/mail" E2E_MAIL_DIR="$data/mail"
# docassemble's example interviews, for the scenarios of end2end/tests/scenarios.feature.
packages=(--packages ./interviews)
if corpus=$(bash ../shared/checks/corpus.sh 2>/dev/null) && [ -d "$corpus" ]; then
  packages+=(--packages "$corpus")
  export E2E_CORPUS=1
fi
"$bin" serve --listen "127.0.0.1:$port" --data "$data/data" "${packages[@]}" --dist ./dist \
  >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "colloquy serve exited early:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
status=0
(cd end2end && E2E_BASE_URL="http://127.0.0.1:$port" npx playwright test "$@") || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log ---" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
