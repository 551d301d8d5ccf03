#!/usr/bin/env bash
# Runs the store tests, the concierge tests and the end-to-end tests built on the shared harnesses on PostgreSQL
# (CO_AGENT_TEST_STORE=postgresql), each test in a fresh database co_agent_test_<random> that is
# dropped afterwards. The server: CO_AGENT_TEST_POSTGRES_URL, default the local one
# (postgresql://postgres@127.0.0.1:5432/postgres, trust auth, as on the project's machines).
# Usage: scripts/ci/postgres.sh [vitest paths...]
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '[postgres] %s\n' "$*"; }
export CO_AGENT_TEST_STORE=postgresql
export CO_AGENT_TEST_POSTGRES_URL="${CO_AGENT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
server=$(node -e 'const u = new URL(process.argv[1]); u.password = ""; console.log(u.href)' "$CO_AGENT_TEST_POSTGRES_URL")
if ! node -e '
  const pg = require("pg");
  const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
  c.connect().then(() => c.query("select version()")).then((r) => { console.log(r.rows[0].version); return c.end(); })
    .catch((e) => { console.error(e.message); process.exit(1); });' "$CO_AGENT_TEST_POSTGRES_URL"; then
  say "cannot reach PostgreSQL at $server: start it, or point CO_AGENT_TEST_POSTGRES_URL at a server where the user may create databases"
  exit 1
fi
if [ "$#" -eq 0 ]; then
  # Every file whose store follows CO_AGENT_TEST_STORE. Left on SQLite: matrix-sync.test.ts and
  # operations.test.ts (they test SQLite's own file lock and pid file) and the files that write
  # their own configuration. test/e2e/failover.test.ts runs on PostgreSQL in the main run.
  set -- test/integration/store test/unit/concierge \
    test/e2e/matrix.test.ts test/e2e/matrix-members.test.ts test/e2e/matrix-weekly.test.ts test/e2e/matrix-tags.test.ts \
    test/e2e/matrix-bad-input.test.ts test/e2e/matrix-downtime.test.ts test/e2e/matrix-login-dm.test.ts test/e2e/matrix-rate-limit.test.ts \
    test/e2e/matrix-encryption-keys.test.ts test/e2e/matrix-encryption-broken-store.test.ts test/e2e/dashboard-api-service.test.ts \
    test/e2e/discourse.test.ts test/e2e/discourse-privacy.test.ts test/e2e/discourse-catch-up.test.ts test/e2e/discourse-faults.test.ts \
    test/e2e/discourse-refusals.test.ts test/e2e/discourse-budget.test.ts \
    test/e2e/dashboard-api.test.ts test/e2e/dashboard-api-auth.test.ts test/e2e/dashboard-api-export.test.ts test/e2e/dashboard-no-500.test.ts \
    test/e2e/dashboard-sessions.test.ts test/e2e/dashboard-login-guessing.test.ts test/e2e/http-headers.test.ts
fi
started=$(date +%s)
say "store and end-to-end tests on $server"
npx vitest run "$@"
say "passed in $(( $(date +%s) - started )) s"
