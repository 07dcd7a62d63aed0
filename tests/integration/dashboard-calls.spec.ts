// The call buttons of the dashboard in a real Chromium against the real server, a real Asterisk 22
// and SIPp phones: the agent's Hold / Resume / Transfer on their live call (what the borrower hears
// is measured on the wire with tests/harness/rtp.ts: nobody sends audio, so anything loud is music
// on hold), and the manager's Listen / Stop on the team presence board ringing their own desk phone.
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ConversationService } from '../../apps/server/src/telephony/conversation/conversation.service';
import { createUser, CreatedUser, loginAs } from '../factories';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: SIPp phones IT_PORT_BASE + 720..722, the borrower's RTP sink + 730.
const port = (n: number) => IT_PORT_BASE + 720 + n;
const SINK_PORT = IT_PORT_BASE + 730;
const traceDir = path.join(IT_DIR, 'sipp-dashboard-calls');

type Person = CreatedUser & { token: string; phone: SippHandle };

describe('dashboard: call buttons (Chromium + real Asterisk + SIPp)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  let orgId: string;
  let sink: RtpSink;
  let alice: Person;
  let bob: Person;
  let mary: Person;
  const contexts: BrowserContext[] = [];

  const person = async (n: number, role: 'agent' | 'manager', name: string): Promise<Person> => {
    const phone = await startSipp({ scenario: 'agent-silent', port: port(n), vars: { answer_ms: '300' }, traceDir, name: `${role}-${n}-${Date.now()}` });
    const user = await createUser(server, admin, { role, workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(n)}`, name });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...user, token, phone };
  };
  const onCall = async (p: Person) => (await server.request('GET', '/api/me', { token: p.token })).body.onCall as boolean;

  async function open(user: CreatedUser): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    return signIn(context, server.url, user.email, user.password);
  }

  /** The agent calls a borrower (click-to-call through the API); resolves once it is connected. */
  async function connectedCall(p: Person, borrower: string): Promise<string> {
    const res = await server.request('POST', '/api/calls', { token: p.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    await eventually(async () => ((await server.request('GET', '/api/calls/live', { token: p.token })).body as any[]).find((c) => c.callId === res.body.callId), 15_000);
    return res.body.callId as string;
  }

  const callCard = (page: Page, borrower: string): Locator => page.getByRole('list', { name: 'My live calls' }).getByRole('listitem', { name: new RegExp(`Call with .*\\${borrower}`) });

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await server.login();
    orgId = (await server.request('GET', '/api/org', { token: admin })).body.id;
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: '+18005550100', monitorNoticeToAgent: true } });
    sink = await startRtpSink(SINK_PORT, IT_TRUNK_HOST);
    // The borrower answers and stays on the line until the test hangs the call up.
    await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, rtpSinkPort: SINK_PORT, traceDir, name: `carrier-${Date.now()}` });
    alice = await person(0, 'agent', 'Alice Agent');
    bob = await person(1, 'agent', 'Bob Colleague');
    mary = await person(2, 'manager', 'Mary Manager');
  });

  // A test that failed half-way leaves no call behind for the next one.
  afterEach(async () => {
    for (const call of server.app.get(ConversationService).callsIn(orgId)) {
      for (const p of call.liveParties()) await server.ari.channels.hangup(p.channelId, 'normal');
    }
    await eventually(async () => !(await onCall(alice)) && !(await onCall(bob)) && !(await onCall(mary)), 15_000);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await sink?.close();
    await stopAllSipp();
    await server?.close();
  });

  it("the agent holds (the borrower hears music) and resumes; a transfer with nothing chosen, to a refused number or to a colleague not taking calls is refused in words; Transfer to a colleague moves the call off the agent's page", async () => {
    const page = await open(alice);
    const transferRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/transfer') && transferRequests.push(r.postData() ?? ''));
    const borrower = '+15125550171';
    await connectedCall(alice, borrower);

    const card = callCard(page, borrower);
    await card.waitFor({ timeout: 15_000 });
    await expectText(card.getByTestId('call-state'), 'Talking');
    await expectText(card, /Connected since \d{1,2}:\d{2}:\d{2}/);

    await card.getByRole('button', { name: 'Hold' }).click();
    await expectText(card.getByTestId('call-state'), 'On hold');
    const heldAt = Date.now();
    await eventually(async () => sink.audibleSince(heldAt) > 25, 10_000);

    await card.getByRole('button', { name: 'Resume' }).click();
    await expectText(card.getByTestId('call-state'), 'Talking');
    await new Promise((r) => setTimeout(r, 500));
    const resumedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.audibleSince(resumedAt)).toBeLessThan(5);

    // Nothing chosen: said on the page, nothing sent.
    await card.getByRole('button', { name: 'Transfer…' }).click();
    const form = card.getByRole('form', { name: 'Transfer the call' });
    await form.getByRole('button', { name: 'Transfer call' }).click();
    await expectText(form.getByRole('alert'), 'Choose a colleague or type a number to transfer the call to.');
    expect(transferRequests).toEqual([]);

    // Both a colleague and a number: said, nothing sent.
    await form.getByLabel('To a colleague').selectOption(bob.id);
    await form.getByLabel('Or a number').fill('+15125550199');
    await form.getByRole('button', { name: 'Transfer call' }).click();
    await expectText(form.getByRole('alert'), 'Choose a colleague or type a number, not both.');
    expect(transferRequests).toEqual([]);
    await form.getByLabel('To a colleague').selectOption('');

    // A number the org's dialling policy refuses: 403 DIALLING_REFUSED with its reason, in words.
    await form.getByLabel('Or a number').fill('+44 20 7946 0000');
    await form.getByRole('button', { name: 'Transfer call' }).click();
    await expectText(form.getByRole('alert'), /^\+44 20 7946 0000 may not be dialled: .*outside the US and Canada/);

    // A colleague who is not taking calls: 409 AGENT_UNAVAILABLE, in words.
    const erin = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: '127.0.0.1:9', name: 'Erin Away' });
    await form.getByLabel('Or a number').fill('');
    await card.getByRole('button', { name: 'Cancel' }).click();
    await card.getByRole('button', { name: 'Transfer…' }).click(); // the form reads the directory again: Erin is in it now
    await form.getByLabel('To a colleague').selectOption(erin.id);
    await form.getByRole('button', { name: 'Transfer call' }).click();
    await expectText(form.getByRole('alert'), /^The transfer was refused: Erin Away is not taking calls/);
    expect(await onCall(alice)).toBe(true);
    expect(await bob.phone.receivedInvites()).toHaveLength(0);

    await form.getByLabel('To a colleague').selectOption(bob.id);
    await screenshot(page, 'dashboard-calls-transfer');
    await form.getByRole('button', { name: 'Transfer call' }).click();
    // Bob's phone rings and gets the borrower; Alice leaves the call and her page no longer shows it.
    await eventually(async () => (await bob.phone.receivedInvites()).length === 1 && (await onCall(bob)) && !(await onCall(alice)), 15_000);
    await eventually(async () => (await card.count()) === 0, 10_000);
    expect(transferRequests.map((body) => JSON.parse(body))).toEqual([{ phone: '+44 20 7946 0000' }, { userId: erin.id }, { userId: bob.id }]);
  });

  it('a manager clicks Listen on the team board: their desk phone rings, the board shows the mode and the agent is told; Whisper switches the mode; Stop hangs the phone up', async () => {
    const agentPage = await open(alice);
    const borrower = '+15125550172';
    const callId = await connectedCall(alice, borrower);
    await callCard(agentPage, borrower).waitFor({ timeout: 15_000 });

    // Mary's own Home lists only the calls she is on: her GET /api/calls/live holds Alice's call too.
    const context = await newContext(browser);
    contexts.push(context);
    const liveRead = context.waitForEvent('response', { predicate: (r) => r.url().endsWith('/api/calls/live') && r.ok(), timeout: 20_000 });
    const board = await signIn(context, server.url, mary.email, mary.password);
    expect(((await (await liveRead).json()) as any[]).map((c) => c.callId)).toContain(callId);
    await board.waitForTimeout(300); // React renders the answer
    expect(await board.getByRole('list', { name: 'My live calls' }).count()).toBe(0);
    await board.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team presence' }).click();
    const aliceCard = board.getByRole('group', { name: /^Alice Agent: / });
    const controls = aliceCard.getByRole('group', { name: 'Monitor this call' });
    await controls.waitFor({ timeout: 15_000 });
    await expectText(controls, new RegExp(`With .*\\${borrower}`));
    // Bob is not on a call: no monitor buttons on his card.
    expect(await board.getByRole('group', { name: /^Bob Colleague: / }).getByRole('group', { name: 'Monitor this call' }).count()).toBe(0);

    await controls.getByRole('button', { name: 'Listen' }).click();
    await eventually(async () => (await mary.phone.receivedInvites()).length === 1, 15_000);
    // Live from call:monitor: ringing, then connected once Mary's phone answered.
    await expectText(controls.getByTestId('monitor-state'), 'You: listening');
    expect(await controls.getByRole('button', { name: 'Listen' }).getAttribute('aria-pressed')).toBe('true');
    // The org tells agents (monitorNoticeToAgent): Alice's page says who listens.
    await expectText(callCard(agentPage, borrower).getByRole('status'), 'Mary Manager is listening to this call');
    await screenshot(board, 'dashboard-calls-listen');

    // Whisper switches the mode on the live phone (no new INVITE); the board and the agent follow.
    await controls.getByRole('button', { name: 'Whisper' }).click();
    await expectText(controls.getByTestId('monitor-state'), 'You: whispering');
    await expectText(callCard(agentPage, borrower).getByRole('status'), 'Mary Manager is whispering on this call');
    expect(await mary.phone.receivedInvites()).toHaveLength(1);

    const byes = (await mary.phone.receivedRequests('BYE')).length;
    await controls.getByRole('button', { name: 'Stop' }).click();
    await eventually(async () => (await mary.phone.receivedRequests('BYE')).length > byes, 15_000);
    await expectText(controls.getByTestId('monitor-state'), 'Not monitored by you');
    await eventually(async () => (await callCard(agentPage, borrower).getByRole('status').count()) === 0, 10_000);
    // The call itself goes on.
    expect(((await server.request('GET', '/api/calls/live', { token: alice.token })).body as any[]).map((c) => c.callId)).toContain(callId);
  });
});

/** Waits until the locator's text is `expected` (a string: exactly, after trimming; a RegExp: matches). */
async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 15_000): Promise<void> {
  let last = '';
  await eventually(
    async () => {
      last = ((await locator.count()) ? await locator.first().textContent() : '') ?? '';
      return typeof expected === 'string' ? last.trim() === expected : expected.test(last.trim());
    },
    timeoutMs,
  ).catch((err: unknown) => {
    throw new Error(`text is "${last}", expected ${String(expected)}: ${String(err)}`);
  });
}
