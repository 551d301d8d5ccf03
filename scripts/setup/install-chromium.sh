#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (Playwright's own browser download cannot
# work offline). Idempotent and quiet: does nothing when /usr/bin/chromium is already there.
# Needs root (CI runs as root); elsewhere, install the `chromium` package yourself.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: /usr/bin/chromium is missing; run: sudo apt-get install chromium" >&2
  exit 1
fi
echo "install-chromium: installing Debian's chromium (browser tests)"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
/usr/bin/chromium --version
