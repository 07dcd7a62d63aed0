// The ARI client's connections to a real Asterisk: a burst of requests on a cold client must not
// overflow Asterisk's listen queue. Asterisk's HTTP server listens with a backlog of 10
// (main/tcptls.c); a connection the kernel cannot queue there loses its SYN, and Linux sends it
// again only after a second: a lead's phones would ring a second late.
import { performance } from 'node:perf_hooks';
import { AriHttpClient } from '../../apps/server/src/telephony/ari/ari-http.client';
import { asterisk, itAsteriskOptions } from '../harness/it-env';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STALL_MS = 300;

describe('ARI client connections (real Asterisk)', () => {
  it('opens its connections a few at a time: 32 requests sent while Asterisk stalls are all answered as soon as it is back', async () => {
    const o = itAsteriskOptions();
    const ast = await asterisk();
    const client = new AriHttpClient(`http://127.0.0.1:${o.ariPort}`, 'leadline', o.ariPassword);
    await client.request('GET', '/asterisk/ping'); // Asterisk up and the credentials right
    const cold = new AriHttpClient(`http://127.0.0.1:${o.ariPort}`, 'leadline', o.ariPassword);
    const pid = ast.pid();
    if (pid === undefined) throw new Error('the test Asterisk is not running');
    // Stopped, Asterisk accepts no connection: the kernel queues what the backlog holds.
    process.kill(pid, 'SIGSTOP');
    let answered: Promise<number[]>;
    const startedAt = performance.now();
    try {
      answered = Promise.all(Array.from({ length: 32 }, () => cold.request('GET', '/asterisk/ping').then(() => performance.now() - startedAt)));
      await sleep(STALL_MS);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const times = await answered;
    expect(times).toHaveLength(32);
    // A SYN the full queue dropped is sent again 1 s after the first: such a request is answered
    // after 1,000 ms. Every one here comes soon after Asterisk is back.
    expect(Math.max(...times)).toBeLessThan(STALL_MS + 500);
  });
});
