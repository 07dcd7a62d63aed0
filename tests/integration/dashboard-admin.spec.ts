// The admin/manager dashboard in a real Chromium against the real server + SQLite: campaigns with
// their Action Post URL and a test lead, lead exceptions (filters, Assign popup, Ignore with a
// confirm, Show ignored), Local Dial Presence purchases (green and warning toasts), users with a
// SIP desk phone, the live team presence board, and call activity for every role.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aLead, createCampaign, createUser, CreatedUser, loginAs, postLead } from '../factories';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';
import { stopAllSipp } from '../harness/sipp';
import * as ringAll from './ring-all.fixture';

// This suite's SIPp desk phone: IT_PORT_BASE + 950.
const AGENT_PHONE_PORT = IT_PORT_BASE + 950;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('admin dashboard (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: string;
  let member: CreatedUser;
  let target: CreatedUser;
  const prospectOf: Record<string, string> = {};
  let failing: Awaited<ReturnType<typeof createCampaign>>;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await server.login();
    // The group's only member never logs in: every Distribute All lead fails at once with
    // "No available agents were found".
    [member, target] = await Promise.all([
      createUser(server, admin, { name: 'Morgan Member', role: 'agent', stateLicences: ['TX'] }),
      createUser(server, admin, { name: 'Tess Target', role: 'agent' }),
    ]);
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: 'Nobody home', memberIds: [member.id] } });
    expect(group.status).toBe(201);
    failing = await createCampaign(server, admin, { name: 'Failing', description: 'nobody answers', leadProvider: 'Zillow', distributionType: 'distribute_all', distributionGroupId: group.body.id });
    for (const [key, first, last] of [
      ['assign', 'Alice', 'Assignme'],
      ['ignore', 'Ian', 'Ignoreme'],
      ['other', 'Olga', 'Other'],
    ] as const) {
      const res = await postLead(server, failing, aLead({ FirstName: first, LastName: last, state: 'TX' }));
      expect(res.body.StatusCode).toBe(1);
      prospectOf[key] = res.body.Data.ProspectId;
    }
    await eventually(async () => {
      const rows = (await server.request('GET', '/api/lead-exceptions?pageSize=200', { token: admin })).body.items as { prospectId: string; failureReason: string }[];
      return Object.values(prospectOf).every((id) => rows.some((r) => r.prospectId === id && r.failureReason === 'No available agents were found'));
    }, 15_000);
    // The carrier inventory holds one number in 512 (tests/integration/local-presence.spec.ts).
    const loaded = await server.request('POST', '/api/local-presence/inventory', { token: admin, body: '+15125550901\n', headers: { 'content-type': 'text/csv' } });
    expect(loaded.body).toMatchObject({ added: 1 });

    context = await newContext(browser);
    page = await signIn(context, server.url, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stopAllSipp();
    await server?.close();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  const table = (name: string) => page.getByRole('table', { name });
  const row = (tableName: string, text: string) => table(tableName).getByRole('row').filter({ hasText: text });
  /** The buttons of a dialog that something else covers (the element at their centre is not theirs). */
  const coveredButtons = (dialogName: string): Promise<string[]> =>
    page.evaluate(`[...document.querySelector('[role=dialog][aria-label=${JSON.stringify(dialogName)}]').querySelectorAll('button')]
      .filter((b) => {
        b.scrollIntoView({ block: 'nearest' });
        const r = b.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !hit || !b.contains(hit);
      })
      .map((b) => b.textContent)`);

  it('creates a campaign, shows its Action Post URL and key, and sends a test lead', async () => {
    await nav('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'New campaign' });
    await dialog.getByLabel('Name', { exact: true }).fill('Spring UI');
    await dialog.getByLabel('Lead provider').fill('Bankrate');
    await dialog.getByLabel('Distribution', { exact: true }).selectOption('none');
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await dialog.waitFor({ state: 'detached' });

    const panel = page.getByRole('region', { name: 'Campaign Spring UI' });
    const url = (await panel.getByTestId('action-post-url').textContent())!;
    const key = (await panel.getByTestId('action-post-key').textContent())!;
    const campaigns = (await server.request('GET', '/api/campaigns', { token: admin })).body as { id: string; name: string; apiKey: string; actionPostUrl: string; distributionType: string }[];
    const created = campaigns.find((c) => c.name === 'Spring UI')!;
    expect(created).toMatchObject({ distributionType: 'none', apiKey: key, actionPostUrl: url });
    expect(url).toContain(`/api/action-post/${created.id}?key=`);
    await expect(page.getByRole('row').filter({ hasText: 'Spring UI' }).count()).resolves.toBe(1);

    await panel.getByRole('button', { name: 'Send test lead' }).click();
    const prospectCell = panel.getByTestId('test-lead-prospect');
    await eventually(async () => UUID.test((await prospectCell.textContent()) ?? ''));
    const prospectId = (await prospectCell.textContent())!;
    expect(await panel.getByTestId('test-lead-status').textContent()).toBe('1');
    const prospect = await server.request('GET', `/api/prospects/${prospectId}`, { token: admin });
    expect(prospect.body).toMatchObject({ id: prospectId, campaignId: created.id, firstName: 'Test', lastName: 'Lead', status: 'new' });
    await screenshot(page, 'admin-campaigns');

    // Editing keeps the key and shows the change.
    await page.getByRole('button', { name: 'Edit Spring UI' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit campaign Spring UI' });
    await edit.getByLabel('Description').fill('Spring promo from the dashboard');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row('Campaigns', 'Spring promo from the dashboard').waitFor();
    expect((await server.request('GET', `/api/campaigns/${created.id}`, { token: admin })).body).toMatchObject({ description: 'Spring promo from the dashboard', apiKey: key });

    // Rotating the key (after a confirm) shows the new one; the old one is refused.
    await panel.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'Rotate key' }).getByRole('button', { name: 'Rotate key' }).click();
    await eventually(async () => (await panel.getByTestId('action-post-key').textContent()) !== key);
    expect((await postLead(server, { id: created.id, apiKey: key }, aLead())).status).toBe(401);
  });

  it('filters lead exceptions and assigns one through the Assign popup', async () => {
    await nav('Lead exceptions');
    const exceptions = table('Lead exceptions');
    await row('Lead exceptions', 'Alice Assignme').waitFor();
    const bodyRows = exceptions.locator('tbody').getByRole('row');
    const firstRowHas = (text: string) => eventually(async () => ((await bodyRows.first().textContent()) ?? '').includes(text));

    // Sort by name: ascending, then descending.
    await exceptions.getByRole('button', { name: 'Prospect name' }).click();
    await firstRowHas('Alice Assignme');
    expect(await exceptions.getByRole('columnheader', { name: /Prospect name/ }).getAttribute('aria-sort')).toBe('ascending');
    await exceptions.getByRole('button', { name: /Prospect name/ }).click();
    await firstRowHas('Olga Other');

    // Number range and date-time range.
    await exceptions.getByLabel('Loan amount at least').fill('400000');
    await page.getByText('No lead exception matches these filters.').waitFor();
    await exceptions.getByLabel('Loan amount at least').fill('350000');
    await row('Lead exceptions', 'Alice Assignme').waitFor();
    await exceptions.getByLabel('Loan amount at least').fill('');
    await exceptions.getByLabel('Created from').fill('2099-01-01T00:00');
    await page.getByText('No lead exception matches these filters.').waitFor();
    await exceptions.getByLabel('Created from').fill('');
    await exceptions.getByLabel('Created to').fill('2099-01-01T00:00');
    await row('Lead exceptions', 'Alice Assignme').waitFor();
    await exceptions.getByLabel('Created to').fill('');

    // Text search.
    await exceptions.getByLabel('Filter by prospect name').fill('assignme');
    await eventually(async () => (await row('Lead exceptions', 'Ian Ignoreme').count()) === 0);
    await expect(row('Lead exceptions', 'Alice Assignme').count()).resolves.toBe(1);

    // A multi-select filter: another state hides the row, the lead's own failure reason keeps it.
    await exceptions.getByRole('button', { name: 'Filter by state' }).click();
    await page.getByRole('group', { name: 'Filter by state options' }).getByLabel('CA', { exact: true }).check();
    await eventually(async () => (await row('Lead exceptions', 'Alice Assignme').count()) === 0);
    await page.getByRole('group', { name: 'Filter by state options' }).getByLabel('CA', { exact: true }).uncheck();
    await page.keyboard.press('Escape');
    await exceptions.getByRole('button', { name: 'Filter by failure reason' }).click();
    await page.getByRole('group', { name: 'Filter by failure reason options' }).getByLabel('No available agents were found').check();
    await page.keyboard.press('Escape');
    await row('Lead exceptions', 'Alice Assignme').waitFor();
    await screenshot(page, 'admin-lead-exceptions-filtered');

    await page.getByRole('button', { name: 'Assign Alice Assignme' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign Alice Assignme' });
    await dialog.getByLabel('Search users').fill('tess');
    // The list follows the search once its answer is in: wait for it, then exactly Tess is offered.
    await eventually(async () => (await dialog.getByRole('radio').count()) === 1);
    await expect(dialog.getByRole('radio').count()).resolves.toBe(1);
    await dialog.getByRole('radio', { name: 'Tess Target' }).check();
    await screenshot(page, 'admin-lead-exceptions-assign');
    await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => (await row('Lead exceptions', 'Alice Assignme').count()) === 0);
    expect(await page.getByTestId('toast-success').last().textContent()).toContain('assigned to Tess Target');

    const applications = (await server.request('GET', '/api/applications?pageSize=200', { token: admin })).body.items as { prospect: { id: string }; primaryAgent: { id: string }; via: string }[];
    expect(applications.find((a) => a.prospect.id === prospectOf.assign)).toMatchObject({ primaryAgent: { id: target.id }, via: 'manual' });
  });

  it('ignores a lead exception after a confirm; Show ignored lists it last, still assignable', async () => {
    const exceptions = table('Lead exceptions');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row('Lead exceptions', 'Ian Ignoreme').waitFor();

    // Cancel keeps it; confirming ignores it.
    await page.getByRole('button', { name: 'Ignore Ian Ignoreme' }).click();
    await page.getByRole('dialog', { name: 'Ignore lead exception' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(row('Lead exceptions', 'Ian Ignoreme').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Ignore Ian Ignoreme' }).click();
    await page.getByRole('dialog', { name: 'Ignore lead exception' }).getByRole('button', { name: 'Ignore' }).click();
    await eventually(async () => (await row('Lead exceptions', 'Ian Ignoreme').count()) === 0);
    await expect(row('Lead exceptions', 'Olga Other').count()).resolves.toBe(1);

    await page.getByLabel('Show ignored').check();
    await row('Lead exceptions', 'Ian Ignoreme').waitFor();
    const bodyRows = exceptions.locator('tbody').getByRole('row');
    await expect(bodyRows.last().textContent()).resolves.toContain('Ian Ignoreme');
    await expect(bodyRows.first().textContent()).resolves.toContain('Olga Other');
    await expect(page.getByRole('button', { name: 'Assign Ian Ignoreme' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Unignore Ian Ignoreme' }).count()).resolves.toBe(1);
    const listed = (await server.request('GET', '/api/lead-exceptions?showIgnored=true', { token: admin })).body.items as { prospectId: string; ignored: boolean }[];
    expect(listed.find((r) => r.prospectId === prospectOf.ignore)).toMatchObject({ ignored: true });
    await screenshot(page, 'admin-lead-exceptions-ignored');
  });

  it('purchases a Local Dial Presence number (green toast) and warns when none is free', async () => {
    await nav('Local dial presence');
    await page.getByLabel('Area code', { exact: true }).fill('512');
    await page.getByRole('button', { name: 'Purchase number' }).click();
    const success = page.getByTestId('toast-success').filter({ hasText: '+15125550901' });
    await success.waitFor();
    expect(await success.textContent()).toContain('area code 512');
    await row('Local dial presence numbers', '+15125550901').waitFor();

    await page.getByLabel('Area code', { exact: true }).fill('512');
    await page.getByRole('button', { name: 'Purchase number' }).click();
    const warning = page.getByTestId('toast-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('No number with area code 512 is available');
    await expect(page.getByTestId('toast-error').count()).resolves.toBe(0);

    // Map one more area code to it.
    await page.getByLabel('Area codes to map to +15125550901').fill('737');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByRole('button', { name: 'Remove area code 737 from +15125550901' }).waitFor();
    const numbers = (await server.request('GET', '/api/local-presence/numbers', { token: admin })).body as { number: string; areaCodes: string[] }[];
    expect(numbers).toEqual([expect.objectContaining({ number: '+15125550901', areaCodes: expect.arrayContaining(['512', '737']) })]);
    await screenshot(page, 'admin-local-presence');

    // Delete asks first; the number goes back to the inventory and can be purchased again.
    await page.getByRole('button', { name: 'Delete +15125550901' }).click();
    await page.getByRole('dialog', { name: 'Delete number' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No numbers yet.').waitFor();
    expect((await server.request('GET', '/api/local-presence/numbers', { token: admin })).body).toEqual([]);
    await page.getByLabel('Area code', { exact: true }).fill('512');
    await page.getByRole('button', { name: 'Purchase number' }).click();
    await row('Local dial presence numbers', '+15125550901').waitFor();
  });

  it('registers a user with a SIP desk phone and shows its credentials once', async () => {
    // A stack of toasts (three "none free" warnings, 6 s each) where dialogs have their buttons, on
    // a small screen: the dialog's buttons must stay visible and clickable.
    await page.setViewportSize({ width: 900, height: 640 });
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('Area code', { exact: true }).fill('213');
      await page.getByRole('button', { name: 'Purchase number' }).click();
    }
    await expect(page.getByTestId('toast-warning').count()).resolves.toBeGreaterThanOrEqual(3);
    await nav('Users');
    await page.getByRole('button', { name: 'Register user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register user' });
    expect(await coveredButtons('Register user')).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Register user' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Desk Dana');
    await dialog.getByLabel('Email').fill('dana.desk@it.test');
    await dialog.getByLabel('Password', { exact: true }).fill('dana-password-12345');
    await dialog.getByLabel('Work phone type').selectOption('sip_desk');
    await dialog.getByLabel('Caller ID').fill('+15125550177');
    await dialog.getByRole('button', { name: 'State licences' }).click();
    await dialog.getByRole('group', { name: 'State licences options' }).getByLabel('TX', { exact: true }).check();
    await dialog.getByRole('group', { name: 'State licences options' }).getByLabel('CA', { exact: true }).check();
    await screenshot(page, 'admin-users-register');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();

    const credentials = page.getByRole('dialog', { name: 'Desk phone for Desk Dana' });
    await credentials.waitFor();
    const password = (await credentials.getByTestId('sip-password').textContent())!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'admin-users-sip-credentials');
    await credentials.getByRole('button', { name: 'Done' }).click();

    const users = (await server.request('GET', '/api/users?pageSize=200', { token: admin })).body.items as { id: string; email: string; workPhoneType: string; sipUsername: string; stateLicences: string[]; callerId: string }[];
    const dana = users.find((u) => u.email === 'dana.desk@it.test')!;
    expect(dana).toMatchObject({ workPhoneType: 'sip_desk', callerId: '+15125550177' });
    expect([...dana.stateLicences].sort()).toEqual(['CA', 'TX']);
    await row('Users', 'Desk Dana').waitFor();
    expect(await row('Users', 'Desk Dana').textContent()).toContain(dana.sipUsername);
    await screenshot(page, 'admin-users');

    // Editing something else keeps the desk phone's account: no new credentials.
    await page.getByRole('button', { name: 'Edit Desk Dana' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Desk Dana' });
    await edit.getByLabel('Caller ID').fill('+15125550178');
    await edit.getByLabel('Caller ID').press('Enter');
    await edit.waitFor({ state: 'detached' });
    await eventually(async () => ((await server.request('GET', `/api/users/${dana.id}`, { token: admin })).body.callerId as string) === '+15125550178');
    expect((await server.request('GET', `/api/users/${dana.id}`, { token: admin })).body).toMatchObject({ sipUsername: dana.sipUsername, workPhoneType: 'sip_desk' });
    await expect(page.getByRole('dialog', { name: 'Desk phone for Desk Dana' }).count()).resolves.toBe(0);

    // Rotating the SIP password (confirmed) shows the new one once.
    await page.getByRole('button', { name: 'Edit Desk Dana' }).click();
    await edit.getByRole('button', { name: 'Rotate SIP password' }).click();
    await edit.getByRole('button', { name: 'Yes, rotate' }).click();
    const rotated = page.getByRole('dialog', { name: 'Desk phone for Desk Dana' });
    await rotated.waitFor();
    const newPassword = (await rotated.getByTestId('sip-password').textContent())!;
    expect(newPassword).not.toBe(password);
    await rotated.getByRole('button', { name: 'Done' }).click();
  });

  it('shows the team presence board and changes an agent’s light live', async () => {
    await nav('Team presence');
    const card = page.getByRole('group', { name: /^Morgan Member:/ });
    await card.waitFor();
    expect(await card.getAttribute('data-color')).toBe('red');
    const token = await loginAs(server, member);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    await eventually(async () => (await card.getAttribute('data-color')) === 'green');
    expect(await card.getAttribute('aria-label')).toBe('Morgan Member: available');
    await screenshot(page, 'admin-team-presence');
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: false } });
    await eventually(async () => (await card.getAttribute('data-color')) === 'red');

    // Someone registered after the board loaded shows up by name once their light changes.
    const newcomer = await createUser(server, admin, { name: 'Nina Newcomer', role: 'agent' });
    await server.request('PATCH', '/api/me/session', { token: await loginAs(server, newcomer), body: { loggedIn: true, callsOn: true } });
    await page.getByRole('group', { name: 'Nina Newcomer: available' }).waitFor();
  });

  it('shows the other admin pages, read-only pages to managers, and Call activity to agents', async () => {
    for (const [label, shot, shows] of [
      ['Distribution groups', 'admin-groups', () => row('Distribution groups', 'Nobody home')],
      ['Organization', 'admin-org', () => page.getByLabel('Org caller ID')],
      ['Unassigned leads', 'admin-unassigned-leads', () => row('Unassigned leads', 'Olga Other')],
      ['Call activity', 'admin-call-activity', () => page.getByText('No calls yet.')],
    ] as const) {
      await nav(label);
      await page.getByRole('heading', { name: label, level: 1 }).waitFor();
      await shows().waitFor();
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
      await screenshot(page, shot);
    }

    // A new distribution group with a member and a state filter.
    await nav('Distribution groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const groupDialog = page.getByRole('dialog', { name: 'New group' });
    await groupDialog.getByLabel('Name', { exact: true }).fill('Texas team');
    await groupDialog.getByRole('button', { name: 'Members' }).click();
    await groupDialog.getByRole('group', { name: 'Members options' }).getByLabel('Morgan Member (agent)').check();
    await page.keyboard.press('Escape');
    await groupDialog.getByRole('button', { name: 'States' }).click();
    await groupDialog.getByRole('group', { name: 'States options' }).getByLabel('Search States').fill('tx');
    await groupDialog.getByRole('group', { name: 'States options' }).getByLabel('TX', { exact: true }).check();
    await page.keyboard.press('Escape');
    await expect(groupDialog.isVisible()).resolves.toBe(true);
    await groupDialog.getByRole('button', { name: 'Create group' }).click();
    await groupDialog.waitFor({ state: 'detached' });
    await row('Distribution groups', 'Texas team').waitFor();
    expect(await row('Distribution groups', 'Texas team').textContent()).toContain('Morgan Member');
    const groups = (await server.request('GET', '/api/distribution-groups', { token: admin })).body as { name: string; memberIds: string[]; filterStates: string[] }[];
    expect(groups.find((g) => g.name === 'Texas team')).toMatchObject({ memberIds: [member.id], filterStates: ['TX'] });

    // Deleting a user asks first.
    await nav('Users');
    await page.getByRole('button', { name: 'Delete Nina Newcomer' }).click();
    await page.getByRole('dialog', { name: 'Delete user' }).getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => (await row('Users', 'Nina Newcomer').count()) === 0);
    const users = (await server.request('GET', '/api/users?pageSize=200', { token: admin })).body.items as { name: string }[];
    expect(users.map((u) => u.name)).not.toContain('Nina Newcomer');

    // The recording of borrower calls, chosen on the Organization page and saved with it.
    await nav('Organization');
    await page.getByLabel('States where every party must consent (CA, FL, PA …)').selectOption('do_not_record');
    await page.getByLabel('Other states').selectOption('disclose_then_record');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Organization saved').waitFor();
    expect((await server.request('GET', '/api/org', { token: admin })).body.recording).toEqual({ allPartyStates: 'do_not_record', onePartyStates: 'disclose_then_record', customDisclosure: null });
    // Back to what the other tests expect (tests/harness/server.ts).
    await server.request('PATCH', '/api/org', { token: admin, body: { recording: { allPartyStates: 'disclose_then_record', onePartyStates: 'record_without_disclosure' } } });

    // Escape closes a dialog.
    await nav('Campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByRole('dialog', { name: 'New campaign' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'New campaign' }).waitFor({ state: 'detached' });

    // Managers read users, groups and numbers but only admins change them (the server's @Roles).
    const manager = await createUser(server, admin, { name: 'Mia Manager', role: 'manager' });
    const managerContext = await newContext(browser);
    const managerPage = await signIn(managerContext, server.url, manager.email, manager.password);
    const managerNav = managerPage.getByRole('navigation', { name: 'Main' });
    await expect(managerNav.getByRole('link', { name: 'Organization', exact: true }).count()).resolves.toBe(0);
    await managerNav.getByRole('link', { name: 'Users', exact: true }).click();
    await managerPage.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'Desk Dana' }).waitFor();
    await expect(managerPage.getByRole('button', { name: 'Register user' }).count()).resolves.toBe(0);
    await expect(managerPage.getByRole('button', { name: 'Edit Desk Dana' }).count()).resolves.toBe(0);
    await managerNav.getByRole('link', { name: 'Local dial presence', exact: true }).click();
    await managerPage.getByRole('table', { name: 'Local dial presence numbers' }).getByRole('row').filter({ hasText: '+15125550901' }).waitFor();
    await expect(managerPage.getByRole('button', { name: 'Purchase number' }).count()).resolves.toBe(0);
    await managerNav.getByRole('link', { name: 'Lead exceptions', exact: true }).click();
    await managerPage.getByRole('table', { name: 'Lead exceptions' }).getByRole('row').filter({ hasText: 'Olga Other' }).waitFor();
    await expect(managerPage.getByRole('alert').count()).resolves.toBe(0);
    await managerContext.close();

    const agentContext = await newContext(browser);
    const agentPage = await signIn(agentContext, server.url, target.email, target.password);
    const agentNav = agentPage.getByRole('navigation', { name: 'Main' });
    await expect(agentNav.getByRole('link', { name: 'Call activity', exact: true }).count()).resolves.toBe(1);
    await expect(agentNav.getByRole('link', { name: 'My calls', exact: true }).count()).resolves.toBe(0);
    await agentNav.getByRole('link', { name: 'Call activity', exact: true }).click();
    await agentPage.getByText('Your own calls.').waitFor();
    await expect(agentPage.getByRole('button', { name: 'Filter by user' }).count()).resolves.toBe(0);
    await expect(agentPage.getByRole('alert').count()).resolves.toBe(0);
    await agentContext.close();
  });
  it('filters call activity and plays a real recording in the popup', async () => {
    // One real Ring All round: a SIPp desk phone presses 1, the SIPp borrower answers, the bridge is recorded.
    await server.ari.waitUntilUp(15_000);
    await ringAll.borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: '2500' });
    const presser = await ringAll.agentSipp(AGENT_PHONE_PORT, { answer_ms: '200', dtmf_ms: '700' });
    const setup = await ringAll.setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${AGENT_PHONE_PORT}`, admin });
    const lead = ringAll.aLead({ FirstName: 'Rita', LastName: 'Recorded' });
    const prospectId = await ringAll.postLead(server, setup, lead);
    expect((await ringAll.settledProspect(server, setup, prospectId)).status).toBe('assigned');
    const legs = await ringAll.legsEnded(server, setup, prospectId, 2);
    await presser.stop();
    const borrowerLeg = legs.find((l) => l.purpose === 'borrower');
    expect(borrowerLeg).toMatchObject({ to: lead.MobilePhone, recordingUrl: `/api/recordings/${borrowerLeg.id}` });

    await nav('Call activity');
    const calls = table('Call activity');
    await page.getByLabel('Phone numbers').fill(lead.MobilePhone as string);
    await page.getByLabel('Phone numbers').press('Enter');
    const expected = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(lead.MobilePhone as string)}`, { token: admin })).body.items as { id: string }[];
    expect(expected.length).toBeGreaterThan(0);
    const bodyRows = calls.locator('tbody').getByRole('row');
    await eventually(async () => (await bodyRows.count()) === expected.length && (await bodyRows.first().textContent())!.includes(lead.MobilePhone as string));

    // Talk time at least 1 s keeps the borrower leg; an impossible minimum empties the list.
    await page.getByLabel('Talk time at least (seconds)').fill('1');
    await row('Call activity', 'Borrower').waitFor();
    await page.getByLabel('Talk time at least (seconds)').fill('99999');
    await page.getByText('No calls match these filters.').waitFor();
    await page.getByLabel('Talk time at least (seconds)').fill('');

    await row('Call activity', 'Borrower').getByRole('button', { name: /^Play recording/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Recording' });
    const audio = dialog.getByLabel('Recording player');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    const duration = await audio.evaluate(
      (a: any) => new Promise<number>((resolve) => (a.readyState >= 1 ? resolve(a.duration) : a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true }))),
    );
    expect(duration).toBeGreaterThan(1);
    await screenshot(page, 'admin-call-activity-recording');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Gone from Asterisk: the popup says so in words (the server answers 404).
    expect(await server.ari.recordings.delete(borrowerLeg.recording)).toBe(true);
    await row('Call activity', 'Borrower').getByRole('button', { name: /^Play recording/ }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This recording is not available');
    await expect(dialog.getByLabel('Recording player').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 90_000);
  it('pages lead exceptions on the server', async () => {
    const posted = await Promise.all(Array.from({ length: 25 }, (_, i) => postLead(server, failing, aLead({ FirstName: 'Paula', LastName: `Paged${String(i).padStart(2, '0')}`, state: 'TX' }))));
    for (const res of posted) expect(res.body.StatusCode).toBe(1);
    const total = async () => (await server.request('GET', '/api/lead-exceptions?pageSize=1', { token: admin })).body.total as number;
    await eventually(async () => (await total()) >= 26, 15_000);
    const expected = await total();

    await nav('Lead exceptions');
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await pager.getByText(`Page 1 of 2 · ${expected} total`).waitFor();
    const bodyRows = table('Lead exceptions').locator('tbody').getByRole('row');
    await expect(bodyRows.count()).resolves.toBe(25);
    const firstPage = await bodyRows.allTextContents();
    await pager.getByRole('button', { name: /Next/ }).click();
    await pager.getByText(`Page 2 of 2 · ${expected} total`).waitFor();
    await eventually(async () => (await bodyRows.count()) === expected - 25);
    for (const text of await bodyRows.allTextContents()) expect(firstPage).not.toContain(text);
    await page.getByLabel('Rows per page').selectOption('50');
    await pager.getByText(`Page 1 of 1 · ${expected} total`).waitFor();
    await eventually(async () => (await bodyRows.count()) === expected);
  });
});
