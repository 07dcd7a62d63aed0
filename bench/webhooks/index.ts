// Webhooks benchmark: does a receiver that never answers slow lead distribution down? Ring-all
// rounds on one Leadline server (real Asterisk, the ring-all bench's SIPp phones), in blocks that
// alternate between no webhook and a subscription to every event whose receiver accepts
// connections and never answers (with a backlog of queued deliveries). Measured from the phones'
// own SIP logs: Action Post answer → last agent INVITE, digit → borrower INVITE.
// docs/benchmarks.md "## Webhooks: a silent receiver against ring all".
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { envInt } from '../env';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { fmtMs } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { startBenchAsterisk } from '../ring-all/asterisk';
import { sleep, wallMs } from '../ring-all/clock';
import { LeadlineAgent, LeadlineServer } from '../ring-all/leadline';
import { measureRound, Member, RoundRecord, spread } from '../ring-all/measure';
import { BorrowerPhones, Role, startPhones } from '../ring-all/phones';

/** Own ports: clear of the integration slots (SIP 20000-27999, SIPp media 30000-39996, RTP 50000-57999) and the other benches (35xxx-36xxx, 38088, 39088, 46000-49999). */
const PORTS = {
  ari: 40088,
  sip: 40060,
  rtpStart: 41000,
  rtpEnd: 41999,
  trunkHost: '127.0.0.2',
  trunk: 40090,
  firstAgentPort: 40071,
  mediaBase: 42000,
};
const ROLES: Role[] = ['press', ...Array<Role>(9).fill('ring')];
const RING_TIMEOUT_SECONDS = 15;
const RECEIVER_TIMEOUT_SECONDS = 10;
const BACKLOG = 300;

type Condition = 'no webhook' | 'silent receiver';

function settings() {
  return { blocks: envInt('BENCH_WEBHOOKS_BLOCKS', 2, 1), rounds: envInt('BENCH_WEBHOOKS_ROUNDS', 6, 1) };
}

/** An HTTP server that takes every request and never answers (until it is closed). */
async function silentReceiver(): Promise<{ url: string; held: () => number; close: () => Promise<void> }> {
  let held = 0;
  const server: Server = createServer((req) => {
    held++;
    req.resume();
    req.socket.once('close', () => held--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    held: () => held,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settings();
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  const dataDir = join(ctx.repoRoot, '.tmp', 'bench-webhooks');
  const traceDir = join(dataDir, 'sipp');
  for (const d of [traceDir, join(dataDir, 'leadline')]) rmSync(d, { recursive: true, force: true });
  mkdirSync(traceDir, { recursive: true });
  const ariPassword = randomBytes(18).toString('base64url');
  const failures: string[] = [];

  ctx.progress(`Asterisk on ARI 127.0.0.1:${PORTS.ari}, SIP ${PORTS.sip} …`);
  const ast = await startBenchAsterisk({ repoRoot: ctx.repoRoot, dataDir, ports: PORTS, ariPassword, ariApp: 'leadline-bench-webhooks' });
  ctx.onCleanup(() => ast.stop());
  const perRole: Record<Role, number> = { press: 0, ring: 0, racer: 0, silent: 0 };
  for (const role of ROLES) perRole[role]++;
  const phones = await startPhones(ctx, traceDir, { firstAgentPort: PORTS.firstAgentPort, banks: [perRole], borrowerHost: PORTS.trunkHost, borrowerPort: PORTS.trunk, mediaBase: PORTS.mediaBase });
  const receiver = await silentReceiver();
  ctx.onCleanup(() => receiver.close());
  // NODE_ENV=test: production refuses a webhook URL on this machine's loopback.
  const leadline = await LeadlineServer.start(ctx, { dataDir: join(dataDir, 'leadline'), ariUrl: ast.ariUrl, ariPassword, ariApp: 'leadline-bench-webhooks', sipPort: PORTS.sip, env: { NODE_ENV: 'test' } });
  await leadline.setOrgCallerIds();

  const agents: LeadlineAgent[] = [];
  for (const [i, role] of ROLES.entries()) agents.push(await leadline.createAgent(`wh-${i}`, phones.contact(role, ROLES.slice(0, i).filter((r) => r === role).length, 0)));
  const members: Member[] = agents.map((a, i) => ({ user: a.sipUsername, role: ROLES[i], agentId: a.id }));
  const campaign = await leadline.createRingAllCampaign('webhooks bench', agents.map((a) => a.id), RING_TIMEOUT_SECONDS);
  const backlogCampaign = (await leadline.call('POST', '/campaigns', { name: 'webhooks bench backlog', distributionType: 'none' })) as { id: string; apiKey: string };
  const sub = (await leadline.call('POST', '/webhooks', {
    url: receiver.url,
    events: ['lead.accepted', 'lead.assigned', 'lead.exception', 'call.ended', 'dial_mode.result', 'inbound.missed'],
    timeoutSeconds: RECEIVER_TIMEOUT_SECONDS,
    maxConcurrency: 16,
    active: false,
  })) as { id: string };
  const borrowerPhones = new BorrowerPhones();
  const records: { condition: Condition; r: RoundRecord }[] = [];

  const round = async (condition: Condition, index: number): Promise<void> => {
    const phone = borrowerPhones.next();
    const posted = await leadline.postLead(campaign, phone, `Webhooks${index}`);
    const r: RoundRecord = { target: 'leadline', kind: 'sequential', index, members, borrowerPhone: phone, sentAt: posted.sentAt, acceptedAt: posted.acceptedAt, endedAt: Number.NaN, outcome: '', prospectId: posted.prospectId, notes: [] };
    await sleep(1_200);
    const deadline = Date.now() + (RING_TIMEOUT_SECONDS + 30) * 1000;
    for (;;) {
      const p = await leadline.prospect(posted.prospectId);
      const legs = await leadline.legs(posted.prospectId);
      if ((p.status === 'assigned' && legs.some((l) => l.purpose === 'borrower') && legs.every((l) => l.endedAt)) || p.status === 'exception') {
        r.outcome = p.status === 'assigned' ? 'assigned' : `exception: ${p.failureReason ?? '?'}`;
        break;
      }
      if (Date.now() > deadline) {
        failures.push(`LOST LEAD: round ${index} (${condition}): prospect ${posted.prospectId} still "${p.status}"`);
        break;
      }
      await sleep(150);
    }
    // Every agent free again before the next round.
    for (let i = 0; i < 100 && [...(await leadline.agentsOnCall())].some((id) => agents.some((a) => a.id === id)); i++) await sleep(100);
    r.endedAt = wallMs();
    r.winnerUser = members[0].user;
    records.push({ condition, r });
  };

  let index = 0;
  for (let block = 1; block <= s.blocks; block++) {
    for (const condition of ['no webhook', 'silent receiver'] as Condition[]) {
      if (condition === 'no webhook') {
        await leadline.call('PATCH', `/webhooks/${sub.id}`, { active: false });
        // Requests still held from the previous block end with their timeout.
        for (let i = 0; i < (RECEIVER_TIMEOUT_SECONDS + 3) * 10 && receiver.held() > 0; i++) await sleep(100);
      } else {
        await leadline.call('PATCH', `/webhooks/${sub.id}`, { active: true });
        for (let i = 0; i < BACKLOG; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => leadline.postLead(backlogCampaign, borrowerPhones.next(), `Backlog${i + j}`)));
        for (let i = 0; i < 100 && receiver.held() < 16; i++) await sleep(100);
      }
      ctx.progress(`block ${block}, ${condition}: ${s.rounds} rounds (receiver holding ${receiver.held()} requests)`);
      for (let i = 0; i < s.rounds; i++) await round(condition, ++index);
    }
  }

  const traces = phones.traces();
  const measured = records.map(({ condition, r }) => ({ condition, r, m: measureRound(r, traces, phones.dtmfEndMs) }));
  for (const { r, m, condition } of measured) {
    if (r.outcome !== 'assigned') failures.push(`round ${r.index} (${condition}): ${r.outcome}`);
    if (m.borrowerInvites !== 1) failures.push(`round ${r.index} (${condition}): the borrower got ${m.borrowerInvites} INVITEs`);
  }
  const rows = (['no webhook', 'silent receiver'] as Condition[]).map((c) => {
    const mine = measured.filter((x) => x.condition === c);
    return { c, invites: spread(mine.map((x) => x.m.allInvitesMs)), borrower: spread(mine.map((x) => x.m.borrowerInviteMs)) };
  });
  const header = ['condition', 'rounds', 'post answered → 10 INVITEs p50', 'p99', 'digit → borrower INVITE p50', 'p99', 'max'];
  const table = rows.map((x) => [x.c, String(x.borrower.n), fmtMs(x.invites.p50), fmtMs(x.invites.p99), fmtMs(x.borrower.p50), fmtMs(x.borrower.p99), fmtMs(x.borrower.max)]);
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r'];
  const loadAfter = loadavg()[0];
  const markdown = [
    `Machine: ${machineMarkdown(machineInfo())} 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after.`,
    '',
    `**Method.** \`npm run bench\` (module \`webhooks\`) starts its own Asterisk and the ring-all bench's SIPp phones, and one compiled Leadline server (\`NODE_ENV=test\`, because production refuses a webhook URL on the machine's own loopback; \`LOG_LEVEL=warn\`). One ring-all campaign of 10 agents: one answers after 150 ms and presses 1 300 ms after the ACK, nine ring until cancelled; the borrower answers after 100 ms and hangs up 300 ms later. Rounds run one at a time, in ${s.blocks} blocks of ${s.rounds} rounds per condition, alternating: **no webhook** (the subscription paused, the requests it still held timed out) and **silent receiver** — a subscription to every event type (timeout ${RECEIVER_TIMEOUT_SECONDS} s, 16 requests at once) whose receiver accepts connections and never answers, with a backlog of ${BACKLOG} leads' events queued for it before the block. Times come from the SIPp phones' own logs: the Action Post answer to the last of the 10 agent INVITEs, and the digit (the DTMF pcap's end-of-event) to the borrower's INVITE. Percentiles are nearest-rank over the rounds.`,
    '',
    markdownTable(header, table, align),
    '',
    `The receiver held ${receiver.held()} requests at the end; ${failures.length ? `**${failures.length} problem(s)**: ${failures.join('; ')}` : 'every round assigned its lead and dialled the borrower once'}. What keeps them apart: sending never holds a database transaction open while it waits, and nothing on the ring-all path waits for the dispatcher (docs/webhooks.md); \`tests/integration/webhooks-calls.spec.ts\` asserts a generous bound on the same measure.`,
  ].join('\n');
  const text = [textTable(header, table, align), '', `elapsed ${((Date.now() - startedAt) / 1000).toFixed(0)} s`].join('\n');
  return { heading: 'Webhooks: a silent receiver against ring all', markdown, text, failures };
}

export const webhooksBench: BenchModule = { name: 'webhooks', run };
