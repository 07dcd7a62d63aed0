import { displayBinOf, quantileFromBins, SPEED_BIN_COUNT, SPEED_BIN_EDGES, SPEED_DISPLAY_BINS, speedBinOf, speedBinRange } from './speed-bins.util';

/** Bin counts holding the given delays. */
function binsOf(delays: number[]): number[] {
  const counts = Array<number>(SPEED_BIN_COUNT).fill(0);
  for (const d of delays) counts[speedBinOf(d)]++;
  return counts;
}

describe('speed bins', () => {
  it('are ordered and start at 0', () => {
    expect(SPEED_BIN_EDGES[0]).toBe(0);
    for (let i = 1; i < SPEED_BIN_COUNT; i++) expect(SPEED_BIN_EDGES[i]).toBeGreaterThan(SPEED_BIN_EDGES[i - 1]);
  });

  it('are never wider than a fifth of their lower edge from one second on', () => {
    for (let i = 0; i < SPEED_BIN_COUNT - 1; i++) {
      const { from, to } = speedBinRange(i);
      if (from >= 1000) expect((to! - from) / from).toBeLessThanOrEqual(0.5);
      if (from >= 10_000 && from < 3_600_000) expect((to! - from) / from).toBeLessThanOrEqual(0.2);
    }
  });

  it.each([
    [-5, 0],
    [0, 0],
    [99, 0],
    [100, 100],
    [1_199, 1_000],
    [1_200, 1_200],
    [4_999, 4_500],
    [59_000, 55_000],
    [90_000, 90_000],
    [3 * 86_400_000, 48 * 3_600_000],
  ])('%d ms falls in the bin from %d', (ms, from) => expect(speedBinRange(speedBinOf(ms)).from).toBe(from));

  it('every display bin starts on a bin edge', () => {
    for (const d of SPEED_DISPLAY_BINS) expect(SPEED_BIN_EDGES).toContain(d.fromMs);
    expect(displayBinOf(speedBinOf(1_500))).toBe(1);
    expect(displayBinOf(speedBinOf(16 * 60_000))).toBe(9);
  });
});

describe('quantileFromBins', () => {
  it.each<[string, number[], number, number | null]>([
    ['no values', [], 0.5, null],
    ['one value answers the middle of its bin', [1_050], 0.5, 1_100],
    ['p50 of ten values is the 5th', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000], 0.5, 550],
    ['p90 of ten values is the 9th', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000], 0.9, 950],
    ['p99 of ten values is the 10th', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000], 0.99, 1_100],
    // Four values in [10 s, 12 s): ranks 1..4 spread at 10.25, 10.75, 11.25, 11.75 s.
    ['inside a shared bin, values are spread evenly', [10_000, 10_100, 10_200, 10_300], 0.5, 10_750],
    ['p90 of four in one bin takes the 4th', [10_000, 10_100, 10_200, 10_300], 0.9, 11_750],
    ['the open-ended bin answers its lower edge', [5 * 86_400_000], 0.5, 48 * 3_600_000],
    // Nine values in [300, 400): rank 9 sits at 300 + 100 · 8.5 / 9; the one slow lead does not move p90.
    ['a skewed set: most fast, one slow', [300, 300, 300, 300, 300, 300, 300, 300, 300, 600_000], 0.9, 394],
  ])('%s', (_name, delays, q, expected) => expect(quantileFromBins(binsOf(delays), q)).toBe(expected));

  it('stays within one bin of the exact nearest-rank value', () => {
    const delays = Array.from({ length: 500 }, (_, i) => Math.round(200 + i * i * 7.3));
    const sorted = [...delays].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1];
      const { from, to } = speedBinRange(speedBinOf(exact));
      const got = quantileFromBins(binsOf(delays), q)!;
      expect(got).toBeGreaterThanOrEqual(from);
      expect(got).toBeLessThan(to!);
    }
  });

  it('reads a stage from an offset', () => {
    const two = [...binsOf([]), ...binsOf([2_000])];
    expect(quantileFromBins(two, 0.5, SPEED_BIN_COUNT)).toBe(2_250);
    expect(quantileFromBins(two, 0.5, 0)).toBeNull();
  });
});
