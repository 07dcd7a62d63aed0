// A BusyLight driven straight from the dashboard tab over WebHID, in a real Chromium against the
// real server (and the test Asterisk + SIPp for a real inbound call). WebHID is replaced at the
// browser boundary (tests/harness/fake-hid.ts; no USB exists here): the exact report bytes the tab
// sends are checked for every supported vendor against the vendors' documents — written out below
// by hand, not produced by the encoders under test.
import { LIGHT_DRIVERS } from '@leadline/busylight';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { createUser, loginAs, CreatedUser } from '../factories';
import { REPO_DIR } from '../harness/asterisk';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { FakeHid, FakeHidSpec, HidCall, installFakeHid, setPlugged, throttlePageTimers, withoutWebHid } from '../harness/fake-hid';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { carrierCall } from '../harness/carrier';
import { startSipp, stopAllSipp } from '../harness/sipp';

// ---- the reports each vendor documents (data after the report ID, hex) ----
type Shown = 'off' | 'green' | 'red' | 'blinkingRed' | 'blue';
interface Expected {
  call: 'sendReport' | 'sendFeatureReport';
  reportId: number;
  shows: Record<Shown, string>;
  keepAlive?: string;
}
const zeros = (n: number) => '00'.repeat(n);
// Kuando, Plenom "Busylight/Kuando Box HID communication protocol specification rev. 2.2": one
// 64-byte output report without a report ID (0); step 0 = `cmd 0x10 (jump to step 0), repeat 1,
// R G B as PWM 0-100 (0x64 = 100), on/off time in 0.1 s (5/5 = blink), audio 0x80 (volume 0)`,
// steps 1-6 empty, bytes 56-61 `00 00 FF FF FF FF`, then the big-endian sum of bytes 0-61.
// Keep-alive: cmd 0x8X with X = timeout seconds (0x8F: 15 s).
const kuando = (step0: string, checksum: string) => step0 + zeros(48) + '0000ffffffff' + checksum;
const KUANDO: Expected = {
  call: 'sendReport',
  reportId: 0,
  shows: {
    off: kuando('1001000000000080', '048d'),
    green: kuando('1001006400000080', '04f1'),
    red: kuando('1001640000000080', '04f1'),
    blinkingRed: kuando('1001640000050580', '04fb'),
    blue: kuando('1001000064000080', '04f1'),
  },
  keepAlive: kuando('8f00000000000000', '048b'),
};
// Embrava Blynclight: output report without an ID, `R B G F S V FF 22` (colour order R, B, G);
// F: 0x01 off, 0x04 flash | 0x10 medium speed.
const EMBRAVA: Expected = {
  call: 'sendReport',
  reportId: 0,
  shows: { off: '000000010000ff22', green: '0000ff000000ff22', red: 'ff0000000000ff22', blinkingRed: 'ff0000140000ff22', blue: '00ff00000000ff22' },
};
// Luxafor Flag: output report without an ID; static `01 FF(all LEDs) R G B 00 00 00`, strobe
// `03 FF R G B speed 00 repeat` (speed 0x14, repeat 0 = until the next command).
const LUXAFOR: Expected = {
  call: 'sendReport',
  reportId: 0,
  shows: { off: '01ff000000000000', green: '01ff00ff00000000', red: '01ffff0000000000', blinkingRed: '03ffff0000140000', blue: '01ff0000ff000000' },
};
// blink(1) (todbot/blink1 docs/blink1-hid-commands.md): feature report 1, `'c' R G B th tl n` =
// fade to RGB in 100 ms (10 ticks of 10 ms), all LEDs. No hardware blink: the tab alternates red and off.
const BLINK1: Expected = {
  call: 'sendFeatureReport',
  reportId: 1,
  shows: { off: '63000000000a00', green: '6300ff00000a00', red: '63ff0000000a00', blinkingRed: '63ff0000000a00', blue: '630000ff000a00' },
};

const OMEGA: FakeHidSpec = { vendorId: 0x27bb, productId: 0x3bcd, productName: 'Busylight Omega', permitted: false };
const BLYNCLIGHT: FakeHidSpec = { vendorId: 0x2c0d, productId: 0x0001, productName: 'Blynclight', permitted: true };
const FLAG: FakeHidSpec = { vendorId: 0x04d8, productId: 0xf372, productName: 'LUXAFOR FLAG', permitted: true };
const BLINK1_MK3: FakeHidSpec = { vendorId: 0x27b8, productId: 0x01ed, productName: 'blink(1) mk3', permitted: true };
const KEYBOARD: FakeHidSpec = { vendorId: 0x046d, productId: 0xc52b, productName: 'USB Receiver', permitted: true };
const EXPECTED: Record<string, Expected> = { [OMEGA.productName]: KUANDO, [BLYNCLIGHT.productName]: EMBRAVA, [FLAG.productName]: LUXAFOR, [BLINK1_MK3.productName]: BLINK1 };

const reports = (hid: FakeHid, device: string, tab?: Page) => hid.calls.filter((c) => c.device === device && (c.call === 'sendReport' || c.call === 'sendFeatureReport') && (tab === undefined || c.page === tab));
const keepAliveOf = (device: string) => EXPECTED[device]!.keepAlive;
/** The last report a light got (keep-alives aside). */
function lastReport(hid: FakeHid, device: string, tab?: Page): HidCall | undefined {
  return reports(hid, device, tab)
    .filter((c) => c.hex !== keepAliveOf(device))
    .at(-1);
}
/** True when `device`'s last report is exactly the documented one for `shown`. */
function shows(hid: FakeHid, device: string, shown: Shown, tab?: Page): boolean {
  const want = EXPECTED[device]!;
  const last = lastReport(hid, device, tab);
  return last?.call === want.call && last.reportId === want.reportId && last.hex === want.shows[shown];
}
async function allShow(hid: FakeHid, devices: FakeHidSpec[], shown: Shown, ms = 10_000, tab?: Page): Promise<void> {
  await eventually(() => devices.every((d) => shows(hid, d.productName, shown, tab)), ms, 50).catch((err: unknown) => {
    const seen = devices.map((d) => `${d.productName}: ${lastReport(hid, d.productName, tab)?.hex ?? 'nothing'}`).join('\n  ');
    throw new Error(`expected ${shown} on every light, saw\n  ${seen}\n${String(err)}`);
  });
}

const card = (page: Page) => page.getByRole('region', { name: 'Desk light' });
const lightShows = (page: Page) => card(page).getByRole('status', { name: 'Light shows' });

describe('dashboard: BusyLight over WebHID, every vendor, through a real inbound call (Chromium + Asterisk + SIPp)', () => {
  const DID = '+18005550100';
  const phonePort = IT_PORT_BASE + 875;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    const started = startServer({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '20' }).then(async (s) => {
      await s.ari.waitUntilUp(15_000);
      return s;
    });
    [server, browser] = await Promise.all([started, launchBrowser()]);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stopAllSipp();
    await server?.close().catch(() => undefined);
  });

  it('sends each vendor its documented reports for red, green, keep-alive, blinking red, and blue when the server goes away', async () => {
    const admin = await server.login();
    const traceDir = path.join(IT_DIR, 'sipp-dashboard-busylight');
    // The agent's phone rings 4 s, then answers: the light blinks red meanwhile.
    await startSipp({ scenario: 'agent-silent', port: phonePort, vars: { answer_ms: '4000' }, traceDir, name: `busylight-phone-${Date.now()}` });
    const agent = await createUser(server, admin, { role: 'agent', workPhoneType: 'static_ip', workPhone: `127.0.0.1:${phonePort}`, stateLicences: ['TX'] });
    const token = await loginAs(server, agent);

    context = await newContext(browser);
    // Three lights the browser remembers from an earlier visit, one still to pick, and a keyboard receiver.
    const hid = await installFakeHid(context, [BLYNCLIGHT, FLAG, BLINK1_MK3, OMEGA, KEYBOARD]);
    const page = await signIn(context, server.url, agent.email, agent.password);
    const remembered = [BLYNCLIGHT, FLAG, BLINK1_MK3];

    // Logged out: red, at once, on the remembered lights, without a click.
    await allShow(hid, remembered, 'red');
    const list = card(page).getByRole('list', { name: 'Connected lights' });
    await eventually(async () => (await list.getByRole('listitem').allTextContents()).join('|') === 'BlynclightDisconnect|Luxafor FlagDisconnect|blink(1)Disconnect');
    expect(hid.calls.some((c) => c.device === KEYBOARD.productName)).toBe(false);

    // One click opens the picker, filtered to every supported light; the Omega joins in red.
    await card(page).getByRole('button', { name: 'Connect a light…' }).click();
    await allShow(hid, [OMEGA], 'red');
    const supported = LIGHT_DRIVERS.flatMap((d) => d.models.map((m) => ({ vendorId: m.vendorId, productId: m.productId })));
    expect(hid.requests).toEqual([supported]);
    await list.getByText('Busylight Omega').waitFor();
    const all = [...remembered, OMEGA];

    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    await allShow(hid, all, 'green');
    await lightShows(page).getByText('Showing green (available).').waitFor();
    await screenshot(page, 'agent-home-desk-light');
    const attachedAt = reports(hid, OMEGA.productName)[0]!.t;

    // A real inbound call rings the agent's phone: blinking red (in hardware, and by the tab for blink(1)).
    const carrier = await carrierCall({ caller: '+15125550177', did: DID, port: IT_PORTS.trunk + 13, callMs: 3_000, traceDir, name: `busylight-carrier-${Date.now()}` });
    const ringStart = hid.calls.length;
    await allShow(hid, [OMEGA, BLYNCLIGHT, FLAG], 'blinkingRed', 15_000);
    await eventually(() => {
      const blink1 = hid.calls.slice(ringStart).filter((c) => c.device === BLINK1_MK3.productName).map((c) => c.hex);
      // red, off, red: the tab's 500 ms blink
      return blink1.join(',').includes([BLINK1.shows.red, BLINK1.shows.off, BLINK1.shows.red].join(','));
    }, 5_000);
    await lightShows(page).getByText('Showing blinking red (a call is ringing).').waitFor();
    await carrier.exited;
    await allShow(hid, all, 'green', 15_000);

    // The Kuando is kept alive (every 10 s from when it was attached, whatever it showed meanwhile:
    // the call above ran during the wait); the others need no keep-alive.
    await eventually(() => reports(hid, OMEGA.productName).some((c) => c.hex === KUANDO.keepAlive), 14_000, 200);
    const firstKeepAlive = reports(hid, OMEGA.productName).find((c) => c.hex === KUANDO.keepAlive)!;
    expect(firstKeepAlive.t - attachedAt).toBeGreaterThanOrEqual(9_000);
    expect(firstKeepAlive.t - attachedAt).toBeLessThan(12_000);
    expect(firstKeepAlive).toMatchObject({ call: 'sendReport', reportId: 0 });

    // The server goes away: after the 5 s grace every light turns blue, never a stale green.
    const closedAt = Date.now();
    await server.close();
    await allShow(hid, all, 'blue', 12_000);
    const blueAt = lastReport(hid, OMEGA.productName)!.t;
    expect(blueAt - closedAt).toBeGreaterThanOrEqual(4_500);
    await lightShows(page).getByText('Showing blue (no connection to the server).').waitFor();
  }, 120_000);
});

describe('dashboard: BusyLight tab handover, unplug, sign-out, and the desk app (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
  });

  async function availableAgent(): Promise<CreatedUser & { token: string }> {
    const agent = await createUser(server, await server.login(), { role: 'agent' });
    const token = await loginAs(server, agent);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...agent, token };
  }

  it('one tab drives the light; when it closes it turns it off and the other tab takes over; unplug, replug and sign-out', async () => {
    const agent = await availableAgent();
    const context = await newContext(browser);
    contexts.push(context);
    const omega = { ...OMEGA, permitted: true };
    const hid = await installFakeHid(context, [omega]);
    const first = await signIn(context, server.url, agent.email, agent.password);
    await allShow(hid, [omega], 'green', 10_000, first);

    // A second tab of the same browser (signed in on its own: the session lives per tab).
    const second = await signIn(context, server.url, agent.email, agent.password);
    await card(second).getByText('Another Leadline tab in this browser drives your light').waitFor();
    expect(reports(hid, omega.productName, second)).toEqual([]);

    // Closing the first tab turns the light off on its way out; the second takes over at once.
    await first.close({ runBeforeUnload: true });
    await allShow(hid, [omega], 'off', 5_000, first);
    await allShow(hid, [omega], 'green', 5_000, second);
    await card(second).getByRole('list', { name: 'Connected lights' }).getByText('Busylight Omega').waitFor();

    // Pulled out and plugged back: opened again and sent the current state.
    await setPlugged(second, omega.productName, false);
    await card(second).getByText('No light connected to this tab.').waitFor();
    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: false } });
    await lightShows(second).getByText('Would show red (not available).').waitFor();
    const opens = () => hid.calls.filter((c) => c.page === second && c.call === 'open').length;
    expect(opens()).toBe(1);
    await setPlugged(second, omega.productName, true);
    await allShow(hid, [omega], 'red', 5_000, second);
    expect(opens()).toBe(2);

    // Signing out leaves the light off; signing in again picks the remembered light up again.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await allShow(hid, [omega], 'off', 5_000, second);
    await second.getByLabel('Email').fill(agent.email);
    await second.getByLabel('Password').fill(agent.password);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await allShow(hid, [omega], 'red', 10_000, second);

    // Disconnect: the light goes off and the browser forgets it (no more reports, not found again).
    await card(second).getByRole('listitem').filter({ hasText: 'Busylight Omega' }).getByRole('button', { name: 'Disconnect' }).click();
    await card(second).getByText('No light connected to this tab.').waitFor();
    await allShow(hid, [omega], 'off', 5_000, second);
    const after = hid.calls.length;
    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: true } });
    await lightShows(second).getByText('Would show green (available).').waitFor();
    await second.waitForTimeout(2_500); // a poll and more: the forgotten light stays alone
    expect(hid.calls.slice(after).filter((c) => c.device === omega.productName && c.call !== 'close')).toEqual([]);
  }, 60_000);

  it('keeps the Kuando alive from a hidden tab whose own timers Chrome throttles to once a minute', async () => {
    const agent = await availableAgent();
    const context = await newContext(browser);
    contexts.push(context);
    await throttlePageTimers(context);
    const omega = { ...OMEGA, permitted: true };
    const hid = await installFakeHid(context, [omega]);
    const page = await signIn(context, server.url, agent.email, agent.password);
    await allShow(hid, [omega], 'green', 10_000, page);
    const attachedAt = reports(hid, omega.productName, page)[0]!.t;
    // The keep-alive runs on timers in a worker: every 10 s still, not once a minute.
    await eventually(() => reports(hid, omega.productName, page).filter((c) => c.hex === KUANDO.keepAlive).length >= 2, 25_000, 200);
    const keepAlives = reports(hid, omega.productName, page).filter((c) => c.hex === KUANDO.keepAlive);
    expect(keepAlives[0]!.t - attachedAt).toBeLessThan(12_000);
    expect(keepAlives[1]!.t - keepAlives[0]!.t).toBeLessThan(12_000);
  }, 60_000);

  it('says so where WebHID is missing, and offers the desk app: download, device token shown once, revoke', async () => {
    const agent = await availableAgent();
    const context = await newContext(browser);
    contexts.push(context);
    await withoutWebHid(context);
    const page = await signIn(context, server.url, agent.email, agent.password);
    expect(await page.evaluate(() => 'hid' in (globalThis as unknown as { navigator: object }).navigator)).toBe(false);
    await card(page).getByRole('note').getByText(/This browser cannot drive a USB BusyLight/).waitFor();
    expect(await card(page).getByRole('button', { name: 'Connect a light…' }).count()).toBe(0);

    // Chrome on a dashboard served over plain http:// from another machine: HTTPS is what is missing.
    const insecure = await newContext(browser);
    contexts.push(insecure);
    await withoutWebHid(insecure, 'insecure');
    const plainHttp = await signIn(insecure, server.url, agent.email, agent.password);
    await card(plainHttp).getByRole('note').getByText(/only for a dashboard opened over https:\/\//).waitFor();
    await insecure.close();

    await card(page).getByRole('button', { name: /Desk app/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Desk app' });
    const version = (JSON.parse(readFileSync(path.join(REPO_DIR, 'apps/desk/package.json'), 'utf8')) as { version: string }).version;
    const fileName = `leadline-desk-${version}.tgz`;
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: `Download ${fileName}` }).click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    const saved = await download.path();
    expect(readFileSync(saved).equals(readFileSync(path.join(REPO_DIR, 'dist', 'desk', fileName)))).toBe(true);

    await dialog.getByLabel('Device name').fill('Front desk PC');
    await dialog.getByRole('button', { name: 'Create device token' }).click();
    const config = JSON.parse((await dialog.getByTestId('desk-config').textContent())!) as { server: string; token: string };
    expect(config.server).toBe(server.url);
    expect(config.token).toMatch(/^lld_/);
    await screenshot(page, 'desk-app-dialog');

    // The token shown works: a desk daemon's socket gets this agent's presence with it.
    const socket = io(server.url, { auth: { deviceToken: config.token }, transports: ['websocket'] });
    try {
      const presence = await new Promise<{ userId: string; color: string }>((resolve, reject) => {
        socket.once('presence', resolve);
        socket.once('connect_error', reject);
      });
      expect(presence).toMatchObject({ userId: agent.id, color: 'green' });
    } finally {
      socket.disconnect();
    }

    const row = dialog.getByRole('table', { name: 'My device tokens' }).getByRole('row', { name: /Front desk PC/ });
    await row.getByRole('button', { name: 'Revoke…' }).click();
    await row.getByRole('button', { name: 'Revoke Front desk PC' }).click();
    await dialog.getByText('No device tokens yet.').waitFor();
    expect((await server.request('GET', '/api/me/devices', { token: agent.token })).body).toEqual([]);
  }, 60_000);
});
