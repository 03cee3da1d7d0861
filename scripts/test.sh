#!/usr/bin/env bash
# Run the whole test suite. Starts a throwaway PostgreSQL server for the postgres-marked
# tests when the machine has one installed and no SPINSCOPE_TEST_POSTGRES_URL is given.
set -euo pipefail
cd "$(dirname "$0")/.."
started_pg=""
if [[ -z "${SPINSCOPE_TEST_POSTGRES_URL:-}" && -x scripts/postgres.sh ]]; then
    if url=$(scripts/postgres.sh start 2>/dev/null); then
        export SPINSCOPE_TEST_POSTGRES_URL="$url"
        started_pg=1
    else
        echo "note: no PostgreSQL server could be started; postgres tests will be skipped" >&2
    fi
fi
cleanup() { if [[ -n "$started_pg" ]]; then scripts/postgres.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
.venv/bin/python -m pytest -q "$@"
