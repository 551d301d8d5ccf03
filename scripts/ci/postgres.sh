#!/usr/bin/env bash
# Runs the store tests, the concierge tests and the end-to-end tests on PostgreSQL
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
# The files that start and kill whole service processes (each loading the model, each restart
# on PostgreSQL first waiting out the failover lease of the process it replaces) run after the
# rest, one file at a time: in the parallel batch the two cores could not give them their time.
SERIAL='/matrix-encryption\.|/matrix-encryption-keys\.|/matrix-restart\.|/matrix-downtime\.'
started=$(date +%s)
say "store and end-to-end tests on $server"
if [ "$#" -gt 0 ]; then
  npx vitest run "$@"
else
  # The store and concierge tests, and every end-to-end file (their stores follow
  # CO_AGENT_TEST_STORE) but the doctor checks (platform checks; no store) and the two files that
  # always run on PostgreSQL in the main run (failover, connection loss).
  e2e=$(ls test/e2e/*.test.ts | grep -v -e '/matrix-doctor\.' -e '/matrix-crypto-doctor\.' -e '/failover\.' -e '/postgres-connection-loss\.')
  # shellcheck disable=SC2046
  npx vitest run test/integration/store test/unit/concierge $(printf '%s\n' $e2e | grep -Ev "$SERIAL")
  say "and the files that restart service processes, one at a time"
  # shellcheck disable=SC2046
  npx vitest run --no-file-parallelism $(printf '%s\n' $e2e | grep -E "$SERIAL")
fi
say "passed in $(( $(date +%s) - started )) s"
