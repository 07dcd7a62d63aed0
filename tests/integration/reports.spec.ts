// The reports over REST against the real server and database (SQLite file, or PostgreSQL with
// LEADLINE_TEST_DB=postgres): a seeded data set whose answers are known, the org's time zone
// deciding the days (a DST week in Chicago), filters, CSV files parsed back, changes to days
// already summed (the database stamps updated_at), a time-zone change, and refusals.
import { EntityManager } from '@mikro-orm/knex';
import { parse } from 'csv-parse/sync';
import { FAILURE_REASONS } from '@leadline/domain';
import { CallActivity, Prospect } from '../../apps/server/src/database/entities';
import { createCampaign, createUser, CreatedUser, loginAs, seedLeads, seedLegs } from '../factories';
import { ManualClock } from '../harness/manual-clock';
import { startServer, TestServer } from '../harness/server';

const CHICAGO = 'America/Chicago';

describe('reports (REST, known answers)', () => {
  // Monday 2025-03-10, 12:00 in Chicago (CDT since Sunday 02:00).
  const clock = new ManualClock('2025-03-10T17:00:00Z');
  let server: TestServer;
  let admin: string;
  let orgId: string;
  let ann: CreatedUser;
  let bob: CreatedUser;
  let c1: string;
  let c2: string;
  let groupId: string;
  let exceptionId: string;

  const get = async (route: string, token = admin) => {
    const res = await server.request('GET', route, { token });
    if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    server = await startServer({}, { clock });
    admin = await server.login();
    orgId = (await get('/api/org')).id;
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: CHICAGO } })).status).toBe(200);
    ann = await createUser(server, admin, { name: 'Ann Agent' });
    bob = await createUser(server, admin, { name: 'Bob Broker' });
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: 'Reports group', memberIds: [ann.id, bob.id] } });
    groupId = group.body.id;
    c1 = (await createCampaign(server, admin, { name: 'Refi', leadProvider: 'Zillow', distributionType: 'ring_all', distributionGroupId: groupId })).id;
    c2 = (await createCampaign(server, admin, { name: 'Purchase', leadProvider: 'LendingTree', distributionType: 'none' })).id;

    // Friday 2025-03-07, 09:00 CST (15:00Z): four Ring All leads with known delays.
    const [l1, , l3] = await seedLeads(server, orgId, [
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-07T15:00:00Z', status: 'assigned', via: 'ring_all', agentId: ann.id, ringMs: 200, takenMs: 5_000, answeredMs: 15_000 },
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-07T15:10:00Z', status: 'assigned', via: 'ring_all', agentId: ann.id, ringMs: 400, takenMs: 7_000, answeredMs: 25_000 },
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-07T16:00:00Z', status: 'assigned', via: 'ring_all', agentId: bob.id, ringMs: 600, takenMs: 9_000 },
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-07T16:20:00Z', status: 'assigned', via: 'ring_all', agentId: bob.id, ringMs: 800, takenMs: 11_000, answeredMs: 45_000 },
      // Taken with a click after 3 s (Distribute All).
      { campaignId: c2, leadProvider: 'LendingTree', createdAt: '2025-03-07T17:00:00Z', status: 'assigned', via: 'distribute_all', agentId: ann.id, takenMs: 3_000 },
    ]);
    // Saturday 23:30 CST (05:30Z Sunday): still Saturday in Chicago. Sunday 2025-03-09 is 23 hours long.
    [exceptionId] = await seedLeads(server, orgId, [
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-09T05:30:00Z', status: 'exception', failureReason: FAILURE_REASONS.noAgentsAnswered, ringMs: 500 },
      { campaignId: c1, leadProvider: 'Zillow', createdAt: '2025-03-10T04:30:00Z', status: 'exception', failureReason: FAILURE_REASONS.noAvailableAgents },
      // Today (Monday) 11:00 CDT.
      { campaignId: c2, leadProvider: null, createdAt: '2025-03-10T16:00:00Z', status: 'new' },
    ]);
    await seedLegs(server, orgId, [
      { purpose: 'ring_all_agent', prospectId: l1, userId: ann.id, startedAt: '2025-03-07T15:00:00.200Z', answeredMs: 3_000, result: 'won', talkSeconds: 40 },
      { purpose: 'ring_all_agent', prospectId: l1, userId: bob.id, startedAt: '2025-03-07T15:00:00.200Z', result: 'cancelled' },
      { purpose: 'ring_all_agent', prospectId: l3, userId: bob.id, startedAt: '2025-03-07T16:00:00.600Z', answeredMs: 5_000, result: 'won', talkSeconds: 50 },
      { purpose: 'ring_all_agent', prospectId: l3, userId: ann.id, startedAt: '2025-03-07T16:00:00.600Z', result: 'no_answer' },
      { purpose: 'borrower', prospectId: l1, userId: ann.id, startedAt: '2025-03-07T15:00:05Z', answeredMs: 10_000, result: 'completed', talkSeconds: 120, fromNumber: '+13125550101', toNumber: '+13125559999', callerIdReason: 'local_presence' },
      { purpose: 'borrower', prospectId: l3, userId: bob.id, startedAt: '2025-03-07T16:00:09Z', result: 'no_answer', fromNumber: '+13125550101', toNumber: '+17735550000', callerIdReason: 'local_presence' },
      { purpose: 'inbound_agent', direction: 'inbound', userId: ann.id, startedAt: '2025-03-07T18:00:00Z', answeredMs: 4_000, result: 'answered', talkSeconds: 60 },
    ]);
  });

  afterAll(async () => {
    await server?.close();
  });

  const week = 'from=2025-03-04&to=2025-03-10';

  it('counts outcomes per local day, the DST Sunday included', async () => {
    const r = await get(`/api/reports/outcomes?${week}`);
    expect(r.period).toEqual({ from: '2025-03-04', to: '2025-03-10', timeZone: CHICAGO });
    expect(r).toMatchObject({ leads: 8, reached: 3 });
    expect(r.contactRate).toBeCloseTo(3 / 8);
    expect(Object.fromEntries(r.outcomes.map((o: { outcome: string; leads: number }) => [o.outcome, o.leads]))).toMatchObject({ ring_all: 4, distribute_all: 1, no_agents_answered: 1, no_available_agents: 1, open: 1 });
    expect(r.byDay.map((d: { day: string; leads: number }) => [d.day, d.leads])).toEqual([
      ['2025-03-04', 0], ['2025-03-05', 0], ['2025-03-06', 0], ['2025-03-07', 5], ['2025-03-08', 1], ['2025-03-09', 1], ['2025-03-10', 1],
    ]);
  });

  it('reads speed percentiles per stage, by day and by hour of day', async () => {
    const r = await get(`/api/reports/speed-to-lead?${week}`);
    expect(r.stages).toEqual([
      { stage: 'first_ring', leads: 5, p50Ms: 550, p90Ms: 850, p99Ms: 850 },
      { stage: 'taken', leads: 5, p50Ms: 7_500, p90Ms: 11_000, p99Ms: 11_000 },
      { stage: 'borrower_answered', leads: 3, p50Ms: 25_000, p90Ms: 47_500, p99Ms: 47_500 },
    ]);
    expect(r.byDay.find((d: { day: string }) => d.day === '2025-03-07')).toMatchObject({ leads: 5, taken: 5, takenP50Ms: 7_500 });
    // 09:00 and 10:00 CST on Friday; 11:00 CST (Distribute All); Monday's 11:00 CDT lead too.
    expect(r.byHour[9]).toMatchObject({ leads: 2, taken: 2, takenP50Ms: 5_500 });
    expect(r.byHour[11]).toMatchObject({ leads: 2, taken: 1, takenP50Ms: 3_250 });
    expect(r.byHour[23]).toMatchObject({ leads: 2, firstRing: 1 });
    expect(r.histogram.find((h: { bin: string }) => h.bin === '5–10 s')).toMatchObject({ taken: 3 });
  });

  it.each<[string, string, number]>([
    ['a campaign', 'campaignId=CAMPAIGN2', 2],
    ['a lead provider', 'leadProvider=Zillow', 6],
    ['a distribution group (its campaigns)', 'groupId=GROUP', 6],
    ['an agent', 'agentId=BOB', 2],
    ['two agents, comma-separated', 'agentId=ANN,BOB', 5],
  ])('filters by %s', async (_name, filter, leads) => {
    const q = filter.replace('CAMPAIGN2', c2).replace('GROUP', groupId).replace('ANN', ann.id).replace('BOB', bob.id);
    expect((await get(`/api/reports/outcomes?${week}&${q}`)).leads).toBe(leads);
  });

  it('sums agents and caller ID numbers', async () => {
    const agents = (await get(`/api/reports/agents?${week}`)).agents;
    expect(agents.find((a: { agentId: string }) => a.agentId === ann.id)).toEqual({
      agentId: ann.id, name: 'Ann Agent', leads: 3, offered: 2, answered: 1, won: 1, missed: 1, answerRate: 0.5, avgAnswerMs: 3_000, inboundOffered: 1, inboundAnswered: 1, outboundCalls: 0, talkSeconds: 180,
    });
    expect(agents.find((a: { agentId: string }) => a.agentId === bob.id)).toMatchObject({ offered: 2, answered: 1, won: 1, missed: 0, avgAnswerMs: 5_000 });
    const ldp = await get(`/api/reports/local-presence?${week}`);
    expect(ldp.numbers).toEqual([expect.objectContaining({ number: '+13125550101', reason: 'local_presence', calls: 2, answered: 1, answerRate: 0.5, dropped: false })]);
    expect(ldp.areaCodes.map((a: { areaCode: string; calls: number }) => [a.areaCode, a.calls])).toEqual([['312', 1], ['773', 1]]);
  });

  it.each([
    ['speed-to-lead/stages', 'speed-to-lead', 'stages'],
    ['speed-to-lead/by-day', 'speed-to-lead', 'byDay'],
    ['speed-to-lead/by-hour', 'speed-to-lead', 'byHour'],
    ['speed-to-lead/histogram', 'speed-to-lead', 'histogram'],
    ['outcomes/summary', 'outcomes', 'outcomes'],
    ['outcomes/by-day', 'outcomes', 'byDay'],
    ['agents/rows', 'agents', 'agents'],
    ['local-presence/numbers', 'local-presence', 'numbers'],
    ['local-presence/area-codes', 'local-presence', 'areaCodes'],
    ['local-presence/by-day', 'local-presence', 'byDay'],
  ])('%s: JSON rows, and the same rows as a CSV file', async (figure, report, key) => {
    const whole = await get(`/api/reports/${report}?${week}`);
    expect(await get(`/api/reports/${figure}?${week}`)).toEqual(whole[key]);
    const res = await fetch(`${server.url}/api/reports/${figure}?${week}&format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z-]+_2025-03-04_2025-03-10\.csv"$/);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const expected = (whole[key] as Record<string, unknown>[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)])));
    expect(rows).toEqual(expected);
  });

  it('notices a change to a day it already summed (an exception assigned by hand)', async () => {
    const before = await get(`/api/reports/outcomes?from=2025-03-08&to=2025-03-08`);
    expect(before.outcomes.find((o: { outcome: string }) => o.outcome === 'manual').leads).toBe(0);
    expect((await server.request('POST', `/api/lead-exceptions/${exceptionId}/assign`, { token: admin, body: { userId: bob.id } })).status).toBe(201);
    // Stored days are refreshed at most every 2 s.
    await new Promise((r) => setTimeout(r, 2_100));
    const after = await get(`/api/reports/outcomes?from=2025-03-08&to=2025-03-08`);
    expect(Object.fromEntries(after.outcomes.map((o: { outcome: string; leads: number }) => [o.outcome, o.leads]))).toMatchObject({ manual: 1, no_agents_answered: 0 });
  });

  it('notices an update that no code stamped (the database trigger stamps updated_at)', async () => {
    const bobOf = async () => (await get(`/api/reports/agents?${week}`)).agents.find((a: { agentId: string }) => a.agentId === bob.id);
    expect(await bobOf()).toMatchObject({ missed: 0 });
    // Every lead and leg looks written long ago (so only a fresh stamp can bring their day back)…
    const em = server.app.get(EntityManager).fork();
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await em.nativeUpdate(CallActivity, { org: orgId }, { updatedAt: longAgo });
    await em.nativeUpdate(Prospect, { org: orgId }, { updatedAt: longAgo });
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await bobOf()).toMatchObject({ missed: 0 });
    // …then a bare UPDATE, as any writer might do it: updated_at is not named.
    expect(await em.nativeUpdate(CallActivity, { user: bob.id, purpose: 'ring_all_agent', result: 'cancelled' }, { result: 'no_answer' })).toBe(1);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await bobOf()).toMatchObject({ missed: 1 });
  });

  it("takes today from the org's time zone", async () => {
    // 04:30Z on Tuesday the 11th is still Monday 23:30 in Chicago.
    clock.set('2025-03-11T04:30:00Z');
    expect((await get('/api/reports/outcomes')).period).toEqual({ from: '2025-02-09', to: '2025-03-10', timeZone: CHICAGO });
    clock.set('2025-03-11T05:30:00Z');
    expect((await get('/api/reports/outcomes')).period.to).toBe('2025-03-11');
  });

  it('builds every day again when the time zone changes', async () => {
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: 'America/New_York' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    // Saturday 23:30 CST is Sunday 00:30 EST; Sunday 23:30 CDT is Monday 00:30 EDT.
    const r = await get(`/api/reports/outcomes?${week}`);
    expect(r.period.timeZone).toBe('America/New_York');
    expect(r.byDay.filter((d: { leads: number }) => d.leads > 0).map((d: { day: string; leads: number }) => [d.day, d.leads])).toEqual([['2025-03-07', 5], ['2025-03-09', 1], ['2025-03-10', 2]]);
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: CHICAGO } })).status).toBe(200);
  });

  it('keeps a long period right once its days are held in memory (changes, time zone)', async () => {
    // Over 31 days: the server reads every stored day of the org once and adds up from memory after.
    const long = 'from=2024-12-01&to=2025-03-10';
    const counts = (r: { outcomes: { outcome: string; leads: number }[] }) => Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.leads]));
    const leadDays = (r: { byDay: { day: string; leads: number }[] }) => r.byDay.filter((d) => d.leads > 0).map((d) => [d.day, d.leads]);
    const first = await get(`/api/reports/outcomes?${long}`);
    expect(first.byDay).toHaveLength(100);
    expect(counts(first)).toEqual(counts(await get(`/api/reports/outcomes?${week}`)));
    expect(counts(first)).toMatchObject({ open: 1, fatal_error: 0 });
    expect(leadDays(first)).toEqual([['2025-03-07', 5], ['2025-03-08', 1], ['2025-03-09', 1], ['2025-03-10', 1]]);
    // A change after the days are in memory reaches the long period too.
    const em = server.app.get(EntityManager).fork();
    expect(await em.nativeUpdate(Prospect, { org: orgId, status: 'new' }, { status: 'exception', failureReason: FAILURE_REASONS.fatalError })).toBe(1);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(counts(await get(`/api/reports/outcomes?${long}`))).toMatchObject({ open: 0, fatal_error: 1 });
    // A new time zone rebuilds every day before the next read, the days in memory included.
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: 'America/New_York' } })).status).toBe(200);
    expect(leadDays(await get(`/api/reports/outcomes?${long}`))).toEqual([['2025-03-07', 5], ['2025-03-09', 1], ['2025-03-10', 2]]);
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: CHICAGO } })).status).toBe(200);
    expect(leadDays(await get(`/api/reports/outcomes?${long}`))).toEqual([['2025-03-07', 5], ['2025-03-08', 1], ['2025-03-09', 1], ['2025-03-10', 1]]);
  });

  it.each([
    ['a date-time for a day', 'from=2025-03-01T00:00:00Z', 'from'],
    ['from after to', 'from=2025-03-10&to=2025-03-01', 'from'],
    ['a campaign that is no UUID', 'campaignId=abc', 'campaignId'],
    ['an unknown format', 'format=xml', 'format'],
  ])('refuses %s with 400 and the field', async (_name, q, field) => {
    const res = await server.request('GET', `/api/reports/outcomes/summary?${q}`, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('is for managers and admins only', async () => {
    const agentToken = await loginAs(server, ann);
    expect((await server.request('GET', '/api/reports/outcomes', { token: agentToken })).status).toBe(403);
    expect((await server.request('GET', '/api/reports/outcomes')).status).toBe(401);
    const manager = await createUser(server, admin, { role: 'manager' });
    expect((await server.request('GET', `/api/reports/outcomes?${week}`, { token: await loginAs(server, manager) })).body.leads).toBe(8);
  });
});
