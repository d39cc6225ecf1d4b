#!/usr/bin/env bash
# Run Gendan locally: the background worker in the background, the web server in front.
# Ctrl-C stops both. Called by `make run` after install, migrate and demo.
set -euo pipefail

cd "$(dirname "$0")/.."
GENDAN=${GENDAN:-.venv/bin/gendan}
BIND=${BIND:-127.0.0.1:8000}

# Plain HTTP on this machine: no HTTPS-only cookies, no redirect to https:// (see README).
export GENDAN_HTTPS=${GENDAN_HTTPS:-false}

"$GENDAN" worker &
worker=$!
stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        kill -TERM "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo
echo "Gendan: http://${BIND}/  (worker pid $worker; Ctrl-C stops both)"
echo
"$GENDAN" serve --bind "$BIND"
