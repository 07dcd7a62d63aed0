#!/usr/bin/env bash
# The whole test suite: installs what is missing, type-checks and builds, lints, then runs the unit
# tests and the integration tests against a real Asterisk and SIPp on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
echo "[leadline] lint, dashboard type check"
npx --no-install eslint --max-warnings=0 .
npx --no-install tsc -p apps/dashboard/tsconfig.json

mkdir -p .tmp
status=0
npx --no-install jest --runInBand --json --outputFile=.tmp/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.tmp/jest-results.json");
  process.stdout.write(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`);
' || true
exit $status
