// Dial mode without calls: statuses feeding queues, settings, access, the admin table and the
// order list, the calling window, the do-not-call list. Real SQLite file, a clock the test moves.
import { aLead, assignProspect, createCampaign, createLeadStatus, createUser, dialQueue, loginAs, postLead, setDialSettings, setLeadStatus } from '../factories';
import { ManualClock } from '../harness/manual-clock';
import { startServer, TestServer } from '../harness/server';

// Monday 11:00 in Texas (UTC-6), 09:00 in California, 07:00 in Hawaii.
const MONDAY_17Z = '2026-11-23T17:00:00.000Z';
const at = (base: string, minutes: number) => new Date(new Date(base).getTime() + minutes * 60_000).toISOString();

describe('dial mode: statuses, queues and settings (real SQLite)', () => {
  const clock = new ManualClock(MONDAY_17Z);
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({}, { clock });
    admin = await server.login();
  });

  beforeEach(() => clock.set(MONDAY_17Z));

  afterAll(async () => {
    await server?.close();
  });

  async function lead(campaign: { id: string; apiKey: string }, overrides: Record<string, unknown> = {}): Promise<string> {
    const posted = await postLead(server, campaign, aLead(overrides as never));
    if (posted.status !== 200) throw new Error(JSON.stringify(posted.body));
    return posted.body.Data.ProspectId as string;
  }

  it('a lead entering a flagged status joins its mode as unprocessed; other statuses take it out', async () => {
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const reconfirm = await createLeadStatus(server, admin, campaign.id, 'Re-confirmation', 'new');
    const approved = await createLeadStatus(server, admin, campaign.id, 'Approved', 'before_buyout');
    const rejected = await createLeadStatus(server, admin, campaign.id, 'Rejected');
    expect(rejected).toMatchObject({ addToDialMode: false, callMode: null });

    const id = await lead(campaign);
    const entered = await setLeadStatus(server, admin, id, processing.id);
    expect(entered).toMatchObject({ prospectId: id, leadStatusId: processing.id, queued: { mode: 'new', subState: 'unprocessed', callableAt: MONDAY_17Z } });
    expect(await dialQueue(server, admin, { campaignId: campaign.id })).toEqual([
      expect.objectContaining({ prospectId: id, mode: 'new', subState: 'unprocessed', attempts: 0, maxAttempts: 5, dueAt: MONDAY_17Z, callableAt: MONDAY_17Z, lockedBy: null, doNotCall: false }),
    ]);
    // Another status of the same mode: still one entry per lead.
    await setLeadStatus(server, admin, id, reconfirm.id);
    // A status feeding another mode moves it there.
    expect((await setLeadStatus(server, admin, id, approved.id)).queued).toMatchObject({ mode: 'before_buyout' });
    expect((await dialQueue(server, admin, { campaignId: campaign.id })).map((e) => [e.prospectId, e.mode])).toEqual([[id, 'before_buyout']]);
    // A status without the flag takes it out of dial mode.
    expect(await setLeadStatus(server, admin, id, rejected.id)).toMatchObject({ leadStatusId: rejected.id, queued: null });
    expect(await dialQueue(server, admin, { campaignId: campaign.id })).toEqual([]);

    // Statuses are per campaign; bad input changes nothing.
    const other = await createCampaign(server, admin);
    const foreign = await createLeadStatus(server, admin, other.id, 'Processing', 'new');
    expect((await server.request('PUT', `/api/dial-mode/leads/${id}/status`, { token: admin, body: { statusId: foreign.id } })).status).toBe(400);
    expect((await server.request('POST', `/api/dial-mode/campaigns/${campaign.id}/statuses`, { token: admin, body: { name: 'Processing' } })).status).toBe(409);
    expect((await server.request('POST', `/api/dial-mode/campaigns/${campaign.id}/statuses`, { token: admin, body: { name: 'X', addToDialMode: true } })).status).toBe(400);
    expect((await server.request('DELETE', `/api/dial-mode/statuses/${rejected.id}`, { token: admin })).status).toBe(409);
    expect((await server.request('DELETE', `/api/dial-mode/statuses/${reconfirm.id}`, { token: admin })).status).toBe(204);
  });

  it('an agent may set the status of their own applications only; the prospect shows it', async () => {
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const agent = await createUser(server, admin, { role: 'agent' });
    const other = await createUser(server, admin, { role: 'agent' });
    const [token, otherToken] = await Promise.all([loginAs(server, agent), loginAs(server, other)]);
    const id = await lead(campaign);
    await assignProspect(server, admin, id, agent.id);
    const route = `/api/dial-mode/leads/${id}/status`;
    expect((await server.request('PUT', route, { token: otherToken, body: { statusId: processing.id } })).status).toBe(404);
    expect((await server.request('PUT', route, { token, body: { statusId: processing.id } })).body).toMatchObject({ leadStatusId: processing.id, queued: { mode: 'new' } });
    expect((await server.request('GET', `/api/prospects/${id}`, { token: admin })).body).toMatchObject({ id, status: 'assigned', leadStatusId: processing.id });
    expect((await server.request('PUT', route, { token, body: { statusId: 'processing' } })).status).toBe(400);
    expect((await server.request('PUT', route, { token, body: { statusId: null } })).body).toEqual({ prospectId: id, leadStatusId: null, queued: null });
  });

  it('an initial status queues new leads as they are posted', async () => {
    const campaign = await createCampaign(server, admin);
    const status = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new', { isInitial: true });
    const id = await lead(campaign);
    const queue = await (async () => {
      for (let i = 0; i < 100; i++) {
        const items = await dialQueue(server, admin, { campaignId: campaign.id });
        if (items.length) return items;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [];
    })();
    expect(queue).toEqual([expect.objectContaining({ prospectId: id, mode: 'new', subState: 'unprocessed', lead: expect.objectContaining({ leadStatusId: status.id }) })]);
  });

  it('orders the queue by priority, then dial-by (due + time standard), then due; the admin table counts it', async () => {
    const plain = await createCampaign(server, admin);
    const hot = await createCampaign(server, admin);
    const slow = await createCampaign(server, admin);
    const [plainStatus, hotStatus, slowStatus] = await Promise.all([
      createLeadStatus(server, admin, plain.id, 'Processing', 'random'),
      createLeadStatus(server, admin, hot.id, 'Processing', 'random'),
      createLeadStatus(server, admin, slow.id, 'Processing', 'random'),
    ]);
    await setDialSettings(server, admin, hot.id, 'random', { highPriority: true });
    await setDialSettings(server, admin, slow.id, 'random', { timeStandardMinutes: 60 });

    const queued: Record<string, string> = {};
    const enqueue = async (name: string, campaign: typeof plain, status: { id: string }) => {
      queued[await lead(campaign)] = name;
      await setLeadStatus(server, admin, Object.keys(queued).pop()!, status.id);
    };
    await enqueue('plain-1', plain, plainStatus); // due 17:00, dial by 17:05
    await enqueue('slow-1', slow, slowStatus); // due 17:00, dial by 18:00
    clock.advanceMinutes(10);
    await enqueue('plain-2', plain, plainStatus); // due 17:10, dial by 17:15
    clock.advanceMinutes(1);
    await enqueue('hot-1', hot, hotStatus); // high priority: first, though newer
    clock.advanceMinutes(10);
    await enqueue('hot-2', hot, hotStatus);

    const order = (await dialQueue(server, admin, { mode: 'random' })).filter((e) => queued[e.prospectId]).map((e) => queued[e.prospectId]);
    expect(order).toEqual(['hot-1', 'hot-2', 'plain-1', 'plain-2', 'slow-1']);
    // Dropping the flag re-orders what is queued already.
    await setDialSettings(server, admin, hot.id, 'random', { highPriority: false });
    const after = (await dialQueue(server, admin, { mode: 'random' })).filter((e) => queued[e.prospectId]).map((e) => queued[e.prospectId]);
    expect(after).toEqual(['plain-1', 'plain-2', 'hot-1', 'hot-2', 'slow-1']);

    const table = (await server.request('GET', '/api/dial-mode/overview', { token: admin })).body;
    const row = table.find((r: any) => r.campaign.id === plain.id);
    expect(row.modes.map((m: any) => m.mode)).toEqual(['new', 'before_buyout', 're_approve', 'random']);
    expect(row.modes.find((m: any) => m.mode === 'random')).toMatchObject({ total: 2, counts: { unprocessed: 2, no_answer: 0, callback_planned: 0 }, settingsUrl: `/api/dial-mode/campaigns/${plain.id}/modes/random/settings` });
  });

  it('keeps a lead outside its calling window queued with its next allowed time', async () => {
    const campaign = await createCampaign(server, admin);
    const status = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const hawaii = await lead(campaign, { state: 'HI', MobilePhone: '(808) 555-0123' });
    const texas = await lead(campaign, { state: 'TX' });
    expect((await setLeadStatus(server, admin, hawaii, status.id)).queued.callableAt).toBe('2026-11-23T18:00:00.000Z'); // 08:00 in Honolulu
    expect((await setLeadStatus(server, admin, texas, status.id)).queued.callableAt).toBe(MONDAY_17Z);
    const entry = (await dialQueue(server, admin, { campaignId: campaign.id })).find((e) => e.prospectId === hawaii);
    expect(entry).toMatchObject({ timeZones: ['Pacific/Honolulu'], timeZoneBasis: 'property_state' });

    // A narrower campaign window moves every queued lead's next allowed time.
    const window = await server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/calling-window`, { token: admin, body: { start: '12:00', end: '17:00' } });
    expect(window).toMatchObject({ status: 200, body: { start: '12:00', end: '17:00', isDefault: false } });
    const moved = await dialQueue(server, admin, { campaignId: campaign.id });
    expect(moved.find((e) => e.prospectId === texas).callableAt).toBe('2026-11-23T19:00:00.000Z'); // 12:00 in El Paso (Texas spans Central and Mountain time)
    expect(moved.find((e) => e.prospectId === hawaii).callableAt).toBe('2026-11-23T22:00:00.000Z'); // 12:00 in Honolulu
    expect((await server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/calling-window`, { token: admin, body: { start: '17:00', end: '09:00' } })).status).toBe(400);
    expect((await server.request('GET', `/api/dial-mode/campaigns/${campaign.id}/calling-window`, { token: admin })).body).toMatchObject({ start: '12:00', end: '17:00' });
  });

  it('at hand-out: a lead past its window is deferred to the next morning, a listed number is skipped, an unreachable operator gives the lead back', async () => {
    const campaign = await createCampaign(server, admin);
    const status = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const texas = await lead(campaign, { state: 'TX' });
    await setLeadStatus(server, admin, texas, status.id);
    const next = () => server.request('POST', '/api/dial-mode/next', { token: admin, body: { campaignId: campaign.id } });

    // 21:30 in Dallas: nobody is handed the lead. Texas allows telephone solicitation 09:00–21:00
    // on weekdays (stricter than the campaign's 08:00), so it waits for 09:00 in El Paso (Mountain).
    clock.set('2026-11-24T03:30:00.000Z');
    const hold = { code: 'state_hours', region: 'TX', law: 'Tex. Bus. & Com. Code § 301.051', reason: 'TX allows calls 09:00–21:00 local time (America/Chicago) on this day', nextAllowedAt: '2026-11-24T16:00:00.000Z' };
    const queued = (await dialQueue(server, admin, { campaignId: campaign.id }))[0];
    expect((await next()).body).toEqual({ lead: null, call: null, dialRefused: null, nextCallableAt: '2026-11-24T16:00:00.000Z', refused: [{ entryId: queued.entryId, prospectId: texas, phone: queued.lead.phone, ...hold }] });
    expect((await dialQueue(server, admin, { campaignId: campaign.id }))[0]).toMatchObject({ prospectId: texas, callableAt: '2026-11-24T16:00:00.000Z', callingRule: hold, lockedBy: null, subState: 'unprocessed' });

    // In the window, but the admin has no phone: 409, and the lead is back, unchanged.
    clock.set('2026-11-24T16:00:00.000Z');
    expect((await next()).body).toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    expect((await dialQueue(server, admin, { campaignId: campaign.id }))[0]).toMatchObject({ prospectId: texas, lockedBy: null, attempts: 0, lastDialedAt: null });

    // Listed on the do-not-call list: never handed out, still shown in the queue.
    const phone = (await dialQueue(server, admin, { campaignId: campaign.id }))[0].lead.phone;
    expect((await server.request('POST', '/api/dial-mode/do-not-call', { token: admin, body: { phone } })).status).toBe(201);
    expect((await next()).body).toEqual({ lead: null, call: null, dialRefused: null, nextCallableAt: null });
    expect((await dialQueue(server, admin, { campaignId: campaign.id }))[0]).toMatchObject({ prospectId: texas, doNotCall: true, lockedBy: null });
    expect((await server.request('POST', '/api/dial-mode/current/result', { token: admin, body: { button: 'no_answer' } })).body).toMatchObject({ code: 'NO_CURRENT_DIAL_LEAD' });
  });

  it('validates settings and access; agents may not configure', async () => {
    const campaign = await createCampaign(server, admin);
    const rejected = await createLeadStatus(server, admin, campaign.id, 'Rejected');
    const settings = await setDialSettings(server, admin, campaign.id, 'before_buyout', { retryDelayMinutes: 45, maxAttempts: 4, exhaustedStatusId: rejected.id, extraButtons: ['do_not_call'], timeStandardMinutes: 3 });
    expect(settings).toEqual({
      campaignId: campaign.id,
      mode: 'before_buyout',
      highPriority: false,
      timeStandardMinutes: 3,
      retryDelayMinutes: 45,
      maxAttempts: 4,
      exhaustedStatusId: rejected.id,
      extraButtons: ['do_not_call'],
      buttons: ['success', 'callback', 'no_answer', 'busy', 'dropped', 'do_not_call'],
    });
    const put = (body: unknown) => server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/before_buyout/settings`, { token: admin, body });
    expect((await put({ maxAttempts: 0 })).status).toBe(400);
    expect((await put({ extraButtons: ['launch_missiles'] })).status).toBe(400);
    expect((await put({ exhaustedStatusId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/turbo/settings`, { token: admin, body: {} })).status).toBe(400);
    expect((await server.request('GET', `/api/dial-mode/campaigns/${campaign.id}/modes/before_buyout/settings`, { token: admin })).body).toMatchObject({ maxAttempts: 4, retryDelayMinutes: 45 });

    const agent = await createUser(server, admin, { role: 'agent' });
    const token = await loginAs(server, agent);
    expect((await server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/new/access`, { token: admin, body: { userIds: [agent.id] } })).body).toEqual({ campaignId: campaign.id, mode: 'new', userIds: [agent.id] });
    expect((await server.request('PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/new/access`, { token: admin, body: { userIds: ['00000000-0000-4000-8000-000000000000'] } })).status).toBe(400);
    expect((await server.request('GET', '/api/dial-mode/me', { token })).body.scopes).toEqual([{ campaign: { id: campaign.id, name: campaign.name }, mode: 'new' }]);
    for (const [method, route] of [
      ['GET', '/api/dial-mode/overview'],
      ['GET', '/api/dial-mode/queue'],
      ['PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/new/settings`],
      ['PUT', `/api/dial-mode/campaigns/${campaign.id}/modes/new/access`],
      ['POST', `/api/dial-mode/campaigns/${campaign.id}/statuses`],
      ['GET', '/api/dial-mode/do-not-call'],
    ]) {
      expect([route, (await server.request(method, route, { token, ...(method === 'GET' ? {} : { body: {} }) })).status]).toEqual([route, 403]);
    }
    // An agent without access to a mode is refused there.
    expect((await server.request('POST', '/api/dial-mode/next', { token, body: { mode: 'random' } })).status).toBe(403);
  });

  it('manages the do-not-call list: add, search, delete, CSV import with per-row errors', async () => {
    const added = await server.request('POST', '/api/dial-mode/do-not-call', { token: admin, body: { phone: '(512) 555-0177', note: 'asked' } });
    expect(added).toMatchObject({ status: 201, body: { phone: '+15125550177', source: 'manual', note: 'asked' } });
    expect((await server.request('POST', '/api/dial-mode/do-not-call', { token: admin, body: { phone: '512-555-0177' } })).status).toBe(409);
    expect((await server.request('POST', '/api/dial-mode/do-not-call', { token: admin, body: { phone: 'nope' } })).status).toBe(400);

    const csv = 'phone,note\n(212) 555-0101,csv one\n512 555 0177,dup of manual\nnot-a-number,\n+1 305 555 0102,\n';
    const imported = await server.request('POST', '/api/dial-mode/do-not-call/import', { token: admin, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported).toMatchObject({ status: 200, body: { added: 2, alreadyListed: 1, errors: [{ line: 4, value: 'not-a-number', message: '"not-a-number" is not a valid phone number' }] } });
    const bad = await server.request('POST', '/api/dial-mode/do-not-call/import', { token: admin, body: 'phone\nxx\n', headers: { 'content-type': 'text/csv' } });
    expect(bad).toMatchObject({ status: 400, body: { fields: [{ field: 'line 2', message: '"xx" is not a valid phone number' }] } });
    expect((await server.request('POST', '/api/dial-mode/do-not-call/import', { token: admin, body: { csv } })).status).toBe(415);

    const found = (await server.request('GET', '/api/dial-mode/do-not-call?phone=212555', { token: admin })).body;
    expect(found.items.map((i: any) => i.phone)).toEqual(['+12125550101']);
    const entryRoute = `/api/dial-mode/do-not-call/${found.items[0].id}`;
    expect((await server.request('PATCH', entryRoute, { token: admin, body: { note: 'called back to confirm' } })).body).toMatchObject({ phone: '+12125550101', note: 'called back to confirm' });
    expect((await server.request('PATCH', entryRoute, { token: admin, body: { phone: '+15125550000', note: null } })).status).toBe(400);
    expect((await server.request('GET', entryRoute, { token: admin })).body).toMatchObject({ phone: '+12125550101', note: 'called back to confirm', source: 'csv' });
    expect((await server.request('DELETE', entryRoute, { token: admin })).status).toBe(204);
    expect((await server.request('GET', entryRoute, { token: admin })).status).toBe(404);
    expect((await server.request('GET', '/api/dial-mode/do-not-call?phone=212555', { token: admin })).body.total).toBe(0);

    // A queued lead whose number is listed shows it.
    const campaign = await createCampaign(server, admin);
    const status = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const id = await lead(campaign, { MobilePhone: '(305) 555-0102', state: 'FL' });
    await setLeadStatus(server, admin, id, status.id);
    expect((await dialQueue(server, admin, { campaignId: campaign.id }))[0]).toMatchObject({ prospectId: id, doNotCall: true });
  });

  it('keeps due times across a restart', async () => {
    const campaign = await createCampaign(server, admin);
    const status = await createLeadStatus(server, admin, campaign.id, 'Processing', 're_approve');
    const id = await lead(campaign);
    await setLeadStatus(server, admin, id, status.id);
    const before = await dialQueue(server, admin, { campaignId: campaign.id });
    const dataDir = server.config.dataDir;
    await server.close();
    server = await startServer({ LEADLINE_DATA_DIR: dataDir }, { clock });
    admin = await server.login();
    expect(await dialQueue(server, admin, { campaignId: campaign.id })).toEqual(before);
    expect(before[0]).toMatchObject({ prospectId: id, dueAt: at(MONDAY_17Z, 0) });
  });
});
