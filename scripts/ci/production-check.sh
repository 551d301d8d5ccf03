#!/usr/bin/env bash
# Proves the documented production path: build, then in a copy of the project with the dev
# dependencies pruned (what `npm ci --omit=dev` installs from the same lockfile), start the
# compiled sandbox, play one simulated week, check /readyz and /metrics, and stop it with SIGTERM.
# node_modules are copied from this checkout and pruned rather than installed again: a fresh
# install compiles better-sqlite3 (~3 min) and proves nothing more about what runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '[production-check] %s\n' "$*"; }

npm run build --silent
work=$(mktemp -d "${TMPDIR:-/tmp}/co-agent-production.XXXXXX")
pid=''
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# What an operator ships: the lockfile, the build, the local stand-in package and the install hook.
cp -a package.json package-lock.json dist "$work/"
mkdir -p "$work/bridges/matrix" "$work/scripts/setup"
cp -a bridges/matrix/crypto-wasm "$work/bridges/matrix/"
cp -a scripts/setup/postinstall.mjs "$work/scripts/setup/"
cp -a node_modules "$work/"
cd "$work"
npm prune --omit=dev --no-audit --no-fund --loglevel=error
# The install hook as `npm ci --omit=dev` runs it: without the Prisma CLI it must not fail.
npm run postinstall --silent
# (typescript and the Prisma CLI stay: npm installs them as peers of @prisma/client; ajv 6 stays
# for matrix-bot-sdk's request library. The dev-only ajv 8 the stand-ins' spec checks use goes.)
for dev in tsx vitest eslint ajv-formats openapi-typescript playwright-core; do
  if [ -e "node_modules/$dev" ]; then say "FAIL: dev dependency $dev is still installed"; exit 1; fi
done
if node -e 'process.exit(require("ajv/package.json").version.startsWith("8.") ? 0 : 1)' 2>/dev/null; then say "FAIL: ajv 8 (dev) is still installed"; exit 1; fi
say "dev dependencies pruned ($(find node_modules -maxdepth 2 -name package.json | wc -l) packages left): no tsx vitest eslint ajv-formats openapi-typescript playwright-core, no ajv 8"

port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf 'web:\n  port: %s\nengine:\n  workers: 1\n' "$port" > co-agent.yaml
token=$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')
started=$(date +%s)
METRICS_TOKEN="$token" NODE_ENV=production node dist/main.js --sandbox --weeks 1 > service.log 2> sandbox.log &
pid=$!
until grep -q '^\[sandbox\] played in' sandbox.log; do
  if ! kill -0 "$pid" 2>/dev/null; then say "FAIL: the service exited"; tail -20 sandbox.log service.log; exit 1; fi
  if [ $(( $(date +%s) - started )) -gt 600 ]; then say "FAIL: one simulated week took over 10 minutes"; exit 1; fi
  sleep 1
done
say "compiled sandbox played one simulated week in $(( $(date +%s) - started )) s: $(grep -m1 'requests to the bot' sandbox.log | sed 's/^\[sandbox\] *//')"

ready=$(curl -s -o ready.json -w '%{http_code}' "http://127.0.0.1:$port/readyz")
say "GET /readyz -> $ready $(cat ready.json)"
[ "$ready" = 200 ] || exit 1
wrong=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "http://127.0.0.1:$port/metrics")
code=$(curl -s -o metrics.txt -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics")
say "GET /metrics -> $code with the token, $wrong with a wrong one; $(grep -c '^co_agent_' metrics.txt) samples, e.g.:"
grep -E '^co_agent_(build_info|events_received_total|inbox_lag_seconds|outbox_actions|sends_total|rate_limit_waits_total|platform_api_|requests_answered_total|mention_to_reply_seconds_(count|sum)|engine_seconds_count\{method="analyze"|embedding_batch_seconds_count|nodejs_eventloop_lag_p99)' metrics.txt | sed 's/^/    /'
[ "$code" = 200 ] && [ "$wrong" = 401 ] || exit 1

t0=$(date +%s%N)
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=''
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
say "SIGTERM -> exit $status after $ms ms; last log: $(tail -1 service.log | cut -c1-120)"
[ "$status" = 0 ] && [ "$ms" -lt 10000 ] || exit 1
if [ -e data/sandbox.db.pid ]; then say "FAIL: pid file left behind"; exit 1; fi
say "OK: the compiled service runs without dev dependencies"
