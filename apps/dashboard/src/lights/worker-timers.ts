// Timers for the light fleet that keep their pace in a hidden tab (see timer.worker.ts). Where a
// worker cannot start, the page's own timers stand in.
import { Timers, systemTimers } from '@leadline/busylight';

export function workerTimers(): { timers: Timers; dispose(): void } {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./timer.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return { timers: systemTimers, dispose: () => undefined };
  }
  const callbacks = new Map<number, { fn: () => void; repeat: boolean }>();
  let next = 1;
  worker.onmessage = (event: MessageEvent<number>) => {
    const timer = callbacks.get(event.data);
    if (!timer) return;
    if (!timer.repeat) callbacks.delete(event.data);
    timer.fn();
  };
  const set = (fn: () => void, ms: number, repeat: boolean) => {
    const id = next++;
    callbacks.set(id, { fn, repeat });
    worker.postMessage({ op: 'set', id, ms, repeat });
    return id;
  };
  const clear = (handle: unknown) => {
    if (typeof handle !== 'number' || !callbacks.delete(handle)) return;
    worker.postMessage({ op: 'clear', id: handle });
  };
  const timers: Timers = {
    setInterval: (fn, ms) => set(fn, ms, true),
    clearInterval: clear,
    setTimeout: (fn, ms) => set(fn, ms, false),
    clearTimeout: clear,
  };
  return { timers, dispose: () => worker.terminate() };
}
