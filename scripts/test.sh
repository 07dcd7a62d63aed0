#!/usr/bin/env bash
# The whole test suite: installs what is missing, type-checks and builds, lints, then runs the unit
# tests, the deployment checks and the integration tests against a real Asterisk and SIPp on
# loopback (SQLite), then the database-touching integration specs a second time on a real
# PostgreSQL 15 that the harness starts on loopback (LEADLINE_TEST_DB=postgres; see
# docs/database.md) — in shards side by side, each on its own Asterisk (slots of LEADLINE_IT_SLOTS),
# then the media specs alone — and last the docker stage (tests/docker: the images built and run,
# compose stacks, systemd, upgrade; docs/deployment.md), on its own so that its CPU-heavy image
# builds never run beside the timing-sensitive integration tests.
# With arguments (jest patterns or options) only the first pass runs, with them (all projects);
# LEADLINE_PG_PASS=1 runs the PostgreSQL pass too, LEADLINE_DOCKER_PASS=1 the docker stage.
set -euo pipefail
cd "$(dirname "$0")/.."

# The integration specs that touch the database in ways that differ between the two.
PG_SPECS=(
  tests/integration/migrations.spec.ts
  tests/integration/leads-action-post.spec.ts
  tests/integration/auth-roles.spec.ts
  tests/integration/lead-exceptions.spec.ts
  tests/integration/call-activity.spec.ts
  tests/integration/distribute-all.spec.ts
  tests/integration/local-presence.spec.ts
  tests/integration/ring-all.spec.ts
  tests/integration/inbound.spec.ts
  tests/integration/dial-mode-queue.spec.ts
  tests/integration/scale-out.spec.ts
  tests/integration/reports.spec.ts
  tests/integration/hot-path-queries.spec.ts
  tests/integration/dial-mode-hold-expiry.spec.ts
  tests/integration/webhooks.spec.ts
  tests/integration/webhooks-cluster.spec.ts
)

# Specs run after the shards, alone (none of them is in PG_SPECS): restart, monitor and
# transfer-hold missed packet counts or their call's timing beside the other shard in the 2-core
# fresh-clone runs of 2026-12-04; attended-transfer runs the same kind of call (it did not fail
# there); rolling-upgrade's call taken over by the next process ended "interrupted" beside the
# other shard once (evening of 2026-12-04) and passed alone. The other RTP-counting specs passed
# every such run and stay in the shards.
MEDIA_SPECS=(
  tests/integration/restart.spec.ts
  tests/integration/monitor.spec.ts
  tests/integration/transfer-hold.spec.ts
  tests/integration/attended-transfer.spec.ts
  tests/integration/rolling-upgrade.spec.ts
)

bash scripts/ensure-deps.sh
echo "[leadline] lint, dashboard type check"
npx --no-install eslint --max-warnings=0 .
npx --no-install tsc -p apps/dashboard/tsconfig.json

mkdir -p .tmp
rm -f .tmp/jest-results*.json
status=0
if [ $# -gt 0 ]; then
  npx --no-install jest --runInBand --json --outputFile=.tmp/jest-results.json "$@" || status=$?
  if [ "${LEADLINE_PG_PASS:-0}" = 1 ]; then
    LEADLINE_TEST_DB=postgres npx --no-install jest --selectProjects integration --runInBand --json --outputFile=.tmp/jest-results-pg.json --runTestsByPath "${PG_SPECS[@]}" || status=$?
  fi
else
  # The whole suite as one Jest process per slot of LEADLINE_IT_SLOTS (default "0 6": two side by
  # side, "0": all in one process): each has its own Asterisk, SIPp ports and PostgreSQL
  # (tests/harness/it-env.ts), and takes its share of the spec files, split by their recorded run
  # times (tests/durations.json, tests/harness/balanced-sequencer.js): first on SQLite, then its
  # share of the PostgreSQL specs. Their lines are prefixed with the shard's number. With more than
  # one shard, the media specs are left out of the shards and run afterwards on the first slot alone.
  read -r -a slots <<< "${LEADLINE_IT_SLOTS:-0 6}"
  shards=${#slots[@]}
  media_regex="/($(IFS='|'; echo "${MEDIA_SPECS[*]}" | sed 's/\./\\./g'))\$"
  run_shard() {
    local i=$1 slot=$2 rc=0
    local -a shard=(--shard="$i/$shards" --testPathIgnorePatterns "$media_regex")
    [ "$shards" -gt 1 ] || shard=()
    LEADLINE_IT_SLOT=$slot npx --no-install jest --runInBand --json --outputFile=".tmp/jest-results-$i.json" --selectProjects unit deploy integration --passWithNoTests "${shard[@]}" || rc=$?
    echo "[leadline] shard $i: integration specs on PostgreSQL"
    LEADLINE_IT_SLOT=$slot LEADLINE_TEST_DB=postgres npx --no-install jest --selectProjects integration --runInBand --json --outputFile=".tmp/jest-results-pg-$i.json" --passWithNoTests "${shard[@]}" --runTestsByPath "${PG_SPECS[@]}" || rc=$?
    return $rc
  }
  echo "[leadline] unit, deployment and integration tests (SQLite, then PostgreSQL: ${PG_SPECS[*]##*/}) in $shards shard(s) on slots ${slots[*]}"
  started=$(date +%s)
  pids=()
  for i in $(seq 1 "$shards"); do
    run_shard "$i" "${slots[$((i - 1))]}" > >(sed -u "s/^/[shard $i] /") 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  if [ "$shards" -gt 1 ]; then
    echo "[leadline] shards took $(( $(date +%s) - started )) s; media specs alone on slot ${slots[0]}: ${MEDIA_SPECS[*]##*/}"
    media_started=$(date +%s)
    LEADLINE_IT_SLOT=${slots[0]} npx --no-install jest --selectProjects integration --runInBand --json --outputFile=.tmp/jest-results-media.json --runTestsByPath "${MEDIA_SPECS[@]}" || status=$?
    echo "[leadline] media specs took $(( $(date +%s) - media_started )) s"
  fi
  echo "[leadline] integration tests took $(( $(date +%s) - started )) s"
fi

if [ $# -eq 0 ] || [ "${LEADLINE_DOCKER_PASS:-0}" = 1 ]; then
  echo "[leadline] docker stage: images, compose stacks, systemd, upgrade (tests/docker)"
  docker_started=$(date +%s)
  npx --no-install jest --selectProjects docker --runInBand --json --outputFile=.tmp/jest-results-docker.json || status=$?
  echo "[leadline] docker stage took $(( $(date +%s) - docker_started )) s"
fi

node -e '
  const fs = require("fs");
  const files = fs.readdirSync(".tmp").filter((f) => /^jest-results.*\.json$/.test(f));
  const runs = files.map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(".tmp/" + f, "utf8")) }));
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  const head = (text) => text.split("\n").slice(0, 12).join("\n");
  // The failures again, last: a CI log is often read from its tail only.
  for (const run of runs) {
    for (const suite of run.testResults) {
      const failed = suite.assertionResults.filter((a) => a.status === "failed");
      if (failed.length === 0 && suite.status === "failed") process.stdout.write(`\nFAILED ${suite.name} (${run.file})\n${head(suite.message)}\n`);
      for (const a of failed) process.stdout.write(`\nFAILED ${suite.name} (${run.file}) › ${a.fullName}\n${head(a.failureMessages.join("\n"))}\n`);
    }
  }
  process.stdout.write(`\ntests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests")} skipped\n`);
' || true
exit $status
