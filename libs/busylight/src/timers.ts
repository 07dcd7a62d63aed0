// The timers the light fleet and the presence lights run on. Node and a foreground tab use the
// global ones; the dashboard hands in timers driven by a dedicated worker, because Chrome throttles
// a hidden tab's own timers to one wake-up a minute (and a Kuando goes dark after 15 s without a
// keep-alive).

/** Whatever the host's setInterval / setTimeout returned. */
export type TimerHandle = unknown;

export interface Timers {
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

type GlobalTimers = {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

// Looked up at each call, so test fake timers installed after import are the ones used.
const host = () => globalThis as unknown as GlobalTimers;

export const systemTimers: Timers = {
  setInterval: (fn, ms) => host().setInterval(fn, ms),
  clearInterval: (handle) => host().clearInterval(handle),
  setTimeout: (fn, ms) => host().setTimeout(fn, ms),
  clearTimeout: (handle) => host().clearTimeout(handle),
};
