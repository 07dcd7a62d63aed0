// Access token checks: every authenticated request and socket.io connection verifies a JWT
// (HS256). Measures, in this process, Leadline's TokenService.verify against @nestjs/jwt's
// JwtService given the secret as a string, as TokenService built it before (jsonwebtoken then
// first tries the string as a PEM public key, which throws, and makes the secret key on every call).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { JwtService } from '@nestjs/jwt';
import { TokenService } from '../../apps/server/src/auth/token.service';
import type { AppConfig } from '../../apps/server/src/config/app-config';
import { envInt } from '../env';
import { machineInfo, machineMarkdown } from '../machine';
import { fmtNumber, median, percentile } from '../stats';
import type { BenchModule, BenchOutcome } from '../types';

const RUNS = envInt('BENCH_AUTH_RUNS', 15);
const PER_RUN = envInt('BENCH_AUTH_TOKENS', 2000);

/** µs per verify, one value per run of PER_RUN verifies. */
function timeRuns(verify: () => unknown): number[] {
  for (let i = 0; i < PER_RUN; i++) verify(); // warm-up
  return Array.from({ length: RUNS }, () => {
    const t0 = performance.now();
    for (let i = 0; i < PER_RUN; i++) verify();
    return ((performance.now() - t0) * 1000) / PER_RUN;
  });
}

export const authBench: BenchModule = {
  name: 'auth',
  async run(ctx): Promise<BenchOutcome> {
    const machine = machineInfo();
    const secret = randomBytes(32).toString('base64url');
    const tokens = new TokenService({ auth: { jwtSecret: secret, jwtTtlSeconds: 3600 } } as AppConfig);
    const token = tokens.issue({ sub: 'user', org: 'org', role: 'agent' });
    const failures: string[] = [];
    if (tokens.verify(token).sub !== 'user') failures.push('TokenService did not verify its own token');
    const stringSecret = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'] } });
    const bare = () => stringSecret.verify(token);
    const ours = () => tokens.verify(token);
    // Alternating, so both see the same machine.
    const bareRuns: number[] = [];
    const ourRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      bareRuns.push(...timeRuns(bare));
      ourRuns.push(...timeRuns(ours));
      ctx.progress(`auth: round ${i + 1} of 3`);
    }
    const p99 = (v: number[]) => percentile(v, 0.99);
    const [b50, o50] = [median(bareRuns), median(ourRuns)];
    const line = `verify, µs per token (median / p99 of ${bareRuns.length} runs of ${PER_RUN}): JwtService with the secret as a string ${fmtNumber(b50)} / ${fmtNumber(p99(bareRuns))}, Leadline's TokenService ${fmtNumber(o50)} / ${fmtNumber(p99(ourRuns))} (${fmtNumber(b50 / o50)}× faster at the median)`;
    const markdown = [
      machineMarkdown(machine),
      '',
      `**Method.** In the bench's own process: one HS256 access token as the server issues it, verified ${PER_RUN} times per run, ${RUNS} runs of each, three times alternating. The baseline is @nestjs/jwt's \`JwtService\` given the secret as a string, as TokenService built it before: jsonwebtoken 9, under it, then tries the string as a PEM public key (\`createPublicKey\`, which throws) and makes a secret key from it, on every call. Leadline's TokenService makes the key object once.`,
      '',
      '| verify | p50 | p99 |',
      '| --- | ---: | ---: |',
      `| JwtService, secret as a string | ${fmtNumber(b50)} µs | ${fmtNumber(p99(bareRuns))} µs |`,
      `| Leadline's TokenService | ${fmtNumber(o50)} µs | ${fmtNumber(p99(ourRuns))} µs |`,
      '',
      `Every authenticated API request and socket.io connection verifies one token: ${fmtNumber(b50 - o50)} µs of CPU less each, at the median. \`BENCH_AUTH_RUNS\` (default 15) and \`BENCH_AUTH_TOKENS\` (default 2000) set the runs; \`node dist/bench/run.js auth\` runs only this module.`,
    ].join('\n');
    return { heading: 'Access token checks', markdown, text: line, failures };
  },
};
