// A ring-all call through a deployed stack: an agent with a SIP desk phone made through the API, a
// SIPp phone registering with those credentials (and answering + pressing 1), an Action Post, and
// the borrower call to the carrier SIPp. Used by the compose, upgrade and systemd specs.
import * as path from 'node:path';
import { ApiClient, eventually } from '../harness/server';
import { SIPP_SCENARIO_DIR, SippHandle, startSipp } from '../harness/sipp';
import { DOCKER_TMP, STACK_PORTS, TRUNK_HOST } from './harness';

let seq = 0;

async function ok(p: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await p;
  if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface DeployedCall {
  prospectId: string;
  recording: string;
  borrowerLegId: string;
  phone: SippHandle;
}

/** A valid US mobile number, different each time. */
const borrowerPhone = () => `+1737${200 + (Date.now() % 700)}${String(++seq * 37 + (Date.now() % 97)).padStart(4, '0').slice(-4)}`;

export async function ringAllThroughDeskPhone(
  api: ApiClient,
  admin: string,
  opts: { phonePort: number; borrower: SippHandle; sipPort?: number },
): Promise<DeployedCall> {
  const n = `${Date.now().toString(36)}${++seq}`;
  await ok(api.request('PATCH', '/api/org', { token: admin, body: { callerId: '+15125550100', orgNumber: '+18005550100' } }));
  const password = 'agent-password-123';
  const email = `desk${n}@docker.test`;
  const agent = await ok(
    api.request('POST', '/api/users', { token: admin, body: { name: `Desk ${n}`, email, password, role: 'agent', workPhoneType: 'sip_desk', callerId: '+13105550111', stateLicences: ['TX'] } }),
  );
  const { username, password: sipPassword } = agent.sipAccount as { username: string; password: string };
  const phone = await startSipp({
    scenario: 'phone-register-answer',
    // SIPp's media ports: the harness's default for this SIP port (tests/harness/sipp.ts), which keeps
    // the ports SIPp advertises below 65536
    port: opts.phonePort,
    remote: `127.0.0.1:${opts.sipPort ?? STACK_PORTS.sip}`,
    vars: { answer_ms: '200', dtmf_ms: '700' },
    traceDir: path.join(DOCKER_TMP, 'sipp'),
    name: `desk-phone-${n}`,
    extraArgs: ['-m', '1', '-s', username, '-au', username, '-ap', sipPassword, '-oocsf', path.join(SIPP_SCENARIO_DIR, 'agent-press.xml')],
  });
  // registered: Asterisk answered the REGISTER with 200
  await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && (m.headers.get('cseq')?.[0] ?? '').includes('REGISTER')), 15_000, 200);

  const token = await api.login(email, password);
  await ok(api.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } }));
  const group = await ok(api.request('POST', '/api/distribution-groups', { token: admin, body: { name: `desk group ${n}`, memberIds: [agent.id] } }));
  const campaign = await ok(api.request('POST', '/api/campaigns', { token: admin, body: { name: `desk ring all ${n}`, distributionType: 'ring_all', distributionGroupId: group.id, ringTimeoutSeconds: 15 } }));
  const mobile = borrowerPhone();
  const posted = await ok(
    api.request('POST', `/api/action-post/${campaign.id}`, {
      body: { FirstName: 'Ada', LastName: `Docker${n}`, MobilePhone: mobile, PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 300000 },
      headers: { 'x-api-key': campaign.apiKey },
    }),
  );
  expect(posted.StatusCode).toBe(1);
  const prospectId = posted.Data.ProspectId as string;

  const prospect = await eventually(async () => {
    const p = (await api.request('GET', `/api/prospects/${prospectId}`, { token: admin })).body;
    return p.status === 'assigned' || p.status === 'exception' ? p : undefined;
  }, 40_000, 250);
  if (prospect.status !== 'assigned') {
    const legs = (await api.request('GET', `/api/call-activity?prospectId=${prospectId}&pageSize=100`, { token: admin })).body;
    const exceptions = (await api.request('GET', `/api/lead-exceptions?pageSize=20`, { token: admin })).body;
    throw new Error(`prospect ${prospectId} ended ${prospect.status}: ${JSON.stringify(prospect)}\nlegs: ${JSON.stringify(legs)}\nexceptions: ${JSON.stringify(exceptions).slice(0, 3000)}\nphone: ${(await phone.messages()).slice(-3000)}`);
  }
  // the phone was rung (an INVITE from Asterisk) and the carrier got the borrower call
  expect((await phone.receivedInvites()).length).toBeGreaterThanOrEqual(1);
  await eventually(async () => (await opts.borrower.receivedInvites()).some((i) => i.requestUri.includes(mobile.slice(1))), 20_000, 250);
  const legs = await eventually(async () => {
    const items = (await api.request('GET', `/api/call-activity?prospectId=${prospectId}&pageSize=100`, { token: admin })).body.items as any[];
    const leg = items.find((l) => l.purpose === 'borrower');
    return leg?.endedAt ? items : undefined;
  }, 40_000, 250);
  const borrowerLeg = legs.find((l) => l.purpose === 'borrower');
  expect(borrowerLeg).toMatchObject({ result: 'completed' });
  expect(borrowerLeg.recording).toBeTruthy();
  return { prospectId, recording: borrowerLeg.recording, borrowerLegId: borrowerLeg.id, phone };
}

/**
 * The carrier: a SIPp on the trunk's loopback address that answers the borrower calls. The borrower
 * stays 7.5 s: the org's default plays the ~5 s recording disclosure before the bridge, and only a
 * call that outlives it is recorded — so a deployed image whose prompt is missing fails here.
 */
export function startCarrier(name: string): Promise<SippHandle> {
  return startSipp({
    scenario: 'borrower-answer',
    port: STACK_PORTS.trunk,
    ip: TRUNK_HOST,
    vars: { answer_ms: '200', talk_ms: '7500' },
    traceDir: path.join(DOCKER_TMP, 'sipp'),
    name: `${name}-carrier-${Date.now()}`,
  });
}

/**
 * The desk phones' check-sync NOTIFY through a deployed stack (AMI between the server and
 * Asterisk): a Yealink added for a new SIP-desk user, a SIPp phone registered with the user's
 * credentials, the user's SIP password rotated → the phone receives `check-sync;reboot=false`.
 */
export async function checkSyncOnRotation(api: ApiClient, admin: string, opts: { phonePort: number; sipPort?: number }): Promise<void> {
  const n = `${Date.now().toString(36)}${++seq}`;
  const user = await ok(api.request('POST', '/api/users', { token: admin, body: { name: `Notify ${n}`, email: `notify${n}@docker.test`, password: 'agent-password-123', role: 'agent', workPhoneType: 'sip_desk' } }));
  const mac = `001565${Date.now().toString(16).slice(-6).padStart(6, '0')}`;
  await ok(api.request('POST', '/api/phones', { token: admin, body: { mac, vendor: 'yealink', label: `desk ${n}`, userId: user.id } }));
  const { username, password } = user.sipAccount as { username: string; password: string };
  const phone = await startSipp({
    scenario: 'phone-register-answer',
    port: opts.phonePort,
    remote: `127.0.0.1:${opts.sipPort ?? STACK_PORTS.sip}`,
    traceDir: path.join(DOCKER_TMP, 'sipp'),
    name: `notify-phone-${n}`,
    extraArgs: ['-m', '1', '-s', username, '-au', username, '-ap', password, '-oocsf', path.join(SIPP_SCENARIO_DIR, 'phone-notify.xml')],
  });
  try {
    await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && (m.headers.get('cseq')?.[0] ?? '').includes('REGISTER')), 15_000, 200);
    expect(await phone.receivedRequests('NOTIFY')).toEqual([]);
    await ok(api.request('POST', `/api/users/${user.id}/sip-password`, { token: admin }));
    const notifies = await eventually(async () => {
      const list = await phone.receivedRequests('NOTIFY');
      return list.length ? list : undefined;
    }, 15_000, 200);
    expect(notifies[0].headers.get('event')).toEqual(['check-sync;reboot=false']);
  } finally {
    await phone.stop();
  }
}
