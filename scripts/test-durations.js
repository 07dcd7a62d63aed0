#!/usr/bin/env node
// Rewrites tests/durations.json (the shard weights of tests/harness/balanced-sequencer.js) from the
// --json results of a whole run: `node scripts/test-durations.js .tmp/jest-results*.json`.
// Seconds per spec file, rounded; of several runs of a file (the PostgreSQL pass) the longest.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const files = process.argv.slice(2);
if (!files.length) {
  process.stderr.write('usage: node scripts/test-durations.js <jest --json results>...\n');
  process.exit(2);
}
const seconds = {};
for (const file of files) {
  for (const r of JSON.parse(fs.readFileSync(file, 'utf8')).testResults) {
    const rel = path.relative(root, r.name).split(path.sep).join('/');
    const s = Math.max(1, Math.round((r.endTime - r.startTime) / 1000));
    seconds[rel] = Math.max(seconds[rel] ?? 0, s);
  }
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
const out = path.join(root, 'tests', 'durations.json');
fs.writeFileSync(out, `${JSON.stringify({ note: 'Seconds per spec file, for the shard split (tests/harness/balanced-sequencer.js). Made by scripts/test-durations.js.', seconds: sorted }, null, 2)}\n`);
process.stdout.write(`${Object.keys(sorted).length} spec files, ${Object.values(sorted).reduce((a, b) => a + b, 0)} s in all → ${path.relative(root, out)}\n`);
