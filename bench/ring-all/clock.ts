/**
 * Wall-clock time in ms: the clock SIPp stamps its logs with (CLOCK_REALTIME). Date.now() has 1 ms
 * resolution; performance.timeOrigin + performance.now() would give more digits, but it follows
 * the monotonic clock, which drifts from the wall clock by milliseconds over minutes here.
 */
export function wallMs(): number {
  return Date.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
