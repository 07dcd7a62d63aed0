// Splits the suite into shards of about equal run time, so that scripts/test.sh can run the
// integration specs as two Jest processes side by side, each on its own Asterisk (its own
// LEADLINE_IT_SLOT). Jest's own --shard cuts by a hash of the path, which can put the three
// slowest specs in one shard. Weights are seconds per spec file from tests/durations.json (made by
// scripts/test-durations.js from a run's --json results); a spec not listed yet counts as the
// median of its project's listed ones. Longest first, each to the lightest shard so far: every
// process computes the same split from the same list, so the shards never overlap or miss a file.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.join(__dirname, '..', '..');
const DURATIONS = require('../durations.json');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 1;
}

function projectOf(rel) {
  return rel.startsWith('tests/') ? rel.split('/')[1] : 'unit';
}

const known = new Map(Object.entries(DURATIONS.seconds));
const medians = new Map();
for (const [rel, s] of known) medians.set(projectOf(rel), [...(medians.get(projectOf(rel)) ?? []), s]);

function weight(testPath) {
  const rel = path.relative(ROOT, testPath).split(path.sep).join('/');
  return known.get(rel) ?? median(medians.get(projectOf(rel)) ?? []);
}

class BalancedSequencer extends Sequencer {
  shard(tests, { shardIndex, shardCount }) {
    const order = [...tests].sort((a, b) => weight(b.path) - weight(a.path) || a.path.localeCompare(b.path));
    const loads = new Array(shardCount).fill(0);
    const mine = [];
    for (const test of order) {
      const lightest = loads.indexOf(Math.min(...loads));
      loads[lightest] += weight(test.path);
      if (lightest === shardIndex - 1) mine.push(test);
    }
    return mine;
  }
}

module.exports = BalancedSequencer;
