// Ring All benchmark: Leadline against a bare-ARI baseline on one real Asterisk with the same SIPp
// phones. See report.ts for what is measured and how; docs/benchmarks.md "## Ring All" for results.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { startBenchAsterisk } from './asterisk';
import { BaselineProcess } from './baseline-client';
import { sleep, wallMs } from './clock';
import { AGENT_CALLER_ID, LeadlineCampaign, LeadlineServer, ORG_CALLER_ID } from './leadline';
import { measureRound, Member, RoundRecord, TargetName } from './measure';
import { BorrowerPhones, Phones, Role, startPhones } from './phones';
import { Memory, report, Settings } from './report';
import { envInt } from '../env';

/**
 * Own ports and folder: clear of the integration suites (2x088, 2xxxx SIP, 22000+ RTP, SIPp media
 * 30000-39994). Asterisk's RTP range holds 2,000 media sessions (two ports each): 100 rounds at
 * once offer media on 1,000 agent legs and 100 borrower legs.
 */
const PORTS = {
  ari: 38088,
  sip: 35060,
  rtpStart: 46000,
  rtpEnd: 49999,
  trunkHost: '127.0.0.2',
  trunk: 35090,
  // AMI, as `npm start` opens it: Leadline cancels ring-all's losers over it (LegCanceller).
  ami: 35038,
  // SIP port of the first agent phone; the others follow (see phoneBanks): 35071-35085 for one bank.
  firstAgentPort: 35071,
  // SIPp media: mediaBase + 10 per phone, below Asterisk's RTP range even with 100 phones.
  mediaBase: 43000,
};
const AGENTS_PER_ROUND = 10;
const RING_TIMEOUT_SECONDS = 15;
/**
 * Rounds are not polled before this: keeps the bench's own requests out of the measured moments.
 * A concurrent round's winner answers up to 800 ms after its INVITE (itself up to ~400 ms after the
 * post at 20 at once), presses 300 ms later, and the digit ends 140 ms after that: its borrower's
 * INVITE and losers' CANCELs come up to about 2 s after the post. The report counts the rounds with
 * a measured moment after the bench's first request about them.
 */
const FIRST_POLL_MS = 1_200;
const FIRST_POLL_CONCURRENT_MS = 3_000;
const LATENCY_ROLES: Role[] = ['press', ...Array<Role>(AGENTS_PER_ROUND - 1).fill('ring')];
const CONCURRENT_ROLES: Role[] = ['racer', 'racer', 'silent', 'silent', 'silent', 'ring', 'ring', 'ring', 'ring', 'ring'];
/** The place of each agent among the agents of its role in a round: the phone it gets. */
const slotsOf = (roles: Role[]) => roles.map((role, i) => roles.slice(0, i).filter((r) => r === role).length);
const countsOf = (layouts: Role[][]) =>
  Object.fromEntries((['press', 'ring', 'racer', 'silent'] as const).map((role) => [role, Math.max(0, ...layouts.map((roles) => roles.filter((r) => r === role).length))])) as Record<Role, number>;
/**
 * Concurrent round g rings the phones of bank floor(g / roundsPerPhone); the latency rounds ring
 * bank 0. Each phone of a bank serves its place in every round of that bank.
 */
const bankOf = (concurrentRound: number, s: Settings) => Math.floor(concurrentRound / s.roundsPerPhone);
const phoneBanks = (s: Settings): Record<Role, number>[] =>
  Array.from({ length: Math.max(1, Math.ceil(s.concurrent / s.roundsPerPhone)) }, (_, bank) => countsOf(bank === 0 ? [LATENCY_ROLES, CONCURRENT_ROLES] : [CONCURRENT_ROLES]));

function settingsFromEnv(): Settings {
  return {
    rounds: envInt('BENCH_RINGALL_ROUNDS', 100, 1),
    concurrent: envInt('BENCH_RINGALL_CONCURRENT', 20, 0),
    concurrentBatches: envInt('BENCH_RINGALL_CONCURRENT_BATCHES', 5, 1),
    roundsPerPhone: envInt('BENCH_RINGALL_ROUNDS_PER_PHONE', 20, 1),
    agentsPerRound: AGENTS_PER_ROUND,
    ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
    firstPollMs: FIRST_POLL_MS,
    firstPollConcurrentMs: envInt('BENCH_RINGALL_FIRST_POLL_CONCURRENT_MS', FIRST_POLL_CONCURRENT_MS, 0),
  };
}

async function inPool<T, R>(items: T[], size: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function until<T>(what: string, timeoutMs: number, stepMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

interface LeadlineGroup {
  name: string;
  members: Member[];
  campaign: LeadlineCampaign;
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settingsFromEnv();
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  const dataDir = join(ctx.repoRoot, '.tmp', 'bench-ringall');
  const traceDir = join(dataDir, 'sipp');
  const leadlineDir = join(dataDir, 'leadline');
  for (const d of [traceDir, leadlineDir]) rmSync(d, { recursive: true, force: true });
  mkdirSync(traceDir, { recursive: true });
  const ariPassword = randomBytes(18).toString('base64url');
  const amiPassword = randomBytes(18).toString('base64url');
  const failures: string[] = [];
  const notes: string[] = [];

  ctx.progress(`Asterisk on ARI 127.0.0.1:${PORTS.ari}, SIP ${PORTS.sip}, RTP ${PORTS.rtpStart}-${PORTS.rtpEnd}, trunk ${PORTS.trunkHost}:${PORTS.trunk}, AMI ${PORTS.ami} (scratch ${dataDir})…`);
  const ast = await startBenchAsterisk({
    repoRoot: ctx.repoRoot,
    dataDir,
    ports: PORTS,
    ariPassword,
    ariApp: 'leadline-bench',
    ami: { port: PORTS.ami, password: amiPassword },
  });
  ctx.onCleanup(() => ast.stop());

  const phones: Phones = await startPhones(ctx, traceDir, { firstAgentPort: PORTS.firstAgentPort, banks: phoneBanks(s), borrowerHost: PORTS.trunkHost, borrowerPort: PORTS.trunk, mediaBase: PORTS.mediaBase });
  ctx.progress(`${phones.agentPhones} agent SIPp phones and the borrower up (traces in ${traceDir}); digit end-of-event ${phones.dtmfEndMs.toFixed(1)} ms into the DTMF pcap`);

  const [leadline, baseline] = await Promise.all([
    LeadlineServer.start(ctx, { dataDir: leadlineDir, ariUrl: ast.ariUrl, ariPassword, ariApp: 'leadline-bench', sipPort: PORTS.sip, logFile: join(dataDir, 'leadline.log'), env: { AMI_PORT: String(PORTS.ami), AMI_PASSWORD: amiPassword } }),
    BaselineProcess.start(ctx, { url: ast.ariUrl, username: ast.username, password: ast.password, app: 'ringall-baseline' }),
  ]);
  ctx.progress(`Leadline pid ${String(leadline.child.pid)}, baseline pid ${String(baseline.child.pid)}`);

  // ---- set-up: the same phone layout for both targets ----
  const setupStarted = Date.now();
  await leadline.setOrgCallerIds();
  const layouts: { name: string; roles: Role[]; bank: number }[] = [
    { name: 'lat', roles: LATENCY_ROLES, bank: 0 },
    ...Array.from({ length: s.concurrent }, (_, g) => ({ name: `c${String(g).padStart(2, '0')}`, roles: CONCURRENT_ROLES, bank: bankOf(g, s) })),
  ];
  const agentSpecs = layouts.flatMap((l) => l.roles.map((role, i) => ({ layout: l.name, role, contact: phones.contact(role, slotsOf(l.roles)[i], l.bank), name: `ra-${l.name}-${i}` })));
  const agents = await inPool(agentSpecs, 4, (a) => leadline.createAgent(a.name, a.contact));
  const leadlineGroups: LeadlineGroup[] = [];
  for (const l of layouts) {
    const members: Member[] = [];
    agentSpecs.forEach((a, i) => {
      if (a.layout === l.name) members.push({ user: agents[i].sipUsername, role: a.role, agentId: agents[i].id });
    });
    const campaign = await leadline.createRingAllCampaign(`ring all ${l.name}`, members.map((m) => m.agentId ?? ''), s.ringTimeoutSeconds);
    leadlineGroups.push({ name: l.name, members, campaign });
  }
  const baselineGroups = layouts.map((l) => ({ name: l.name, members: l.roles.map((role, i): Member => ({ user: `rabl-${l.name}-${i}`, role })) }));
  await baseline.provision(layouts.flatMap((l, g) => baselineGroups[g].members.map((m, i) => ({ id: m.user, contact: phones.contact(m.role, slotsOf(l.roles)[i], l.bank) }))));
  const setupMs = Date.now() - setupStarted;
  const rss = () => leadline.child.rssMiB();
  const memory: Memory = { afterSetupMiB: rss(), afterLatencyMiB: NaN, concurrentPeakMiB: NaN, afterConcurrentMiB: NaN };
  const per = (x: number) => `${(x / agents.length).toFixed(0)} ms`;
  ctx.progress(
    `set-up: ${agents.length} Leadline agents in ${leadlineGroups.length} ring-all campaigns, ${agents.length} baseline endpoints (${(setupMs / 1000).toFixed(1)} s; per agent, 4 at a time: create ${per(leadline.setupMs.create)}, session ${per(leadline.setupMs.session)})`,
  );

  const measuredFrom = wallMs();
  const borrowerPhones = new BorrowerPhones();
  const records: RoundRecord[] = [];

  // ---- one round of each target ----
  const settleLeadline = async (recs: RoundRecord[]) => {
    const ids = new Set(recs.map((r) => r.prospectId ?? ''));
    try {
      await until('Leadline distributions', (s.ringTimeoutSeconds + 45) * 1000, 150, async () => {
        const unsettled = await leadline.unsettledProspectIds();
        return [...ids].some((id) => unsettled.has(id)) ? undefined : true;
      });
    } catch {
      // reported per prospect below
    }
    for (const r of recs) {
      const p = await leadline.prospect(r.prospectId ?? '');
      r.outcome = p.status === 'assigned' ? 'assigned' : p.status === 'exception' ? `exception: ${p.failureReason ?? '?'}` : `stuck in ${p.status}`;
      if (r.outcome.startsWith('stuck')) {
        failures.push(`LOST LEAD: Leadline ${r.kind} round ${r.index}: prospect ${r.prospectId ?? ''} still "${p.status}" ${s.ringTimeoutSeconds + 45} s after it was posted`);
        continue;
      }
      try {
        const legs = await until(`legs of prospect ${r.prospectId ?? ''}`, 30_000, 100, async () => {
          const l = await leadline.legs(r.prospectId ?? '');
          const ended = l.every((x) => x.endedAt) && (p.status !== 'assigned' || l.some((x) => x.purpose === 'borrower'));
          return ended ? l : undefined;
        });
        const agentLegs = legs.filter((l) => l.purpose === 'ring_all_agent');
        const won = agentLegs.filter((l) => l.result === 'won');
        if (won.length > 1) failures.push(`DOUBLE ASSIGNMENT: Leadline ${r.kind} round ${r.index}: ${won.length} agent legs "won" prospect ${r.prospectId ?? ''}`);
        if (agentLegs.length !== r.members.length) r.notes.push(`rang ${agentLegs.length} of ${r.members.length} agents`);
        r.winnerUser = r.members.find((m) => m.agentId !== undefined && m.agentId === won[0]?.by?.id)?.user;
        const starts = agentLegs.map((l) => Date.parse(l.startedAt)).filter(Number.isFinite);
        const b = legs.find((l) => l.purpose === 'borrower');
        if (starts.length) r.legRows = { first: Math.min(...starts), last: Math.max(...starts), borrower: b ? Date.parse(b.startedAt) : undefined };
      } catch (err) {
        r.notes.push(err instanceof Error ? err.message : String(err));
      }
    }
    const agentIds = new Set(recs.flatMap((r) => r.members.map((m) => m.agentId ?? '')));
    try {
      await until('agents free again', 20_000, 100, async () => {
        const busy = await leadline.agentsOnCall();
        return [...agentIds].some((id) => busy.has(id)) ? undefined : true;
      });
    } catch (err) {
      notes.push(`Leadline: ${err instanceof Error ? err.message : String(err)}`);
    }
    const end = wallMs();
    for (const r of recs) r.endedAt = end;
  };

  // CPU time (user + system) of each program's process from a concurrent batch's start to the
  // bench's first request about it: the work of its rounds, not of the bench's polls.
  const batchCpuMs: Record<TargetName, number[]> = { baseline: [], leadline: [] };
  const cpuOf = (target: TargetName) => (target === 'leadline' ? leadline.child : baseline.child).cpuMs();
  const firstPoll = async (recs: RoundRecord[], cpuAtStart: number | undefined) => {
    const concurrent = recs[0]?.kind === 'concurrent';
    await sleep(concurrent ? s.firstPollConcurrentMs : s.firstPollMs);
    const at = wallMs();
    for (const r of recs) r.firstPollAt = at;
    const target = recs[0]?.target;
    const cpuNow = target ? cpuOf(target) : undefined;
    if (concurrent && target && cpuAtStart !== undefined && cpuNow !== undefined) batchCpuMs[target].push(cpuNow - cpuAtStart);
  };

  const leadlineRounds = async (kind: RoundRecord['kind'], groups: LeadlineGroup[], index: number): Promise<RoundRecord[]> => {
    const cpuAtStart = cpuOf('leadline');
    const recs = await Promise.all(
      groups.map(async (g) => {
        const phone = borrowerPhones.next();
        const posted = await leadline.postLead(g.campaign, phone, `Bench${kind.replace(/\W/g, '')}${index}`);
        const rec: RoundRecord = { target: 'leadline', kind, index, members: g.members, borrowerPhone: phone, sentAt: posted.sentAt, acceptedAt: posted.acceptedAt, endedAt: Number.NaN, outcome: '', prospectId: posted.prospectId, notes: [] };
        return rec;
      }),
    );
    await firstPoll(recs, cpuAtStart);
    await settleLeadline(recs);
    return recs;
  };

  const baselineRounds = async (kind: RoundRecord['kind'], groups: { members: Member[] }[], index: number): Promise<RoundRecord[]> => {
    const cpuAtStart = cpuOf('baseline');
    const started = await Promise.all(
      groups.map(async (g) => {
        const phone = borrowerPhones.next();
        const sentAt = wallMs();
        const round = await baseline.startRound({ endpoints: g.members.map((m) => m.user), borrowerPhone: phone, ringTimeoutSeconds: s.ringTimeoutSeconds, orgCallerId: ORG_CALLER_ID, agentCallerId: AGENT_CALLER_ID });
        const rec: RoundRecord = { target: 'baseline', kind, index, members: g.members, borrowerPhone: phone, sentAt: Math.min(sentAt, round.startedAt), acceptedAt: round.startedAt, endedAt: Number.NaN, outcome: '', notes: [] };
        return { rec, id: round.id };
      }),
    );
    await firstPoll(started.map((x) => x.rec), cpuAtStart);
    for (const { rec, id } of started) {
      try {
        const view = await until(`baseline round ${rec.index}`, (s.ringTimeoutSeconds + 45) * 1000, 100, async () => {
          const v = await baseline.round(id);
          return v.done ? v : undefined;
        });
        rec.outcome = view.outcome ?? 'unknown';
        rec.winnerUser = view.winnerEndpoint ?? undefined;
        rec.digitHandledAt = view.digitHandledAt ?? undefined;
        rec.notes.push(...view.errors);
      } catch (err) {
        rec.outcome = 'unfinished';
        rec.notes.push(err instanceof Error ? err.message : String(err));
      }
    }
    const end = wallMs();
    for (const { rec } of started) rec.endedAt = end;
    return started.map((x) => x.rec);
  };

  const show = (recs: RoundRecord[]) => {
    const traces = phones.traces();
    for (const r of recs) {
      const m = measureRound(r, traces, phones.dtmfEndMs);
      const f = (x: number | undefined) => (x === undefined ? '   –   ' : `${x.toFixed(1).padStart(6)} ms`);
      ctx.progress(
        `${r.kind.padEnd(10)} ${String(r.index).padStart(2)} ${r.target.padEnd(8)} ${r.outcome.padEnd(9)} INVITEs ${m.invites}/${r.members.length} all by ${f(m.allInvitesMs)}  digit→borrower INVITE ${f(m.borrowerInviteMs)}  digit→last CANCEL ${f(m.lastCancelMs)}${r.notes.length ? `  (${r.notes.join('; ')})` : ''}`,
      );
    }
  };

  const latencyLeadline = leadlineGroups.slice(0, 1);
  const latencyBaseline = baselineGroups.slice(0, 1);

  // Warm-up (not counted): also proves that every piece answers before the measured rounds.
  for (const recs of [await baselineRounds('warm-up', latencyBaseline, 0), await leadlineRounds('warm-up', latencyLeadline, 0)]) {
    records.push(...recs);
    show(recs);
    const m = measureRound(recs[0], phones.traces(), phones.dtmfEndMs);
    if (m.invites === 0) throw new Error(`warm-up ${recs[0].target}: the phones logged no INVITE (outcome ${recs[0].outcome}; ${recs[0].notes.join('; ')})\n${ast.logTail(20)}`);
  }

  for (let i = 1; i <= s.rounds; i++) {
    // Strictly alternating (never two rounds of one target back to back), sharing the machine's noise.
    for (const next of [() => baselineRounds('sequential', latencyBaseline, i), () => leadlineRounds('sequential', latencyLeadline, i)]) {
      const recs = await next();
      records.push(...recs);
      show(recs);
      await sleep(200);
    }
  }

  memory.afterLatencyMiB = rss();
  if (s.concurrent > 0) {
    // Batches of s.concurrent rounds at once, the targets alternating: a p99 of many samples.
    for (let batch = 1; batch <= s.concurrentBatches; batch++) {
      for (const target of ['baseline', 'leadline'] as const) {
        await sleep(500);
        // Leadline's peak while its own rounds ring (the baseline's rounds are another process).
        if (target === 'leadline') memory.concurrentPeakMiB = Math.max(memory.concurrentPeakMiB || 0, rss());
        const sampler = target === 'leadline' ? setInterval(() => (memory.concurrentPeakMiB = Math.max(memory.concurrentPeakMiB, rss())), 100) : undefined;
        const recs = target === 'baseline' ? await baselineRounds('concurrent', baselineGroups.slice(1), batch) : await leadlineRounds('concurrent', leadlineGroups.slice(1), batch);
        clearInterval(sampler);
        records.push(...recs);
        show(recs);
      }
    }
    await sleep(2000);
    memory.afterConcurrentMiB = rss();
  }

  // ---- every lead accounted for ----
  await sleep(300);
  const applications = await leadline.applications();
  const appsByProspect = new Map<string, typeof applications>();
  for (const a of applications) appsByProspect.set(a.prospectId, [...(appsByProspect.get(a.prospectId) ?? []), a]);
  for (const r of records.filter((x) => x.target === 'leadline')) {
    const apps = appsByProspect.get(r.prospectId ?? '') ?? [];
    const where = `Leadline ${r.kind} round ${r.index} (prospect ${r.prospectId ?? ''})`;
    if (apps.length > 1) failures.push(`DOUBLE ASSIGNMENT: ${where} has ${apps.length} applications`);
    if (r.outcome === 'assigned' && apps.length === 0) failures.push(`LOST LEAD: ${where} is assigned but has no application`);
    if (r.outcome !== 'assigned' && apps.length > 0) failures.push(`${where} is "${r.outcome}" yet has ${apps.length} application(s)`);
    const winner = r.members.find((m) => m.user === r.winnerUser);
    if (apps.length === 1 && winner && apps[0].agentId !== winner.agentId) failures.push(`DOUBLE ASSIGNMENT: ${where}: the application went to agent ${apps[0].agentId}, the winning leg was ${winner.agentId ?? '?'}`);
    if (apps.length === 1 && apps[0].via !== 'ring_all') notes.push(`${where}: application via "${apps[0].via}"`);
  }
  // Within one batch of concurrent rounds, no agent gets two leads (each is in one group).
  const concurrentAgents = new Map<string, number>();
  for (const r of records.filter((x) => x.target === 'leadline' && x.kind === 'concurrent')) {
    for (const a of appsByProspect.get(r.prospectId ?? '') ?? []) {
      const key = `${a.agentId} in batch ${r.index}`;
      concurrentAgents.set(key, (concurrentAgents.get(key) ?? 0) + 1);
    }
  }
  for (const [agent, n] of concurrentAgents) if (n > 1) failures.push(`DOUBLE ASSIGNMENT: agent ${agent} got ${n} of the concurrent leads`);

  const traces = phones.traces();
  const measured = records.map((r) => ({ r, m: measureRound(r, traces, phones.dtmfEndMs) }));
  // Every round's record and figures, for a closer look than the report's.
  if (process.env.BENCH_RINGALL_DUMP) writeFileSync(process.env.BENCH_RINGALL_DUMP, JSON.stringify(measured));
  for (const { r, m } of measured) {
    if (m.borrowerInvites > 1) failures.push(`DOUBLE ASSIGNMENT: ${r.target} ${r.kind} round ${r.index}: the borrower got ${m.borrowerInvites} INVITEs`);
    if ((r.outcome === 'assigned' || r.outcome === 'taken') && m.borrowerInvites === 0) r.notes.push('the borrower got no INVITE');
    if (m.invites !== r.members.length) r.notes.push(`${m.invites} of ${r.members.length} agent INVITEs seen`);
  }
  const stalls = phones.stalls().filter((x) => x.at >= measuredFrom);
  if (stalls.length) {
    notes.push(
      `SIPp's overload watchdog tripped ${stalls.length} time(s) during the rounds (${[...new Set(stalls.map((x) => x.phone))].join(', ')}: over 500 ms between its 400 ms checks, so that phone's loop ran late): the machine was overloaded then, and the phones' timestamps of those moments are late too.`,
    );
  }
  const exits = phones.exits();
  if (exits.length) {
    const signalName = (n: number) => Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0] ?? '?';
    const code = (c: number) => (c > 128 ? `signal ${c - 128}, ${signalName(c - 128)}` : `code ${c}`);
    notes.push(
      `${exits.length} SIPp phone(s) exited during the rounds, so the rounds they served got fewer INVITEs: ${exits.map((x) => `${x.phone} at ${new Date(x.at).toISOString().slice(11, 23)} (${code(x.code)})`).join(', ')}.`,
    );
  }
  for (const c of [leadline.child, baseline.child]) if (!c.running) failures.push(`${c.name} exited during the bench:\n${c.tail()}`);

  return report({ settings: s, records: measured, failures, notes, loadBefore, dtmfEndMs: phones.dtmfEndMs, elapsedMs: Date.now() - startedAt, setupMs, agents: agents.length, memory, batchCpuMs });
}

export const ringAllBench: BenchModule = { name: 'ring-all', run };
