// Builds a ring-all campaign whose agents are static-IP desk phones played by SIPp.
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import { IT_DIR, IT_TRUNK_HOST } from '../harness/it-env';
import { ApiClient, eventually } from '../harness/server';
import { SippHandle, startSipp } from '../harness/sipp';

export const ORG_CALLER_ID = '+15125550100';
export const ORG_NUMBER = '+18005550100';
export const AGENT_CALLER_ID = '+13105550111';

export interface Agent {
  id: string;
  token: string;
  sipUsername: string;
}

export interface RingAllSetup {
  admin: string;
  campaignId: string;
  apiKey: string;
  agents: Agent[];
}

let seq = 0;
const adminTokens = new Map<ApiClient, string>();

/** A valid, distinct US mobile number for each lead. */
export function aBorrowerPhone(): string {
  return `+1737${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

export function aLead(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { FirstName: 'Ada', LastName: `Borrower${++seq}`, MobilePhone: aBorrowerPhone(), PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 300000, ...over };
}

export async function setupRingAll(
  server: ApiClient,
  opts: { agents: number; phoneAt: (i: number) => string; ringTimeoutSeconds?: number; licences?: string[]; available?: boolean; admin?: string },
): Promise<RingAllSetup> {
  const admin = opts.admin ?? (adminTokens.get(server) || adminTokens.set(server, await server.login()).get(server)!);
  await must(server.request('PATCH', '/api/org', { token: admin, body: { callerId: ORG_CALLER_ID, orgNumber: ORG_NUMBER } }));
  const agents: Agent[] = [];
  for (let i = 0; i < opts.agents; i++) {
    const email = `agent${++seq}-${Date.now()}@it.test`;
    const password = 'agent-password-123';
    const user = await must(
      server.request('POST', '/api/users', {
        token: admin,
        body: { name: `Agent ${seq}`, email, password, role: 'agent', workPhoneType: 'static_ip', workPhone: opts.phoneAt(i), callerId: AGENT_CALLER_ID, stateLicences: opts.licences ?? ['TX'] },
      }),
    );
    const token = await server.login(email, password);
    if (opts.available !== false) await must(server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } }));
    agents.push({ id: user.id, token, sipUsername: user.sipUsername });
  }
  const group = await must(server.request('POST', '/api/distribution-groups', { token: admin, body: { name: `group ${seq}`, memberIds: agents.map((a) => a.id) } }));
  const campaign = await must(
    server.request('POST', '/api/campaigns', { token: admin, body: { name: `ring all ${seq}`, distributionType: 'ring_all', distributionGroupId: group.id, ringTimeoutSeconds: opts.ringTimeoutSeconds ?? 8 } }),
  );
  return { admin, campaignId: campaign.id, apiKey: campaign.apiKey, agents };
}

export async function postLead(server: ApiClient, setup: RingAllSetup, lead = aLead()): Promise<string> {
  const res = await server.request('POST', `/api/action-post/${setup.campaignId}`, { body: lead, headers: { 'x-api-key': setup.apiKey } });
  if (res.status !== 200 || res.body.StatusCode !== 1) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body.Data.ApplicationId).toBeNull();
  return res.body.Data.ProspectId as string;
}

/** Waits until the prospect leaves `new`/`distributing` and returns it. */
export async function settledProspect(server: ApiClient, setup: RingAllSetup, id: string, timeoutMs = 20_000): Promise<any> {
  return eventually(async () => {
    const res = await server.request('GET', `/api/prospects/${id}`, { token: setup.admin });
    return res.body.status === 'assigned' || res.body.status === 'exception' ? res.body : undefined;
  }, timeoutMs, 100);
}

export async function callActivity(server: ApiClient, setup: RingAllSetup, prospectId: string): Promise<any[]> {
  const res = await must(server.request('GET', `/api/call-activity?prospectId=${prospectId}&pageSize=100`, { token: setup.admin }));
  return res.items;
}

/** Waits until every call leg of the prospect has ended. */
export async function legsEnded(server: ApiClient, setup: RingAllSetup, prospectId: string, count: number, timeoutMs = 20_000): Promise<any[]> {
  return eventually(async () => {
    const legs = await callActivity(server, setup, prospectId);
    return legs.length >= count && legs.every((l) => l.endedAt) ? legs : undefined;
  }, timeoutMs, 100);
}

export function agentSipp(port: number, vars: Record<string, string>, scenario = 'agent-press', dtmf?: string): Promise<SippHandle> {
  return startSipp({ scenario, port, vars, dtmf, traceDir: path.join(IT_DIR, 'sipp-ring-all'), name: `${scenario}-${port}-${Date.now()}` });
}

export function borrowerSipp(port: number, scenario = 'borrower-answer', vars: Record<string, string> = {}): Promise<SippHandle> {
  return startSipp({ scenario, port, ip: IT_TRUNK_HOST, vars, traceDir: path.join(IT_DIR, 'sipp-ring-all'), name: `${scenario}-${Date.now()}` });
}

async function must(p: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await p;
  if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
