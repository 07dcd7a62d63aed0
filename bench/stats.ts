export function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (q in 0..1); NaN for no values. */
export function percentile(values: number[], q: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function max(values: number[]): number {
  return values.length ? Math.max(...values) : Number.NaN;
}

/** 1234.5 → "1,235"; small numbers keep one decimal. */
export function fmtNumber(n: number, decimals = n < 100 ? 1 : 0): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function fmtMs(n: number): string {
  return Number.isFinite(n) ? `${fmtNumber(n, n < 10 ? 1 : 0)} ms` : '–';
}

export function fmtMiB(n: number): string {
  return Number.isFinite(n) ? `${fmtNumber(n, 0)} MiB` : '–';
}
