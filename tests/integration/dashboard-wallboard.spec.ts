// The wallboard in a real Chromium at 1920×1080 against the real server, Asterisk and SIPp desk
// phones: it fits without scrolling and, without a reload, follows an agent's state change, a lead
// arriving and a real Ring All round being won. Screenshots in test-artifacts/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn } from '../harness/browser';
import { IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';
import { stopAllSipp } from '../harness/sipp';
import { agentSipp, borrowerSipp, postLead, settledProspect, setupRingAll } from './ring-all.fixture';

// This suite's SIPp desk phones: IT_PORT_BASE + 880 and 881.
const PRESSER_PORT = IT_PORT_BASE + 880;
const SILENT_PORT = IT_PORT_BASE + 881;

describe('wallboard (Chromium, live)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stopAllSipp();
    await server?.close();
  });

  const agentCard = (name: string) => page.locator(`[data-testid="wb-agent"][data-agent="${name}"]`);
  const stateOf = (name: string) => agentCard(name).getAttribute('data-state');
  const tile = async (testId: string) => Number((await page.getByTestId(testId).locator('.wb-value').textContent()) ?? 'NaN');

  it('follows a state change, a lead and a won round without a reload', async () => {
    // The presser answers after 6 s and presses 1 a second later: the board (pushed on events and
    // every 2 s) shows the phones ringing well before that.
    const presser = await agentSipp(PRESSER_PORT, { answer_ms: '6000', dtmf_ms: '1000' });
    const silent = await agentSipp(SILENT_PORT, { answer_ms: '60000' }, 'agent-silent');
    await borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: '3000' });
    const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${i === 0 ? PRESSER_PORT : SILENT_PORT}`, ringTimeoutSeconds: 15 });
    const names = await Promise.all(setup.agents.map(async (a) => (await server.request('GET', `/api/users/${a.id}`, { token: setup.admin })).body.name as string));

    page = await signIn(context, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/wallboard`);
    await agentCard(names[0]).waitFor();
    await eventually(async () => (await stateOf(names[0])) === 'available' && (await stateOf(names[1])) === 'available', 10_000);
    expect(await tile('wb-leads-today')).toBe(0);
    // 1920×1080 shows everything: nothing to scroll.
    const size = (await page.evaluate('({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth, vh: window.innerHeight, vw: window.innerWidth })')) as { h: number; w: number; vh: number; vw: number };
    expect(size.h).toBeLessThanOrEqual(size.vh);
    expect(size.w).toBeLessThanOrEqual(size.vw);
    await screenshot(page, 'wallboard-idle');
    // Marks this page load: a reload would lose it.
    await page.evaluate('window.boardLoad = 42');

    // An agent turns calls off, then on again.
    await server.request('PATCH', '/api/me/session', { token: setup.agents[1].token, body: { callsOn: false } });
    await eventually(async () => (await stateOf(names[1])) === 'calls_off', 10_000);
    expect(await page.getByTestId('wb-count-calls_off').textContent()).toContain('1');
    await server.request('PATCH', '/api/me/session', { token: setup.agents[1].token, body: { callsOn: true } });
    await eventually(async () => (await stateOf(names[1])) === 'available', 10_000);

    // A lead arrives: counted at once, both phones ring for its round.
    const prospectId = await postLead(server, setup);
    await eventually(async () => (await tile('wb-leads-today')) === 1 && (await tile('wb-leads-hour')) === 1, 10_000);
    await eventually(async () => (await stateOf(names[0])) === 'ringing' && (await stateOf(names[1])) === 'ringing', 5_500);
    await page.getByTestId('wb-rounds').getByText(/2 phones/).waitFor({ timeout: 5_000 });
    await screenshot(page, 'wallboard-ringing');

    // The presser wins: taken, on a call with the borrower, listed among the last taken.
    const prospect = await settledProspect(server, setup, prospectId, 30_000);
    expect(prospect.status).toBe('assigned');
    await eventually(async () => (await tile('wb-taken')) === 1, 15_000);
    await page.getByTestId('wb-wins').getByText(names[0]).waitFor({ timeout: 10_000 });
    await eventually(async () => ((await page.getByTestId('wb-speed-taken').textContent()) ?? '').includes('1 lead'), 10_000);
    expect(await page.getByTestId('wb-rounds').count()).toBe(0);
    await screenshot(page, 'wallboard-won');

    // All of it without a reload.
    expect(await page.evaluate('window.boardLoad')).toBe(42);
    // The loser's phone is released; the winner goes back to available once the borrower call ends.
    await eventually(async () => (await stateOf(names[0])) === 'available' && (await stateOf(names[1])) === 'available', 20_000);
    await presser.stop();
    await silent.stop();
  });

  it('is refused to agents', async () => {
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${SILENT_PORT}` });
    expect((await server.request('GET', '/api/wallboard', { token: setup.agents[0].token })).status).toBe(403);
    const admin = await server.login();
    const board = (await server.request('GET', '/api/wallboard', { token: admin })).body;
    expect(board).toMatchObject({ leads: { today: 1, taken: 1 }, speed: [{ stage: 'first_ring', leads: 1 }, { stage: 'taken', leads: 1 }, expect.objectContaining({ stage: 'borrower_answered' })] });
  });
});
