// Inbound routing benchmark (issue 7): a carrier's INVITE at Asterisk → the agents' INVITEs, with
// 10k users and 100k applications in the database, plus the lookup alone. See report.ts for what
// is measured; docs/benchmarks.md "## Inbound routing" for results.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { startBenchAsterisk } from '../ring-all/asterisk';
import { sleep, wallMs } from '../ring-all/clock';
import { LeadlineAgent, LeadlineServer } from '../ring-all/leadline';
import { AgentRole, CarrierCall, PhonePorts, placeCall, startAgentPhones } from './calls';
import { measureLookup } from './lookup';
import { BareRecord, DEFAULT_CALLS, report, RoundRecord, Settings } from './report';
import { BaselineProcess } from '../ring-all/baseline-client';
import { Caller, CALLER_KINDS, seedDatabase } from './seed';
import { envInt } from '../env';

/** Own ports and folder: clear of the integration suites (slots 0-9: 2x088-37088, SIP 25xxx-34xxx, RTP 22000-31999) and of ring-all (38088, 35xxx, 46000-47999). */
const PORTS = {
  ari: 39088,
  sip: 36060,
  rtpStart: 48000,
  rtpEnd: 48999,
  trunkHost: '127.0.0.2',
  trunk: 36090,
  // AMI, as `npm start` opens it (the server cancels the other agents' legs over it).
  ami: 36038,
  phones: {
    agents: { answer: 36071, ring: 36072 },
    agentMediaBase: 49100,
    carrierPorts: [36091, 36092, 36093, 36094, 36095],
    carrierMediaBase: 49200,
    trunkHost: '127.0.0.2',
    asterisk: '127.0.0.1:36060',
  } satisfies PhonePorts,
};
/** Inbound calls enter the Stasis app named when Asterisk starts (its dialplan): the server registers the same one. */
const ARI_APP = 'leadline-inbound-bench';
const DID = '+18005550123';
const ROUTED_STATE = 'TX';
/** INBOUND_MAX_AGENTS (10): every call rings all of them. */
const AGENT_ROLES: AgentRole[] = ['answer', ...Array<AgentRole>(9).fill('ring')];
const CALL_MS = 300;
const WARM_UP = 2;
/** The baseline's calls: carrier trace names from carrier-900 on, and one caller (it looks nobody up). */
const BARE_CALL_BASE = 900;
const BARE_CALLER = '+15125550199';

function settingsFromEnv(): Settings {
  return {
    rounds: envInt('BENCH_INBOUND_ROUNDS', DEFAULT_CALLS, 1),
    users: envInt('BENCH_INBOUND_USERS', 10_000, 20),
    applications: envInt('BENCH_INBOUND_APPLICATIONS', 100_000, 1_000),
    lookups: envInt('BENCH_INBOUND_LOOKUPS', 300, 10),
    loggedInPct: Math.min(100, envInt('BENCH_INBOUND_LOGGED_IN_PCT', 10, 0)),
    agents: AGENT_ROLES.length,
    routedState: ROUTED_STATE,
    callMs: CALL_MS,
    warmUp: WARM_UP,
    contrastRounds: envInt('BENCH_INBOUND_CONTRAST_ROUNDS', 20, 0),
    baselineRounds: envInt('BENCH_INBOUND_BASELINE_ROUNDS', DEFAULT_CALLS, 1),
  };
}

async function until<T>(what: string, timeoutMs: number, stepMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settingsFromEnv();
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  const dataDir = join(ctx.repoRoot, '.tmp', 'bench-inbound');
  const traceDir = join(dataDir, 'sipp');
  const leadlineDir = join(dataDir, 'leadline');
  const dbFile = join(leadlineDir, 'leadline.db');
  for (const d of [traceDir, leadlineDir]) rmSync(d, { recursive: true, force: true });
  mkdirSync(traceDir, { recursive: true });
  const ariPassword = randomBytes(18).toString('base64url');
  const amiPassword = randomBytes(18).toString('base64url');
  const adminPassword = randomBytes(18).toString('base64url');
  const failures: string[] = [];
  const notes: string[] = [];
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      phases[name] = Date.now() - t;
    }
  };

  ctx.progress(`Asterisk on ARI 127.0.0.1:${PORTS.ari} (app ${ARI_APP}), SIP ${PORTS.sip}, RTP ${PORTS.rtpStart}-${PORTS.rtpEnd}, trunk ${PORTS.trunkHost}:${PORTS.trunk} (scratch ${dataDir})…`);
  const ast = await phase('asterisk', () =>
    startBenchAsterisk({
      repoRoot: ctx.repoRoot,
      dataDir,
      ports: PORTS,
      ariPassword,
      ariApp: ARI_APP,
      ami: { port: PORTS.ami, password: amiPassword },
    }),
  );
  ctx.onCleanup(() => ast.stop());
  const phones = await startAgentPhones(ctx, traceDir, PORTS.phones);

  const serverOptions = {
    dataDir: leadlineDir,
    ariUrl: ast.ariUrl,
    ariPassword,
    ariApp: ARI_APP,
    sipPort: PORTS.sip,
    adminPassword,
    env: { INBOUND_RING_TIMEOUT_SECONDS: '10', AMI_PORT: String(PORTS.ami), AMI_PASSWORD: amiPassword },
  };

  // ---- 1st start: migrations, org and admin; the agents who take the calls, through the REST API ----
  const agents: LeadlineAgent[] = await phase('first start + agents', async () => {
    const first = await LeadlineServer.start(ctx, serverOptions);
    const created = await Promise.all(AGENT_ROLES.map((role, i) => first.createAgent(`in-agent-${i}`, phones.contact(role))));
    await first.child.stop();
    if (first.child.running) throw new Error('the first Leadline server did not stop');
    return created;
  });
  ctx.progress(`${agents.length} agents created through the API (static-IP phones on SIPp, licensed ${ROUTED_STATE}, logged in, calls on); server stopped`);

  // ---- the data, straight into SQLite ----
  const seeded = await phase('seed', () =>
    seedDatabase({ dbFile, users: s.users, applications: s.applications, loggedInShare: s.loggedInPct / 100, routedState: ROUTED_STATE, callersPerKind: Math.max(50, s.rounds), seed: 7 }),
  );
  ctx.progress(
    `seeded in ${(seeded.ms / 1000).toFixed(1)} s: ${seeded.users} users (${seeded.loggedIn} logged in, ${seeded.available} available), ${seeded.prospects} prospects, ${seeded.phones} prospect phones (${seeded.repeatPhones} shared by two), ${seeded.applications} applications; ${(seeded.dbBytes / 1024 ** 2).toFixed(0)} MiB`,
  );

  // ---- the lookup alone (server stopped) ----
  const lookupCallers = CALLER_KINDS.flatMap((k) => seeded.callers[k].slice(0, 50));
  const lookup = await phase('lookup', () => measureLookup(dbFile, seeded.orgId, lookupCallers, s.lookups, DID, agents.map((a) => a.id)));
  ctx.progress(`lookup ×${lookup.iterations}: as the server runs it p50 ${lookup.server.lookup.p50.toFixed(2)} ms, p99 ${lookup.server.lookup.p99.toFixed(2)} ms; bare SQL p50 ${lookup.raw.total.p50.toFixed(2)} ms, p99 ${lookup.raw.total.p99.toFixed(2)} ms`);
  for (const m of lookup.mismatches) failures.push(`WRONG LOOKUP (the server's lookup, server stopped): ${m}`);

  // ---- the bare ARI baseline: the same calls on the same Asterisk and Stasis app, server stopped ----
  const bareIds = AGENT_ROLES.map((_, i) => `bare-in-${i}`);
  const bareRecords: BareRecord[] = await phase('baseline calls', async () => {
    const bare = await BaselineProcess.start(ctx, { url: ast.ariUrl, username: ast.username, password: ast.password, app: ARI_APP }, join(dataDir, 'baseline.log'));
    try {
      await bare.provision(AGENT_ROLES.map((role, i) => ({ id: bareIds[i], contact: phones.contact(role) })));
      await bare.ringOnInbound(bareIds);
      const out: BareRecord[] = [];
      for (let i = 0; i < s.warmUp + s.baselineRounds; i++) {
        const startedAt = wallMs();
        const call = await placeCall({ repoRoot: ctx.repoRoot, ports: PORTS.phones, n: BARE_CALL_BASE + i, traceDir, did: DID, caller: BARE_CALLER, callMs: s.callMs, timeoutMs: 20_000 });
        // Every channel of the call gone before the next (as the server's calls wait for free agents).
        for (let tries = 0; (await bare.inbound()).live > 0; tries++) {
          if (tries > 200) throw new Error(`baseline call ${i}: channels still up 20 s after the call (${JSON.stringify(await bare.inbound())})`);
          await sleep(100);
        }
        out.push({ n: i, warmUp: i < s.warmUp, startedAt, endedAt: wallMs(), call });
        await sleep(150);
      }
      const view = await bare.inbound();
      for (const e of view.errors) failures.push(`bare ARI baseline: ${e}`);
      if (view.calls !== out.length) failures.push(`bare ARI baseline: ${view.calls} calls entered its app, ${out.length} placed`);
      return out;
    } finally {
      await bare.child.stop();
    }
  });
  ctx.progress(`bare ARI baseline: ${bareRecords.length} calls on the same Asterisk and app (server stopped)`);

  // ---- 2nd start: the desk phones are re-synced from the database at link-up ----
  const leadline = await phase('second start', () => LeadlineServer.start(ctx, serverOptions));
  for (let tries = 0; ; tries++) {
    const endpoints = await ast.cli('pjsip show endpoints');
    const missing = agents.filter((a) => !endpoints.includes(a.sipUsername));
    if (!missing.length) break;
    if (tries > 100) throw new Error(`Asterisk lacks the endpoints of ${missing.map((a) => a.sipUsername).join(', ')} after the restart:\n${endpoints.slice(0, 2000)}`);
    await sleep(200);
  }
  ctx.progress(`Leadline restarted on the seeded database (pid ${String(leadline.child.pid)}); ${agents.length} agent endpoints in Asterisk`);

  const db = new Database(dbFile, { fileMustExist: true });
  ctx.onCleanup(() => {
    db.close();
  });
  db.pragma('busy_timeout = 5000');
  const callerRowStmt = db.prepare(`select prospect_id, result, started_at, ended_at from call_activity where purpose = 'inbound' and from_number = ? and started_at >= ? order by started_at desc limit 1`);
  const legsStmt = db.prepare(`select user_id, started_at, result from call_activity where purpose = 'inbound_agent' and from_number = ? and started_at >= ?`);
  const agentIds = agents.map((a) => a.id);
  const busyStmt = db.prepare(`select count(*) as n from app_user where on_call_since is not null and id in (${agentIds.map(() => '?').join(', ')})`);

  // ---- the calls, one at a time ----
  const records: RoundRecord[] = [];
  const nextCaller = new Map<string, number>();
  const take = (kind: (typeof CALLER_KINDS)[number]): Caller => {
    const pool = seeded.callers[kind];
    const i = nextCaller.get(kind) ?? 0;
    nextCaller.set(kind, i + 1);
    return pool[i % pool.length];
  };
  const callRound = async (n: number, series: RoundRecord['series']) => {
    const caller = take(CALLER_KINDS[n % CALLER_KINDS.length]);
    const roundStart = wallMs();
    const call: CarrierCall = await placeCall({ repoRoot: ctx.repoRoot, ports: PORTS.phones, n, traceDir, did: DID, caller: caller.phone, callMs: s.callMs, timeoutMs: 20_000 });
    const rec: RoundRecord = { n, series, warmUp: n < s.warmUp, caller, startedAt: roundStart, endedAt: Number.NaN, call, legs: [], notes: [] };
    try {
      await until(`call ${n}: inbound call ended and agents free`, 20_000, 50, () => {
        const row = callerRowStmt.get(caller.phone, roundStart - 1000) as RoundRecord['callerRow'];
        if (!row || row.ended_at === null) return undefined;
        if ((busyStmt.get(...agentIds) as { n: number }).n > 0) return undefined;
        rec.callerRow = row;
        return true;
      });
    } catch (err) {
      rec.notes.push(err instanceof Error ? err.message : String(err));
    }
    rec.legs = legsStmt.all(caller.phone, roundStart - 1000) as RoundRecord['legs'];
    rec.endedAt = wallMs();
    records.push(rec);
    await sleep(150);
  };
  await phase('calls', async () => {
    for (let n = 0; n < s.warmUp + s.rounds; n++) await callRound(n, 'main');
  });
  // The same calls with only the ten agents logged in: what available() costs end to end.
  let fewAvailable = 0;
  if (s.contrastRounds > 0) {
    await phase('calls, 10 logged in', async () => {
      db.prepare(`update app_user set logged_in = 0 where logged_in = 1 and id not in (${agentIds.map(() => '?').join(', ')})`).run(...agentIds);
      fewAvailable = (db.prepare('select count(*) as n from app_user where logged_in = 1 and calls_on = 1 and on_call_since is null').get() as { n: number }).n;
      ctx.progress(`logged out every seeded user in the database: ${fewAvailable} available now`);
      const from = s.warmUp + s.rounds;
      for (let n = from; n < from + s.contrastRounds; n++) await callRound(n, 'few-available');
    });
  }

  // ---- what the phones saw ----
  const invites = phones.invites();
  const sipUsers = new Map(agents.map((a) => [a.sipUsername, a.id]));
  for (const r of records) {
    const from = r.call.inviteAt ?? r.startedAt;
    r.agentInvites = invites.filter((e) => e.requestUser !== undefined && sipUsers.has(e.requestUser) && e.at >= from - 1 && e.at <= r.endedAt + 1);
  }
  const bareSet = new Set(bareIds);
  for (const b of bareRecords) {
    const from = b.call.inviteAt ?? b.startedAt;
    b.agentInvites = invites.filter((e) => e.requestUser !== undefined && bareSet.has(e.requestUser) && e.at >= from - 1 && e.at <= b.endedAt + 1);
    const where = `bare ARI baseline call ${b.n}${b.warmUp ? ' (warm-up)' : ''}`;
    if (b.call.exitCode !== 0) failures.push(`${where}: the carrier SIPp exited ${b.call.exitCode} (trace ${b.call.messageFile})`);
    if (new Set(b.agentInvites.map((e) => e.requestUser)).size !== s.agents) failures.push(`${where}: ${new Set(b.agentInvites.map((e) => e.requestUser)).size} of ${s.agents} agent phones got an INVITE`);
  }
  const agentSet = new Set(agentIds);
  for (const r of records) {
    const where = `call ${r.n}${r.warmUp ? ' (warm-up)' : r.series === 'few-available' ? ' (10 logged in)' : ''} from ${r.caller.phone} (${r.caller.kind})`;
    if (r.call.exitCode !== 0) failures.push(`${where}: the carrier SIPp exited ${r.call.exitCode} (the call was not answered and ended cleanly; trace ${r.call.messageFile})`);
    if (r.call.inviteAt === undefined) failures.push(`${where}: no INVITE in the carrier's trace`);
    if (!r.callerRow) failures.push(`${where}: no ended inbound call-activity row (${r.notes.join('; ')})`);
    else {
      if (r.callerRow.prospect_id !== r.caller.prospectId) failures.push(`WRONG MATCH: ${where}: the call was matched to prospect ${r.callerRow.prospect_id ?? 'none'}, expected ${r.caller.prospectId ?? 'none'}`);
      if (r.callerRow.result !== 'answered') failures.push(`${where}: result "${r.callerRow.result}", expected "answered"`);
    }
    const strangers = r.legs.filter((l) => !agentSet.has(l.user_id ?? ''));
    if (strangers.length) failures.push(`WRONG ROUTE: ${where}: rang ${strangers.length} seeded user(s) not licensed in ${ROUTED_STATE}`);
    if (r.legs.length !== s.agents) failures.push(`${where}: ${r.legs.length} agent legs, expected ${s.agents}`);
    const rangUsers = new Set((r.agentInvites ?? []).map((e) => e.requestUser));
    if (rangUsers.size !== s.agents) failures.push(`${where}: ${rangUsers.size} of ${s.agents} agent phones got an INVITE`);
  }
  if (!leadline.child.running) failures.push(`Leadline exited during the bench:\n${leadline.child.tail()}`);

  return report({
    settings: s,
    seeded,
    lookup,
    records,
    failures,
    notes,
    loadBefore,
    phases,
    elapsedMs: Date.now() - startedAt,
    roleDescription: { answer: 1, ring: AGENT_ROLES.length - 1 },
    fewAvailable,
    baseline: bareRecords,
  });
}

export const inboundBench: BenchModule = { name: 'inbound', run };
