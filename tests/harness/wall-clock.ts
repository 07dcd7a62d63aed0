// What a clock on the wall of an office in `timeZone` shows at `at`, written the way a person types a
// date-time without a zone ("2025-03-01T14:30:00"): for tests of the org-time-zone rule of filters.
export function wallClock(at: Date | string | number, timeZone: string): string {
  // Sweden's format is ISO-like: "2025-03-01 14:30:00".
  return new Date(at).toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' }).replace(' ', 'T');
}

/** The org's time zone for the length of `fn`, then the one it had. */
export async function withOrgTimeZone<T>(
  server: { request(method: string, route: string, opts: { token: string; body?: unknown }): Promise<{ status: number; body: any }> },
  adminToken: string,
  timeZone: string,
  fn: () => Promise<T>,
): Promise<T> {
  const before = (await server.request('GET', '/api/org', { token: adminToken })).body.timeZone as string;
  const set = async (zone: string) => {
    const res = await server.request('PATCH', '/api/org', { token: adminToken, body: { timeZone: zone } });
    if (res.status !== 200) throw new Error(`PATCH /api/org timeZone=${zone}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await set(timeZone);
  try {
    return await fn();
  } finally {
    await set(before);
  }
}
