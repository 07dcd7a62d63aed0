// Local Dial Presence against a real Asterisk: the carrier inventory, purchases and mappings over
// HTTP; the caller ID the borrower's SIPp sees for each precedence case; callbacks to a local
// presence number (SIPp as the carrier) reaching the borrower's last caller.
import type { ClientToServerEvents, IncomingCallNotice, ServerToClientEvents } from '@leadline/contracts';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { createUser, loginAs } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

const ORG_CALLER_ID = '+15125550100';
const ORG_NUMBER = '+18005550100';
const AGENT_CALLER_ID = '+13105550111';
const port = (n: number) => IT_PORT_BASE + 900 + n;
const traceDir = path.join(IT_DIR, 'sipp-local-presence');

describe('Local Dial Presence (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let manager: string;
  let borrower: SippHandle;
  // A: has a caller ID; B: none. Both TX-licensed desk phones that answer.
  const agents: Record<'A' | 'B', { id: string; token: string; phone: SippHandle; popups: IncomingCallNotice[]; socket: Socket<ServerToClientEvents, ClientToServerEvents> }> = {} as never;
  let ldpNumber: { id: string; number: string };
  let callbackBorrower: string;

  beforeAll(async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '5' });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { callerId: ORG_CALLER_ID, orgNumber: ORG_NUMBER } });
    manager = await loginAs(server, await createUser(server, admin, { role: 'manager' }));
    borrower = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200', talk_ms: '1000' }, traceDir, name: `borrower-${Date.now()}` });
    for (const [key, n, callerId, answerMs] of [['A', 1, AGENT_CALLER_ID, '300'], ['B', 2, null, '600']] as const) {
      const phone = await startSipp({ scenario: 'agent-silent', port: port(n), vars: { answer_ms: answerMs }, traceDir, name: `agent-${key}-${Date.now()}` });
      const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(n)}`, callerId, stateLicences: ['TX'] });
      const token = await loginAs(server, user);
      await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const popups: IncomingCallNotice[] = [];
      socket.on('call:incoming', (p) => popups.push(p));
      await new Promise((r) => socket.once('connect', () => r(undefined)));
      agents[key] = { id: user.id, token, phone, popups, socket };
    }
  });

  afterAll(async () => {
    Object.values(agents).forEach((a) => a.socket.close());
    await stopAllSipp();
    await server?.close();
  });

  const csv = (text: string, token = admin) => server.request('POST', '/api/local-presence/inventory', { token, body: text, headers: { 'content-type': 'text/csv' } });
  const purchase = (areaCode: unknown, token = admin) => server.request('POST', '/api/local-presence/numbers/purchase', { token, body: { areaCode } });
  const numbers = async () => (await server.request('GET', '/api/local-presence/numbers', { token: admin })).body as any[];

  it('loads the carrier inventory from CSV or JSON, refuses invalid numbers, counts free/used per area code', async () => {
    expect((await csv('number\n+15125550901\n"(512) 555-0902"\n')).body).toMatchObject({ added: 2, alreadyPresent: 0 });
    const json = await server.request('POST', '/api/local-presence/inventory', { token: admin, body: { numbers: ['214-555-0903', '5125550901'] } });
    expect(json.body).toMatchObject({ added: 1, alreadyPresent: 1, free: 3, assigned: 0 });

    const bad = await csv('+15125550904\ncall me\n+442079460958\n');
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(bad.body.message).toContain('line 2');
    expect(bad.body.message).toContain('line 3 +442079460958 is not a US/Canada (NANP) number');
    expect((await server.request('POST', '/api/local-presence/inventory', { token: admin, body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await csv('+15125550905', manager)).status).toBe(403);
    // A carrier export whose number column is not the first, with quoted commas: read by header.
    const exported = await csv('"Rate Center",DID,Note\n"AUSTIN, TX","(512) 555-0901","main, line"\n"DALLAS, TX",214-555-0903,\n');
    expect(exported).toMatchObject({ status: 201, body: { added: 0, alreadyPresent: 2 } });
    const unreadable = await csv('DID\n"5125550906\n');
    expect(unreadable).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(unreadable.body.message).toContain('not a readable CSV');

    const summary = await server.request('GET', '/api/local-presence/inventory', { token: manager });
    expect(summary.body).toEqual({ areaCodes: [{ areaCode: '214', free: 1, assigned: 0 }, { areaCode: '512', free: 2, assigned: 0 }], free: 3, assigned: 0 });
  });

  it('purchases a free number of the area code and maps it; none free answers 409 with a warning; delete gives it back', async () => {
    const first = await purchase('512');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: expect.stringMatching(/^\+1512555090[12]$/), areaCodes: ['512'] });
    const second = await purchase('512');
    expect(second.body.number).not.toBe(first.body.number);
    const none = await purchase('512');
    expect(none).toMatchObject({ status: 409, body: { code: 'NO_NUMBER_AVAILABLE', message: expect.stringContaining('No number with area code 512 is available') } });
    expect((await purchase('737')).status).toBe(409);

    for (const [code, message] of [['911', 'service code (N11)'], ['123', 'never start with 0 or 1'], ['51', 'not a 3-digit area code']]) {
      expect(await purchase(code)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message: expect.stringContaining(message) } });
    }
    expect((await purchase('512', manager)).status).toBe(403);
    expect((await server.request('GET', '/api/local-presence/numbers', { token: manager })).status).toBe(200);
    expect((await server.request('GET', '/api/local-presence/numbers', { token: agents.A.token })).status).toBe(403);
    expect((await server.request('GET', '/api/local-presence/inventory', { token: admin })).body.areaCodes).toContainEqual({ areaCode: '512', free: 0, assigned: 2 });

    expect((await server.request('DELETE', `/api/local-presence/numbers/${second.body.id}`, { token: admin })).status).toBe(204);
    expect((await server.request('DELETE', `/api/local-presence/numbers/${second.body.id}`, { token: admin })).status).toBe(404);
    expect((await numbers()).map((n) => n.number)).toEqual([first.body.number]);
    expect((await server.request('GET', '/api/local-presence/inventory', { token: admin })).body.areaCodes).toContainEqual({ areaCode: '512', free: 1, assigned: 1 });
    ldpNumber = { id: first.body.id, number: first.body.number };
  });

  it('maps more area codes to a number; 409 for a code it already has, 400 for invalid codes; bulk delete', async () => {
    const route = `/api/local-presence/numbers/${ldpNumber.id}/mappings`;
    const added = await server.request('POST', route, { token: admin, body: { areaCodes: ['737', '830'] } });
    expect(added).toMatchObject({ status: 201, body: { areaCodes: ['512', '737', '830'] } });

    const conflict = await server.request('POST', route, { token: admin, body: { areaCodes: ['254', '830'] } });
    expect(conflict).toMatchObject({ status: 409, body: { code: 'MAPPING_EXISTS', message: expect.stringContaining('already mapped to area code 830') } });
    const invalid = await server.request('POST', route, { token: admin, body: { areaCodes: ['911', '254', '1ab'] } });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(invalid.body.fields.map((f: any) => f.field)).toEqual(['areaCodes[0]', 'areaCodes[2]']);
    expect((await server.request('POST', '/api/local-presence/numbers/00000000-0000-4000-8000-000000000000/mappings', { token: admin, body: { areaCodes: ['254'] } })).status).toBe(404);

    const mappings = (await server.request('GET', '/api/local-presence/mappings', { token: manager })).body as any[];
    expect(mappings.map((m) => m.areaCode)).toEqual(['512', '737', '830']);
    expect(mappings.every((m) => m.number === ldpNumber.number)).toBe(true);
    const ids = mappings.filter((m) => m.areaCode !== '512').map((m) => m.id).join(',');
    expect((await server.request('DELETE', `/api/local-presence/mappings?ids=${ids}`, { token: admin })).body).toEqual({ deleted: 2 });
    expect((await server.request('DELETE', `/api/local-presence/mappings?ids=${ids}`, { token: admin })).status).toBe(404);
    expect((await numbers())[0].areaCodes).toEqual(['512']);
  });

  /** Click-to-call from an agent; resolves with the borrower leg and the INVITE the borrower's SIPp saw. */
  async function callFrom(agent: 'A' | 'B', borrowerPhone: string): Promise<{ leg: any; seen: string }> {
    const res = await server.request('POST', '/api/calls', { token: agents[agent].token, body: { phone: borrowerPhone } });
    expect(res.status).toBe(201);
    const leg = await eventually(async () => {
      const rows = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(borrowerPhone)}&pageSize=50`, { token: admin })).body.items as any[];
      return rows.length >= 2 && rows.every((r) => r.endedAt) ? rows.find((r) => r.purpose === 'borrower') : undefined;
    }, 15_000, 100);
    const invite = (await borrower.receivedInvites()).find((i) => i.requestUri.includes(borrowerPhone.slice(1)))!;
    return { leg, seen: `${invite.from} ${invite.pai ?? ''}` };
  }

  it('the borrower sees the local presence number of their area code, else the agent caller ID, else the org number', async () => {
    callbackBorrower = '+15125550142';
    const local = await callFrom('A', callbackBorrower);
    expect(local.leg).toMatchObject({ from: ldpNumber.number, callerIdReason: 'local_presence', result: 'completed' });
    expect(local.seen).toContain(ldpNumber.number);

    const agentOwn = await callFrom('A', '+12135550177');
    expect(agentOwn.leg).toMatchObject({ from: AGENT_CALLER_ID, callerIdReason: 'agent_caller_id' });
    expect(agentOwn.seen).toContain(AGENT_CALLER_ID);

    const org = await callFrom('B', '+13055550188');
    expect(org.leg).toMatchObject({ from: ORG_NUMBER, callerIdReason: 'org_number' });
    expect(org.seen).toContain(ORG_NUMBER);
  });

  let carrierSeq = 0;
  /** The borrower calls a DID through the carrier; resolves with which agents' phones rang and the inbound row. */
  async function inboundCall(caller: string, did: string): Promise<{ rang: string[]; row: any }> {
    const before = { A: (await agents.A.phone.receivedInvites()).length, B: (await agents.B.phone.receivedInvites()).length };
    const seenRows = new Set(((await server.request('GET', '/api/call-activity?pageSize=100', { token: admin })).body.items as any[]).map((r) => r.id));
    const carrier = await startSipp({
      scenario: 'inbound-call',
      port: port(50 + (++carrierSeq % 5)),
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller, call_ms: '1200' },
      extraArgs: ['-m', '1', '-s', did],
      traceDir,
      name: `carrier-${carrierSeq}-${Date.now()}`,
    });
    const row = await eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=100', { token: admin });
      return res.body.items.find((r: any) => r.purpose === 'inbound' && r.from === caller && r.endedAt && !seenRows.has(r.id));
    }, 20_000, 100);
    await carrier.exited;
    const after = { A: (await agents.A.phone.receivedInvites()).length, B: (await agents.B.phone.receivedInvites()).length };
    return { rang: (['A', 'B'] as const).filter((k) => after[k] > before[k]), row };
  }

  it('a borrower calling the local presence number back reaches the agent who last called them, with the popup', async () => {
    const popupsBefore = agents.A.popups.length;
    const { rang, row } = await inboundCall(callbackBorrower, ldpNumber.number);
    // Normal routing would ring both TX agents; the callback rings only the last caller.
    expect(rang).toEqual(['A']);
    expect(row).toMatchObject({ result: 'answered', to: ldpNumber.number, by: { id: agents.A.id } });
    expect(agents.A.popups.slice(popupsBefore)).toEqual([expect.objectContaining({ from: callbackBorrower })]);
  });

  it('falls through to normal inbound routing when the last caller is unavailable, or nobody called the borrower', async () => {
    await server.request('PATCH', '/api/me/session', { token: agents.A.token, body: { callsOn: false } });
    const unavailable = await inboundCall(callbackBorrower, ldpNumber.number);
    expect(unavailable.rang).toEqual(['B']);
    expect(unavailable.row).toMatchObject({ result: 'answered', by: { id: agents.B.id } });
    await server.request('PATCH', '/api/me/session', { token: agents.A.token, body: { callsOn: true } });

    const neverCalled = await inboundCall('+15125550166', ldpNumber.number);
    expect(neverCalled.rang).toEqual(['A', 'B']);
  });
});
