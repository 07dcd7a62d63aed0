import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: string;
  headers?: Record<string, string>;
  /** Builds each request's body (called once per request). */
  body?: () => string;
  /** Every answer's body must pass this; failures are counted as mismatches. */
  verifyBody?: (body: string) => boolean;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  /** Requests written / answered with 2xx. */
  sent: number;
  ok: number;
  /** Answered 2xx per second over the run. */
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  maxLatency: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  /** HTTP status → count. */
  statusCodes: Record<string, number>;
}

/** One autocannon run (in this process); resolves with a digest of its result. */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const makeBody = opts.body;
  const requests: autocannon.Request[] = [
    {
      method: opts.method ?? 'POST',
      headers: opts.headers,
      ...(makeBody ? { setupRequest: (req: autocannon.RequestParams) => ({ ...req, body: makeBody() }) } : {}),
    },
  ];
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationSeconds,
        timeout: 10,
        requests,
        verifyBody: opts.verifyBody,
      },
      (err, r) => {
        if (err) return reject(err);
        const ok = r['2xx'];
        resolve({
          connections: r.connections,
          durationSeconds: r.duration,
          sent: r.requests.sent,
          ok,
          perSecond: r.duration > 0 ? ok / r.duration : 0,
          p50: r.latency.p50,
          p90: r.latency.p90,
          p99: r.latency.p99,
          maxLatency: r.latency.max,
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          mismatches: r.mismatches,
          statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
        });
      },
    );
  });
}

/** Everything wrong with a run's answers (empty when every answer was a 200 that passed verifyBody). */
export function loadProblems(label: string, r: LoadResult): string[] {
  const problems: string[] = [];
  const other = Object.entries(r.statusCodes).filter(([code]) => code !== '200');
  if (r.non2xx || other.length) problems.push(`${label}: non-200 answers ${other.map(([c, n]) => `${c}×${n}`).join(', ') || r.non2xx}`);
  if (r.errors) problems.push(`${label}: ${r.errors} request errors (${r.timeouts} timeouts)`);
  if (r.mismatches) problems.push(`${label}: ${r.mismatches} answers without StatusCode 1 / "Prospect created"`);
  if (!r.ok) problems.push(`${label}: no successful answer at all`);
  return problems;
}
