// Speed-to-lead delays are kept as counts in fixed bins (so that days can be summed into any
// period, docs/reports.md), and percentiles are read from the bins. Pure.

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

// [from, to, step]: bins of `step` ms between `from` and `to`. Each bin is at most ~10–20 % of
// its lower edge wide (finer under a second), so a percentile read from them is close to exact.
const LADDER: [number, number, number][] = [
  [0, 1 * S, 100],
  [1 * S, 2 * S, 200],
  [2 * S, 5 * S, 500],
  [5 * S, 10 * S, 1 * S],
  [10 * S, 30 * S, 2 * S],
  [30 * S, 1 * MIN, 5 * S],
  [1 * MIN, 2 * MIN, 10 * S],
  [2 * MIN, 5 * MIN, 20 * S],
  [5 * MIN, 15 * MIN, 1 * MIN],
  [15 * MIN, 30 * MIN, 3 * MIN],
  [30 * MIN, 1 * H, 5 * MIN],
  [1 * H, 2 * H, 15 * MIN],
  [2 * H, 4 * H, 30 * MIN],
  [4 * H, 8 * H, 1 * H],
  [8 * H, 24 * H, 4 * H],
  [24 * H, 48 * H, 12 * H],
];

/** Lower edges of the bins, in ms; the last bin (48 h and more) is open-ended. */
export const SPEED_BIN_EDGES: readonly number[] = [...LADDER.flatMap(([from, to, step]) => Array.from({ length: (to - from) / step }, (_, i) => from + i * step)), 48 * H];
export const SPEED_BIN_COUNT = SPEED_BIN_EDGES.length;

/** The bin a delay falls in; negative delays (clock skew) count as 0. */
export function speedBinOf(ms: number): number {
  const v = Math.max(0, ms);
  let lo = 0;
  let hi = SPEED_BIN_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (SPEED_BIN_EDGES[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [from, to) of a bin in ms; `to` is null for the open-ended last bin. */
export function speedBinRange(bin: number): { from: number; to: number | null } {
  return { from: SPEED_BIN_EDGES[bin], to: bin + 1 < SPEED_BIN_COUNT ? SPEED_BIN_EDGES[bin + 1] : null };
}

/**
 * The q-th quantile (0 < q ≤ 1) of binned delays: the bin holding the value of rank ⌈q·n⌉, and
 * within it a linear interpolation as if its values were spread evenly (the open-ended last bin
 * answers its lower edge). Null when there are no values.
 */
export function quantileFromBins(counts: ArrayLike<number>, q: number, offset = 0): number | null {
  let total = 0;
  for (let i = 0; i < SPEED_BIN_COUNT; i++) total += counts[offset + i];
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let below = 0;
  for (let i = 0; i < SPEED_BIN_COUNT; i++) {
    const n = counts[offset + i];
    if (n > 0 && below + n >= rank) {
      const { from, to } = speedBinRange(i);
      if (to === null) return from;
      // The value of rank r among n spread evenly over [from, to): from + (to − from) · (r − ½) / n.
      return Math.round(from + ((to - from) * (rank - below - 0.5)) / n);
    }
    below += n;
  }
  return null;
}

/** Coarse bins for the histogram chart: [label, lower edge in ms]; each holds every fine bin from its edge up. */
export const SPEED_DISPLAY_BINS: readonly { label: string; fromMs: number }[] = [
  { label: '< 1 s', fromMs: 0 },
  { label: '1–2 s', fromMs: 1 * S },
  { label: '2–5 s', fromMs: 2 * S },
  { label: '5–10 s', fromMs: 5 * S },
  { label: '10–30 s', fromMs: 10 * S },
  { label: '30–60 s', fromMs: 30 * S },
  { label: '1–2 min', fromMs: 1 * MIN },
  { label: '2–5 min', fromMs: 2 * MIN },
  { label: '5–15 min', fromMs: 5 * MIN },
  { label: '15–60 min', fromMs: 15 * MIN },
  { label: '1–4 h', fromMs: 1 * H },
  { label: '4–24 h', fromMs: 4 * H },
  { label: '≥ 24 h', fromMs: 24 * H },
];

/** The display bin of a fine bin. */
export function displayBinOf(bin: number): number {
  const from = SPEED_BIN_EDGES[bin];
  let d = 0;
  while (d + 1 < SPEED_DISPLAY_BINS.length && SPEED_DISPLAY_BINS[d + 1].fromMs <= from) d++;
  return d;
}
