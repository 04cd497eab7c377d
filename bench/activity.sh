#!/usr/bin/env bash
# Activity at 100,000 lines on SQLite and on a throwaway PostgreSQL: page latency and CSV time and
# memory. Prints the figures; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
PORTAL_BENCH_POSTGRES_URL="$PORTAL_TEST_POSTGRES_URL" cargo bench -p portal-backend --bench activity
