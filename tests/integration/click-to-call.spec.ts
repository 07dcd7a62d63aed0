// Click-to-call against a real Asterisk: SIPp plays the agent's desk phone and the borrower behind
// the carrier trunk.
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { aLead, assignProspect, createCampaign, createUser, loginAs, postLead } from '../factories';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

const AGENT_CALLER_ID = '+13105550111';
const ORG_NUMBER = '+18005550100';
const port = (n: number) => IT_PORT_BASE + 920 + n;
const traceDir = path.join(IT_DIR, 'sipp-click-to-call');

describe('Click-to-call (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let phone: SippHandle;
  let borrower: SippHandle;
  let agent: { id: string; token: string; email: string; password: string };
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const presence: Presence[] = [];

  const borrowerSipp = (scenario: string, vars: Record<string, string>) => startSipp({ scenario, port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars, traceDir, name: `${scenario}-${Date.now()}` });

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER } });
    phone = await startSipp({ scenario: 'agent-silent', port: port(1), vars: { answer_ms: '300' }, traceDir, name: `agent-${Date.now()}` });
    borrower = await borrowerSipp('borrower-answer', { answer_ms: '300', talk_ms: '1500' });
    const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(1)}`, callerId: AGENT_CALLER_ID, stateLicences: ['TX'] });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    agent = { id: user.id, token, email: user.email, password: user.password };
    socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('presence', (p) => presence.push(p));
    await new Promise((r) => socket.once('connect', () => r(undefined)));
  });

  afterAll(async () => {
    socket?.close();
    await stopAllSipp();
    await server?.close();
  });

  /** Call legs of one borrower phone, once `count` of them have ended. */
  async function legsTo(borrowerPhone: string, count: number): Promise<{ agentLeg: any; borrowerLeg: any }> {
    const legs: any[] = await eventually(async () => {
      const res = await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(borrowerPhone)}&pageSize=50`, { token: admin });
      const items = res.body.items.filter((l: any) => l.purpose === 'click_to_call_agent' || l.purpose === 'borrower');
      return items.length >= count && items.every((l: any) => l.endedAt) ? items : undefined;
    }, 20_000, 100);
    return { agentLeg: legs.find((l) => l.purpose === 'click_to_call_agent'), borrowerLeg: legs.find((l) => l.purpose === 'borrower') };
  }

  it("rings the agent's phone, then the borrower with the agent's caller ID; bridged, recorded and logged", async () => {
    const campaign = await createCampaign(server, admin);
    const posted = await postLead(server, campaign, aLead({ FirstName: 'Bea', LastName: 'Borrower' }));
    const prospectId = posted.body.Data.ProspectId as string;
    const applicationId = await assignProspect(server, admin, prospectId, agent.id);
    const prospect = (await server.request('GET', `/api/prospects/${prospectId}`, { token: admin })).body;

    const res = await server.request('POST', '/api/calls', { token: agent.token, body: { applicationId } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'ringing_agent', to: prospect.mobilePhone, prospectId, callerId: { number: AGENT_CALLER_ID, reason: 'agent_caller_id' } });
    // On a call while it lasts: presence turns red.
    expect((await server.request('GET', '/api/me', { token: agent.token })).body.onCall).toBe(true);

    const { agentLeg, borrowerLeg } = await legsTo(prospect.mobilePhone, 2);
    expect(agentLeg).toMatchObject({ direction: 'outbound', from: prospect.mobilePhone, by: { id: agent.id }, prospectId, result: 'completed' });
    expect(borrowerLeg).toMatchObject({ direction: 'outbound', from: AGENT_CALLER_ID, to: prospect.mobilePhone, callerIdReason: 'agent_caller_id', by: { id: agent.id }, prospectId, result: 'completed' });
    expect(borrowerLeg.talkSeconds).toBeGreaterThanOrEqual(1);
    expect(borrowerLeg.recording).toBeTruthy();
    expect(agentLeg.recording).toBe(borrowerLeg.recording);
    const ast = await asterisk();
    expect(existsSync(path.join(ast.asteriskDir, 'spool', 'recording', `${borrowerLeg.recording}.wav`))).toBe(true);

    // The agent's phone rang first and showed the borrower's number; the borrower saw the agent's caller ID.
    const [agentInvite] = await phone.receivedInvites();
    expect(`${agentInvite.from} ${agentInvite.pai ?? ''}`).toContain(prospect.mobilePhone);
    expect(agentInvite.from).toContain('Bea Borrower');
    const [borrowerInvite] = (await borrower.receivedInvites()).filter((i) => i.requestUri.includes(prospect.mobilePhone.slice(1)));
    expect(`${borrowerInvite.from} ${borrowerInvite.pai ?? ''}`).toContain(AGENT_CALLER_ID);

    // Free again afterwards, and presence followed: on a call, then available.
    await eventually(async () => !(await server.request('GET', '/api/me', { token: agent.token })).body.onCall, 5_000);
    await eventually(() => presence[presence.length - 1]?.state === 'available', 5_000);
    expect(presence.some((p) => p.reason === 'on_call')).toBe(true);
  });

  it('refuses with 409 when the agent is not available or has no phone, 404 for leads of others, 400 for bad input', async () => {
    const other = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(2)}` });
    const otherToken = await loginAs(server, other);
    // Logged out (the default for a new user).
    const loggedOut = await server.request('POST', '/api/calls', { token: otherToken, body: { phone: '(512) 555-0142' } });
    expect(loggedOut).toMatchObject({ status: 409, body: { code: 'AGENT_UNAVAILABLE', message: expect.stringContaining('logged out') } });
    await server.request('PATCH', '/api/me/session', { token: otherToken, body: { loggedIn: true } });
    const callsOff = await server.request('POST', '/api/calls', { token: otherToken, body: { phone: '(512) 555-0142' } });
    expect(callsOff).toMatchObject({ status: 409, body: { message: expect.stringContaining('calls are turned off') } });

    const phoneless = await createUser(server, admin, {});
    const phonelessToken = await loginAs(server, phoneless);
    await server.request('PATCH', '/api/me/session', { token: phonelessToken, body: { loggedIn: true, callsOn: true } });
    const noPhone = await server.request('POST', '/api/calls', { token: phonelessToken, body: { phone: '(512) 555-0142' } });
    expect(noPhone).toMatchObject({ status: 409, body: { code: 'AGENT_UNAVAILABLE', message: expect.stringContaining('no work phone') } });

    // An application of another agent does not exist for this one.
    const campaign = await createCampaign(server, admin);
    const posted = await postLead(server, campaign, aLead());
    const applicationId = await assignProspect(server, admin, posted.body.Data.ProspectId, agent.id);
    expect((await server.request('POST', '/api/calls', { token: otherToken, body: { applicationId } })).status).toBe(404);

    expect((await server.request('POST', '/api/calls', { token: agent.token, body: {} })).status).toBe(400);
    expect((await server.request('POST', '/api/calls', { token: agent.token, body: { phone: '+15125550142', prospectId: posted.body.Data.ProspectId } })).status).toBe(400);
    expect((await server.request('POST', '/api/calls', { token: agent.token, body: { phone: 'not a phone' } })).body).toMatchObject({ statusCode: 400, message: expect.stringContaining('valid phone number') });
    // Nothing rang and nobody is left on a call.
    expect(await phone.receivedInvites()).toHaveLength(1);
    expect((await server.request('GET', '/api/me', { token: agent.token })).body.onCall).toBe(false);
  });

  it('refuses numbers the dialling policy forbids (+44…, 1-900-…, 411) and 911 with 403 and the reason; nothing is dialled', async () => {
    const invitesBefore = (await phone.receivedInvites()).length;
    const carrierBefore = (await borrower.receivedInvites()).length;
    for (const [number, reason] of [
      ['+44 20 7946 0000', /outside the US and Canada/],
      ['1-900-555-0123', /premium-rate/],
      ['411', /N11 service code/],
      ['911', /dial it from your desk phone/],
    ] as const) {
      const res = await server.request('POST', '/api/calls', { token: agent.token, body: { phone: number } });
      expect(res).toMatchObject({ status: 403, body: { code: 'DIALLING_REFUSED', message: expect.stringMatching(reason) } });
    }
    // A lead whose number the policy refuses is refused the same way.
    const campaign = await createCampaign(server, admin);
    const posted = await postLead(server, campaign, aLead({ MobilePhone: '+18765550123' }));
    const applicationId = await assignProspect(server, admin, posted.body.Data.ProspectId, agent.id);
    expect((await server.request('POST', '/api/calls', { token: agent.token, body: { applicationId } })).body).toMatchObject({ code: 'DIALLING_REFUSED' });
    // Nothing rang, nothing reached the trunk, and the agent is not left on a call.
    expect(await phone.receivedInvites()).toHaveLength(invitesBefore);
    expect(await borrower.receivedInvites()).toHaveLength(carrierBefore);
    expect((await server.request('GET', '/api/me', { token: agent.token })).body.onCall).toBe(false);

    // Once the org allows international calls, the same number is dialled.
    await server.request('PATCH', '/api/org', { token: admin, body: { dialling: { allowInternational: true } } });
    try {
      const res = await server.request('POST', '/api/calls', { token: agent.token, body: { phone: '+44 20 7946 0000' } });
      expect(res).toMatchObject({ status: 201, body: { to: '+442079460000' } });
      await legsTo('+442079460000', 2);
    } finally {
      await server.request('PATCH', '/api/org', { token: admin, body: { dialling: { allowInternational: false } } });
    }
  });

  it('a busy borrower ends the call: the agent is hung up and freed, the leg says busy', async () => {
    await borrower.stop();
    borrower = await borrowerSipp('busy', { answer_ms: '200' });
    const borrowerPhone = '+15125550199';
    const res = await server.request('POST', '/api/calls', { token: agent.token, body: { phone: borrowerPhone } });
    expect(res.status).toBe(201);
    const { agentLeg, borrowerLeg } = await legsTo(borrowerPhone, 2);
    expect(borrowerLeg).toMatchObject({ result: 'busy', from: AGENT_CALLER_ID, recording: null });
    expect(agentLeg.result).toBe('completed');
    await eventually(async () => !(await server.request('GET', '/api/me', { token: agent.token })).body.onCall, 5_000);
  });

  it('answers 503 while Asterisk is unreachable', async () => {
    const offline = await startServer({ ARI_URL: 'http://127.0.0.1:9' });
    try {
      const token = await offline.login();
      const me = (await offline.request('GET', '/api/me', { token })).body;
      await offline.request('PATCH', `/api/users/${me.id}`, { token, body: { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(3)}` } });
      await offline.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      const res = await offline.request('POST', '/api/calls', { token, body: { phone: '+15125550142' } });
      expect(res).toMatchObject({ status: 503, body: { code: 'TELEPHONY_UNAVAILABLE' } });
      expect((await offline.request('GET', '/api/me', { token })).body.onCall).toBe(false);
    } finally {
      await offline.close();
    }
  });
});
