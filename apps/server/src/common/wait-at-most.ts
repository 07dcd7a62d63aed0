/**
 * Waits for `work`, or for `ms` to pass, whichever comes first; the timer does not outlive the
 * wait. A rejection of `work` before the time is up is passed on.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
