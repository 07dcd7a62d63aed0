// The compiled Leadline server as a child process on the bench's Asterisk, set up through its REST
// API the way tests/integration/ring-all.fixture.ts does it, and read back through the same API.
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Child } from '../children';
import { freePort, isRecord, requestJson } from '../net';
import type { BenchContext } from '../types';
import { wallMs } from './clock';

export const ORG_CALLER_ID = '+15125550100';
export const ORG_NUMBER = '+18005550100';
export const AGENT_CALLER_ID = '+13105550111';

export interface LeadlineOptions {
  dataDir: string;
  ariUrl: string;
  ariPassword: string;
  ariApp: string;
  sipPort: number;
  /** The first admin's password (default: a new random one). Give the same one to start again on an existing data folder. */
  adminPassword?: string;
  /** More environment for the server (e.g. INBOUND_RING_TIMEOUT_SECONDS). */
  env?: Record<string, string>;
  /** The HTTP port (default: a free one), for a bench that watches a restarting server from outside. */
  port?: number;
  /** Appends the server's output (logs) to this file. */
  logFile?: string;
}

export interface LeadlineAgent {
  id: string;
  sipUsername: string;
  /** The agent's access token (valid across restarts when the bench fixes JWT_SECRET). */
  token: string;
}

export interface LeadlineCampaign {
  id: string;
  apiKey: string;
}

export interface PostedLead {
  prospectId: string;
  /** Wall-clock ms when the request was handed to fetch / when the answer's headers arrived. */
  sentAt: number;
  acceptedAt: number;
}

export interface ProspectLite {
  id: string;
  status: string;
  failureReason: string | null;
  mobilePhone: string | null;
}

export interface LegLite {
  purpose: string;
  result: string;
  to: string | null;
  by: { id: string } | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
}

export interface ApplicationLite {
  id: string;
  prospectId: string;
  agentId: string;
  via: string;
}

function secret(chars: number): string {
  return randomBytes(chars).toString('base64url').slice(0, chars);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export class LeadlineServer {
  private token = '';
  /** The admin's org (from its token), for the agents' tokens. */
  private orgId = '';
  /** Time spent in agent set-up calls (ms, summed over parallel calls): create (hash + provision), session. */
  readonly setupMs = { create: 0, session: 0 };

  private readonly jwt: JwtService;

  private constructor(
    readonly child: Child,
    readonly base: string,
    jwtSecret: string,
  ) {
    this.jwt = new JwtService({ secret: jwtSecret });
  }

  static async start(ctx: BenchContext, opts: LeadlineOptions): Promise<LeadlineServer> {
    const port = opts.port ?? (await freePort());
    const adminPassword = opts.adminPassword ?? secret(24);
    const jwtSecret = opts.env?.JWT_SECRET ?? secret(48);
    const child = Child.start(
      'leadline',
      join(__dirname, '..', '..', 'apps', 'server', 'src', 'main.js'),
      {
        NODE_ENV: 'production',
        JWT_SECRET: jwtSecret,
        HOST: '127.0.0.1',
        PORT: String(port),
        LEADLINE_DATA_DIR: opts.dataDir,
        LOG_LEVEL: 'warn',
        ARI_URL: opts.ariUrl,
        ARI_USERNAME: 'leadline',
        ARI_PASSWORD: opts.ariPassword,
        ARI_APP: opts.ariApp,
        SIP_PORT: String(opts.sipPort),
        LEADLINE_ADMIN_EMAIL: 'admin@bench.test',
        LEADLINE_ADMIN_PASSWORD: adminPassword,
        ACTION_POST_RATE_LIMIT: '100000000',
        ...opts.env,
      },
      ctx.repoRoot,
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server through a run.
      process.env.BENCH_LEADLINE_NODE_ARGS ? process.env.BENCH_LEADLINE_NODE_ARGS.split(' ') : [],
      opts.logFile,
    );
    ctx.onCleanup(() => child.stop());
    const server = new LeadlineServer(child, `http://127.0.0.1:${port}/api`, jwtSecret);
    await child.waitForHttp(`${server.base}/health`, 60_000);
    server.token = await server.login('admin@bench.test', adminPassword);
    server.orgId = String(server.jwt.decode<{ org?: unknown }>(server.token).org);
    // The ARI link comes up in the background: wait for it (health says so).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const h = await requestJson(`${server.base}/health`, { timeoutMs: 60_000 });
      if (isRecord(h.body) && isRecord(h.body.ari) && h.body.ari.connected === true) break;
      if (Date.now() > deadline) throw new Error(`Leadline's ARI link did not come up: ${JSON.stringify(h.body)}\n${child.tail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return server;
  }

  /** An access token of an agent as the server's login issues it (HS256; sub, org, role; 1 h). */
  agentToken(userId: string): string {
    return this.jwt.sign({ sub: userId, org: this.orgId, role: 'agent' }, { algorithm: 'HS256', expiresIn: 3600 });
  }

  async login(email: string, password: string): Promise<string> {
    const res = await requestJson(`${this.base}/auth/login`, { body: { email, password } });
    const token = isRecord(res.body) ? res.body.accessToken : undefined;
    if ((res.status !== 200 && res.status !== 201) || typeof token !== 'string') throw new Error(`login ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return token;
  }

  /** An authenticated call that must succeed; returns the JSON body. */
  async call(method: 'GET' | 'POST' | 'PATCH', route: string, body?: unknown, token = this.token): Promise<unknown> {
    const res = await requestJson(`${this.base}${route}`, { method, body, headers: { authorization: `Bearer ${token}` }, timeoutMs: 30_000 });
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }

  async setOrgCallerIds(): Promise<void> {
    await this.call('PATCH', '/org', { callerId: ORG_CALLER_ID, orgNumber: ORG_NUMBER });
  }

  /** A static-IP agent licensed in TX whose desk phone is the SIPp at `contact`, logged in with calls on. */
  async createAgent(name: string, contact: string): Promise<LeadlineAgent> {
    const email = `${name}@bench.test`;
    const password = secret(20);
    let t = Date.now();
    const user = await this.call('POST', '/users', { name, email, password, role: 'agent', workPhoneType: 'static_ip', workPhone: contact, callerId: AGENT_CALLER_ID, stateLicences: ['TX'] });
    const id = isRecord(user) ? str(user.id) : null;
    const sipUsername = isRecord(user) ? str(user.sipUsername) : null;
    if (!id || !sipUsername) throw new Error(`created user lacks id/sipUsername: ${JSON.stringify(user)}`);
    if (isRecord(user) && user.provisioning === 'pending') throw new Error(`desk phone of ${name} was not provisioned in Asterisk`);
    this.setupMs.create += Date.now() - t;
    // The agent's token is signed here with the server's secret (what its login issues), rather
    // than a password login per agent: the hash check took 1.4 s an agent, 4 at a time.
    const token = this.agentToken(id);
    t = Date.now();
    await this.call('PATCH', '/me/session', { loggedIn: true, callsOn: true }, token);
    this.setupMs.session += Date.now() - t;
    return { id, sipUsername, token };
  }

  async createRingAllCampaign(name: string, memberIds: string[], ringTimeoutSeconds: number): Promise<LeadlineCampaign> {
    const group = await this.call('POST', '/distribution-groups', { name, memberIds });
    const groupId = isRecord(group) ? str(group.id) : null;
    if (!groupId) throw new Error(`distribution group answer lacks id: ${JSON.stringify(group)}`);
    const campaign = await this.call('POST', '/campaigns', { name, distributionType: 'ring_all', distributionGroupId: groupId, ringTimeoutSeconds });
    const id = isRecord(campaign) ? str(campaign.id) : null;
    const apiKey = isRecord(campaign) ? str(campaign.apiKey) : null;
    if (!id || !apiKey) throw new Error(`campaign answer lacks id/apiKey: ${JSON.stringify(campaign)}`);
    return { id, apiKey };
  }

  /** Posts one lead as a lead vendor would; `acceptedAt` is when the answer reached us. */
  async postLead(campaign: LeadlineCampaign, mobilePhone: string, lastName: string): Promise<PostedLead> {
    const body = JSON.stringify({ FirstName: 'Ada', LastName: lastName, MobilePhone: mobilePhone, PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 300000 });
    const sentAt = wallMs();
    const res = await fetch(`${this.base}/action-post/${campaign.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': campaign.apiKey },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const acceptedAt = wallMs();
    const text = await res.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = text;
    }
    const prospectId = isRecord(answer) && answer.StatusCode === 1 && isRecord(answer.Data) ? str(answer.Data.ProspectId) : null;
    if (res.status !== 200 || !prospectId) throw new Error(`Action Post answered ${res.status}: ${text.slice(0, 300)}\nserver log tail:\n${this.child.tail().slice(-3000)}`);
    return { prospectId, sentAt, acceptedAt };
  }

  async prospect(id: string): Promise<ProspectLite> {
    const p = await this.call('GET', `/prospects/${id}`);
    if (!isRecord(p) || typeof p.status !== 'string') throw new Error(`prospect ${id}: unexpected answer ${JSON.stringify(p)}`);
    return { id, status: p.status, failureReason: str(p.failureReason), mobilePhone: str(p.mobilePhone) };
  }

  /** Ids of prospects still `new` or `distributing` (newest 200). */
  async unsettledProspectIds(): Promise<Set<string>> {
    const page = await this.call('GET', '/prospects?status=new,distributing&pageSize=200');
    const items = isRecord(page) && Array.isArray(page.items) ? page.items : [];
    return new Set(items.map((i) => (isRecord(i) ? str(i.id) : null)).filter((x): x is string => !!x));
  }

  async legs(prospectId: string): Promise<LegLite[]> {
    const page = await this.call('GET', `/call-activity?prospectId=${prospectId}&pageSize=200`);
    const items = isRecord(page) && Array.isArray(page.items) ? page.items : [];
    return items.filter(isRecord).map((l) => ({
      purpose: str(l.purpose) ?? '',
      result: str(l.result) ?? '',
      to: str(l.to),
      by: isRecord(l.by) && typeof l.by.id === 'string' ? { id: l.by.id } : null,
      startedAt: str(l.startedAt) ?? '',
      answeredAt: str(l.answeredAt),
      endedAt: str(l.endedAt),
    }));
  }

  /** Every application of the org (all pages). */
  async applications(): Promise<ApplicationLite[]> {
    const out: ApplicationLite[] = [];
    for (let page = 1; ; page++) {
      const body = await this.call('GET', `/applications?page=${page}&pageSize=200`);
      const items = isRecord(body) && Array.isArray(body.items) ? body.items : [];
      for (const a of items) {
        if (!isRecord(a) || !isRecord(a.prospect) || !isRecord(a.primaryAgent)) continue;
        out.push({ id: str(a.id) ?? '', prospectId: str(a.prospect.id) ?? '', agentId: str(a.primaryAgent.id) ?? '', via: str(a.via) ?? '' });
      }
      const total = isRecord(body) && typeof body.total === 'number' ? body.total : 0;
      if (items.length < 200 || out.length >= total) return out;
    }
  }

  /** Ids of users Leadline still holds as on a call. */
  async agentsOnCall(): Promise<Set<string>> {
    const busy = new Set<string>();
    for (let page = 1; ; page++) {
      const body = await this.call('GET', `/users?page=${page}&pageSize=200`);
      const items = isRecord(body) && Array.isArray(body.items) ? body.items : [];
      for (const u of items) if (isRecord(u) && u.onCall === true && typeof u.id === 'string') busy.add(u.id);
      if (items.length < 200) return busy;
    }
  }
}
