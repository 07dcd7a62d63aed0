// Starts the baseline (baseline.ts) as a child process and drives it over its loopback HTTP API.
import { join } from 'node:path';
import { Child } from '../children';
import { freePort, isRecord, requestJson } from '../net';
import type { BenchContext } from '../types';
import { BASELINE_PATHS, BaselineEndpoint, BaselineInboundView, BaselineRoundRequest, BaselineRoundStarted, BaselineRoundView } from './baseline-api';

export class BaselineProcess {
  private constructor(
    readonly child: Child,
    private readonly base: string,
  ) {}

  /** `logFile`: where its output goes (else only the last lines are kept, for errors). */
  static async start(ctx: BenchContext, ari: { url: string; username: string; password: string; app: string }, logFile?: string): Promise<BaselineProcess> {
    const port = await freePort();
    const child = Child.start(
      'ring-all baseline',
      join(__dirname, 'baseline.js'),
      { RINGALL_ARI_URL: ari.url, RINGALL_ARI_USERNAME: ari.username, RINGALL_ARI_PASSWORD: ari.password, RINGALL_ARI_APP: ari.app, RINGALL_CONTROL_PORT: String(port) },
      ctx.repoRoot,
      [],
      logFile,
    );
    ctx.onCleanup(() => child.stop());
    const base = `http://127.0.0.1:${port}`;
    await child.waitForHttp(`${base}${BASELINE_PATHS.health}`, 20_000);
    return new BaselineProcess(child, base);
  }

  async provision(endpoints: BaselineEndpoint[]): Promise<void> {
    const res = await requestJson(`${this.base}${BASELINE_PATHS.endpoints}`, { body: { endpoints }, timeoutMs: 60_000 });
    if (res.status !== 200) throw new Error(`baseline provisioning answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** The endpoints every inbound call (Stasis "inbound,<DID>") rings. */
  async ringOnInbound(endpoints: string[]): Promise<void> {
    const res = await requestJson(`${this.base}${BASELINE_PATHS.inbound}`, { body: { endpoints } });
    if (res.status !== 200) throw new Error(`baseline inbound set-up answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  async inbound(): Promise<Required<BaselineInboundView>> {
    const res = await requestJson(`${this.base}${BASELINE_PATHS.inbound}`);
    const b = res.body;
    if (res.status !== 200 || !isRecord(b) || typeof b.calls !== 'number' || typeof b.live !== 'number') throw new Error(`baseline inbound view answered ${res.status}: ${JSON.stringify(b)}`);
    return { calls: b.calls, live: b.live, errors: Array.isArray(b.errors) ? b.errors.map(String) : [] };
  }

  async startRound(request: BaselineRoundRequest): Promise<BaselineRoundStarted> {
    const res = await requestJson(`${this.base}${BASELINE_PATHS.rounds}`, { body: request });
    const b = res.body;
    if (res.status !== 200 || !isRecord(b) || typeof b.id !== 'string' || typeof b.startedAt !== 'number') throw new Error(`baseline round answered ${res.status}: ${JSON.stringify(b)}`);
    return { id: b.id, startedAt: b.startedAt };
  }

  async round(id: string): Promise<BaselineRoundView> {
    const res = await requestJson(`${this.base}${BASELINE_PATHS.rounds}/${id}`);
    const b = res.body;
    if (res.status !== 200 || !isRecord(b) || typeof b.done !== 'boolean') throw new Error(`baseline round ${id} answered ${res.status}: ${JSON.stringify(b)}`);
    const outcome = b.outcome === 'taken' || b.outcome === 'no_answer' || b.outcome === 'failed' ? b.outcome : null;
    return {
      id,
      startedAt: typeof b.startedAt === 'number' ? b.startedAt : Number.NaN,
      done: b.done,
      outcome,
      winnerEndpoint: typeof b.winnerEndpoint === 'string' ? b.winnerEndpoint : null,
      digitHandledAt: typeof b.digitHandledAt === 'number' ? b.digitHandledAt : null,
      errors: Array.isArray(b.errors) ? b.errors.map(String) : [],
    };
  }
}
