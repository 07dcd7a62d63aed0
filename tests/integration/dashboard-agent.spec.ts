// The agent's side of the dashboard in a real Chromium against the real server + SQLite (and the
// test Asterisk + SIPp for the incoming-call popup): live New Lead offers in two browsers (first
// click wins, the other sees it vanish), offers that expire, the session toggles driving the
// presence light through the server's push, My applications, and the incoming-call popup.
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aConsent, aLead, CampaignView, createUser, CreatedUser, loginAs, postLead } from '../factories';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { carrierCall } from '../harness/carrier';
import { startSipp, stopAllSipp } from '../harness/sipp';

/** The presence light on the home page; its data-color / data-blink come from the server's push. */
const light = (page: Page) => page.getByRole('region', { name: 'My presence' }).getByRole('img', { name: /^Presence light/ });

async function lightIs(page: Page, color: 'green' | 'red', blink = false, timeoutMs = 10_000): Promise<void> {
  const seen = async () => `${await light(page).getAttribute('data-color')}/${await light(page).getAttribute('data-blink')}`;
  await eventually(async () => (await seen()) === `${color}/${blink}`, timeoutMs).catch(async (err: unknown) => {
    const reason = await page.getByRole('region', { name: 'My presence' }).textContent();
    throw new Error(`light is ${await seen()} (${reason}), expected ${color}/${blink}: ${String(err)}`);
  });
}

const offerCard = (page: Page, name: string) => page.getByRole('listitem', { name: `New lead: ${name}` });

describe('dashboard: agent pages (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await server.login();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
  });

  async function agent(available: boolean): Promise<CreatedUser & { token: string }> {
    const user = await createUser(server, admin, { role: 'agent', stateLicences: ['TX'] });
    const token = await loginAs(server, user);
    if (available) await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...user, token };
  }

  async function open(user: CreatedUser): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    return signIn(context, server.url, user.email, user.password);
  }

  async function distributeAll(members: CreatedUser[], offerTimeoutSeconds: number): Promise<CampaignView> {
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: `agent ui group ${Date.now()}`, memberIds: members.map((m) => m.id) } });
    expect(group.status).toBe(201);
    const campaign = await server.request('POST', '/api/campaigns', {
      token: admin,
      body: { name: `Agent UI ${Date.now().toString(36)}`, distributionType: 'distribute_all', distributionGroupId: group.body.id, offerTimeoutSeconds, leadProvider: 'Acme Leads' },
    });
    expect(campaign.status).toBe(201);
    return campaign.body as CampaignView;
  }

  const applicationsOf = async (token: string) => (await server.request('GET', '/api/applications?mine=true&pageSize=200', { token })).body.items as any[];

  it('shows a Distribute All offer in two browsers; the first click takes it, it vanishes in the other', async () => {
    const [a, b] = await Promise.all([agent(true), agent(true)]);
    const campaign = await distributeAll([a, b], 120);
    const [pageA, pageB] = await Promise.all([open(a), open(b)]);
    // Both are connected and available (the light is what the server pushed).
    await lightIs(pageA, 'green');
    await lightIs(pageB, 'green');

    const posted = await postLead(server, campaign, aLead({ FirstName: 'Olivia', LastName: 'Offer', LoanAmount: 275000 }));
    expect(posted.body.StatusCode).toBe(1);
    const prospectId = posted.body.Data.ProspectId as string;

    for (const page of [pageA, pageB]) {
      const card = offerCard(page, 'Olivia Offer');
      await card.waitFor({ timeout: 10_000 });
      const text = await card.textContent();
      expect(text).toContain(campaign.name);
      expect(text).toContain('$275,000');
      expect(text).toContain('Acme Leads');
      expect(await card.getByRole('timer').textContent()).toMatch(/^[0-9]:[0-5][0-9] left$/);
    }
    await screenshot(pageA, 'agent-home-offer');

    await offerCard(pageA, 'Olivia Offer').getByRole('button', { name: 'Take lead' }).click();
    await pageA.getByTestId('toast-success').filter({ hasText: 'You took the lead Olivia Offer' }).waitFor();
    const won = pageA.getByRole('region', { name: 'You took Olivia Offer' });
    await won.getByText('Olivia Offer').waitFor();
    expect(await won.textContent()).toContain(campaign.name);
    await offerCard(pageA, 'Olivia Offer').waitFor({ state: 'detached' });
    // The other agent sees it vanish without doing anything.
    await offerCard(pageB, 'Olivia Offer').waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(pageA, 'agent-home-taken');

    // Exactly one application, the clicking agent's.
    const ofA = (await applicationsOf(a.token)).filter((x) => x.prospect.id === prospectId);
    expect(ofA).toHaveLength(1);
    expect(ofA[0]).toMatchObject({ primaryAgent: { id: a.id }, via: 'distribute_all' });
    expect((await applicationsOf(b.token)).filter((x) => x.prospect.id === prospectId)).toHaveLength(0);
    const all = (await server.request('GET', '/api/applications?pageSize=200', { token: admin })).body.items.filter((x: any) => x.prospect.id === prospectId);
    expect(all).toHaveLength(1);

    // My applications lists it (server-side pagination); B's is empty.
    await pageA.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
    const table = pageA.getByRole('table', { name: 'My applications' });
    await table.getByRole('row', { name: /Olivia Offer/ }).waitFor();
    expect(await table.getByRole('row', { name: /Olivia Offer/ }).textContent()).toContain('Distribute All');
    expect(await pageA.getByRole('navigation', { name: 'Pages' }).textContent()).toContain('1 total');
    await screenshot(pageA, 'my-applications');
    await pageB.goto(`${server.url}/my/applications`);
    await pageB.getByText('No applications yet').waitFor();
  });

  it('pages My applications on the server and adds a lead assigned while it is open', async () => {
    const a = await agent(false);
    const campaign = (await server.request('POST', '/api/campaigns', { token: admin, body: { name: `Paging ${Date.now().toString(36)}`, distributionType: 'none' } })).body as CampaignView;
    const post = async (firstName: string) => (await postLead(server, campaign, aLead({ FirstName: firstName, LastName: 'Paged' }))).body.Data.ProspectId as string;
    const assign = async (prospectId: string) => {
      const res = await server.request('POST', `/api/prospects/${prospectId}/assign`, { token: admin, body: { userId: a.id } });
      expect(res.status).toBe(201);
    };
    // Posted together; assigned one by one, so the applications' order (newest first) is P26 … P01.
    const prospects = await Promise.all(Array.from({ length: 26 }, (_, i) => post(`P${String(i + 1).padStart(2, '0')}`)));
    for (const prospectId of prospects) await assign(prospectId);
    const page = await open(a);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await pager.getByText('Page 1 of 2 · 26 total').waitFor();
    const rows = page.getByRole('table', { name: 'My applications' }).getByRole('row');
    expect(await rows.count()).toBe(26); // header + 25
    await rows.filter({ hasText: 'P26 Paged' }).waitFor(); // newest first
    await pager.getByRole('button', { name: 'Next ›' }).click();
    await pager.getByText('Page 2 of 2 · 26 total').waitFor();
    await rows.filter({ hasText: 'P01 Paged' }).waitFor();
    expect(await rows.count()).toBe(2);

    // Click-to-call from a row: this agent has no work phone, and the server's reason shows.
    await page.getByRole('button', { name: 'Call P01 Paged' }).click();
    await page.getByTestId('toast-error').filter({ hasText: 'Could not call P01 Paged: You have no work phone Leadline can ring' }).waitFor();

    await pager.getByRole('button', { name: '‹ Previous' }).click();
    await assign(await post('Live'));
    await rows.filter({ hasText: 'Live Paged' }).waitFor({ timeout: 10_000 });
    await pager.getByText('27 total').waitFor();
    // Home lists it under "Assigned to you".
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByRole('region', { name: 'Assigned to you' }).getByText(/Live Paged was assigned to you \(Assigned by a manager\)/).waitFor();
  });

  it('shows the consent evidence posted with a lead on My applications (docs/compliance.md)', async () => {
    const a = await agent(false);
    const campaign = (await server.request('POST', '/api/campaigns', { token: admin, body: { name: `Consent ${Date.now().toString(36)}`, distributionType: 'none' } })).body as CampaignView;
    const consent = aConsent();
    for (const [firstName, fields] of [['With', consent], ['Without', {}]] as const) {
      const posted = await postLead(server, campaign, aLead({ FirstName: firstName, LastName: 'Consent', ...fields }));
      expect((await server.request('POST', `/api/prospects/${posted.body.Data.ProspectId}/assign`, { token: admin, body: { userId: a.id } })).status).toBe(201);
    }
    const page = await open(a);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
    const rows = page.getByRole('table', { name: 'My applications' }).getByRole('row');
    await rows.filter({ hasText: 'Without Consent' }).getByText('None posted').waitFor();
    const row = rows.filter({ hasText: 'With Consent' });
    await row.getByText('On file').click();
    const shown = await row.getByLabel('Consent evidence').innerText();
    for (const value of [consent.ConsentText, consent.ConsentTimestamp, consent.ConsentSourceUrl, consent.IpAddress, consent.xxTrustedFormCertUrl]) expect(shown).toContain(String(value));
  });

  it('changes the presence light live from the toggles, and from a change made elsewhere', async () => {
    const a = await agent(false);
    const page = await open(a);
    await lightIs(page, 'red');
    await page.getByText('You are logged out of calls.').waitFor();
    const loggedIn = page.getByRole('switch', { name: 'Log in to calls' });
    const callsOn = page.getByRole('switch', { name: 'Calls on' });
    expect(await loggedIn.isChecked()).toBe(false);

    await loggedIn.click();
    await eventually(() => loggedIn.isChecked());
    await page.getByText('Your calls are off.').waitFor();
    await lightIs(page, 'red');

    await callsOn.click();
    await lightIs(page, 'green');
    await page.getByText('Logged in, calls on, not on a call', { exact: false }).waitFor();
    expect(await callsOn.isChecked()).toBe(true);
    await screenshot(page, 'agent-home-available');
    // The server agrees.
    expect((await server.request('GET', '/api/me', { token: a.token })).body).toMatchObject({ loggedIn: true, callsOn: true });

    // Turned off elsewhere (another tab, another device): the open page follows.
    const res = await server.request('PATCH', '/api/me/session', { token: a.token, body: { callsOn: false } });
    expect(res.status).toBe(200);
    await lightIs(page, 'red');
    await page.getByText('Your calls are off.').waitFor();
    await eventually(async () => !(await callsOn.isChecked()));

    // And back on from the page.
    await callsOn.click();
    await lightIs(page, 'green');
  });

  it('tells an agent who clicks a lead already taken that another agent took it', async () => {
    const [a, b] = await Promise.all([agent(true), agent(true)]);
    const campaign = await distributeAll([a, b], 120);
    const pageA = await open(a);
    // B's browser misses the "taken" push (a frame lost on the way), so B still sees the card
    // and clicks it: the real server answers the claim with "taken".
    const contextB = await newContext(browser);
    contexts.push(contextB);
    await contextB.routeWebSocket(/\/socket\.io\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((m) => upstream.send(m));
      upstream.onMessage((m) => {
        if (typeof m === 'string' && m.includes('"lead:taken"')) return;
        ws.send(m);
      });
    });
    const pageB = await signIn(contextB, server.url, b.email, b.password);
    await lightIs(pageA, 'green');
    await lightIs(pageB, 'green');

    const posted = await postLead(server, campaign, aLead({ FirstName: 'Tara', LastName: 'Taken' }));
    await offerCard(pageA, 'Tara Taken').waitFor({ timeout: 10_000 });
    await offerCard(pageB, 'Tara Taken').waitFor({ timeout: 10_000 });
    await offerCard(pageA, 'Tara Taken').getByRole('button', { name: 'Take lead' }).click();
    await pageA.getByTestId('toast-success').filter({ hasText: 'You took the lead Tara Taken' }).waitFor();

    await offerCard(pageB, 'Tara Taken').getByRole('button', { name: 'Take lead' }).click();
    await pageB.getByTestId('toast-warning').filter({ hasText: 'Another agent took this lead (Tara Taken)' }).waitFor();
    await offerCard(pageB, 'Tara Taken').waitFor({ state: 'detached' });
    expect((await applicationsOf(b.token)).some((x) => x.prospect.id === posted.body.Data.ProspectId)).toBe(false);
  });

  it('gives a manager who takes leads the same home, and only their own applications', async () => {
    const manager = await createUser(server, admin, { role: 'manager' });
    const a = await agent(false);
    const campaign = (await server.request('POST', '/api/campaigns', { token: admin, body: { name: `Manager ${Date.now().toString(36)}`, distributionType: 'none' } })).body as CampaignView;
    for (const [firstName, userId] of [['Mine', manager.id], ['Theirs', a.id]]) {
      const posted = await postLead(server, campaign, aLead({ FirstName: firstName, LastName: 'Lead' }));
      expect((await server.request('POST', `/api/prospects/${posted.body.Data.ProspectId}/assign`, { token: admin, body: { userId } })).status).toBe(201);
    }
    const page = await open(manager);
    await lightIs(page, 'red');
    await page.getByRole('switch', { name: 'Log in to calls' }).click();
    await page.getByText('Your calls are off.').waitFor();
    await page.getByRole('switch', { name: 'Calls on' }).click();
    await lightIs(page, 'green');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
    const table = page.getByRole('table', { name: 'My applications' });
    await table.getByRole('row', { name: /Mine Lead/ }).waitFor();
    expect(await table.getByRole('row', { name: /Theirs Lead/ }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Pages' }).getByText('1 total').waitFor();
  });

  it('removes an offer nobody took when it expires', async () => {
    const [a, b] = await Promise.all([agent(true), agent(true)]);
    const campaign = await distributeAll([a, b], 5);
    const page = await open(a);
    await lightIs(page, 'green');
    const posted = await postLead(server, campaign, aLead({ FirstName: 'Eve', LastName: 'Expiring' }));
    const card = offerCard(page, 'Eve Expiring');
    await card.waitFor({ timeout: 10_000 });
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByText('No lead offers right now').waitFor();
    const prospect = await server.request('GET', `/api/prospects/${posted.body.Data.ProspectId}`, { token: admin });
    expect(prospect.body).toMatchObject({ status: 'exception', failureReason: 'No agents clicked the New Lead button' });
  });

  it('points to offers from another page, and withdraws an offer a manager assigned meanwhile', async () => {
    const [a, b] = await Promise.all([agent(true), agent(true)]);
    const campaign = await distributeAll([a, b], 120);
    const page = await open(a);
    await lightIs(page, 'green');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My applications' }).click();
    const posted = await postLead(server, campaign, aLead({ FirstName: 'Bea', LastName: 'Banner' }));
    const banner = page.getByRole('status').filter({ hasText: 'offered to you' });
    await banner.waitFor({ timeout: 10_000 });
    await banner.getByRole('link', { name: /Go to Home/ }).click();
    const card = offerCard(page, 'Bea Banner');
    await card.waitFor();

    // A manager assigns the lead to B meanwhile: A's offer vanishes and A gets nothing.
    const res = await server.request('POST', `/api/prospects/${posted.body.Data.ProspectId}/assign`, { token: admin, body: { userId: b.id } });
    expect(res.status).toBe(201);
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await applicationsOf(a.token)).some((x) => x.prospect.id === posted.body.Data.ProspectId)).toBe(false);
  });
});

describe('dashboard: incoming-call popup (Chromium + Asterisk + SIPp)', () => {
  const DID = '+18005550100';
  const phonePort = IT_PORT_BASE + 871;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let callSeq = 0;

  beforeAll(async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    const started = startServer({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '20' }).then(async (s) => {
      await s.ari.waitUntilUp(15_000);
      return s;
    });
    [server, browser] = await Promise.all([started, launchBrowser()]);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stopAllSipp();
    await server?.close();
  });

  /** The carrier calls the DID from `caller`, hanging up 1.5 s after the agent answers (nothing here needs a longer talk). */
  async function call(caller: string) {
    return carrierCall({ caller, did: DID, port: IT_PORTS.trunk + 6 + (++callSeq % 3), callMs: 1_500, traceDir: path.join(IT_DIR, 'sipp-dashboard-agent'), name: `dash-carrier-${callSeq}-${Date.now()}` });
  }

  it('shows the caller and the lead, nothing when no lead matches, and hides details when the agent turned them off', async () => {
    const admin = await server.login();
    const traceDir = path.join(IT_DIR, 'sipp-dashboard-agent');
    // The agent's phone rings 3 s, then answers; the popup shows while it rings.
    await startSipp({ scenario: 'agent-silent', port: phonePort, vars: { answer_ms: '3000' }, traceDir, name: `dash-phone-${Date.now()}` });
    const user = await createUser(server, admin, { role: 'agent', workPhoneType: 'static_ip', workPhone: `127.0.0.1:${phonePort}`, stateLicences: ['TX'] });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    const campaign = (await server.request('POST', '/api/campaigns', { token: admin, body: { name: 'Inbound popup leads', distributionType: 'none' } })).body as CampaignView;
    await postLead(server, campaign, { FirstName: 'Carla', LastName: 'Caller', MobilePhone: '+15125550166', PropertyState: 'TX', LoanPurpose: 'Refinance', LoanAmount: 410000 });

    context = await newContext(browser);
    const page = await signIn(context, server.url, user.email, user.password);
    await lightIs(page, 'green');
    const dialog = page.getByRole('dialog', { name: 'Incoming call' });

    // 1. A known lead: its details.
    let carrier = await call('+15125550166');
    await dialog.waitFor({ timeout: 15_000 });
    // While it rings this available agent, the light blinks red.
    await lightIs(page, 'red', true, 3_000);
    const text = await dialog.textContent();
    expect(text).toContain('+15125550166');
    expect(text).toContain('Carla Caller');
    expect(text).toContain('Inbound popup leads');
    expect(text).toContain('$410,000');
    await screenshot(page, 'agent-incoming-call');
    // Closes by itself once the call stops ringing here (the phone answered).
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await carrier.exited;
    // Free again once the call is over (the server pushes presence when the agent is released).
    await lightIs(page, 'green');

    // 2. No lead for this caller.
    carrier = await call('+15125550167');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByText('No matching lead for this caller.').waitFor();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await carrier.exited;
    await lightIs(page, 'green');

    // 3. Details turned off from the page: the popup says so and shows no lead data.
    const details = page.getByRole('switch', { name: 'Show incoming call details' });
    await details.click();
    await eventually(async () => !(await details.isChecked()));
    expect((await server.request('GET', '/api/me', { token })).body.showIncomingCallDetails).toBe(false);
    carrier = await call('+15125550166');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByText(/Lead details hidden/).waitFor();
    expect(await dialog.textContent()).not.toContain('Carla');
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await carrier.exited;
  });
});
