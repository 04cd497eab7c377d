#!/usr/bin/env bash
# Every test: formatting, lints, unit tests, integration tests on SQLite and PostgreSQL, Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings

source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT

cargo test --workspace

# The browser suite registers members, so it starts from a fresh demo database.
rm -rf target/e2e end2end/test-results && mkdir -p target/e2e
DATABASE_URL="sqlite://target/e2e/portal.db" PORTAL_DEMO=1 PORTAL_DATA_DIR=target/e2e \
  LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}" cargo leptos end-to-end "${RELEASE_FLAGS[@]}"

# cargo-leptos can exit 0 when the build failed before Playwright ran: trust Playwright's report.
node -e '
  const r = require("./end2end/test-results/results.json");
  const { expected, unexpected, flaky } = r.stats;
  console.log(`${expected} passed, ${unexpected + flaky} failed`);
  process.exit(expected > 0 && unexpected + flaky === 0 ? 0 : 1);
'
