// Lead Exceptions and Unassigned Leads (PRODUCT.md §3) over real HTTP, a real SQLite file and the
// real Asterisk link: leads become exceptions for real (ring all / distribute all with nobody
// available, ring all with a SIPp phone nobody answers), then every filter type, sorting, paging,
// hostile input, Assign, Ignore, roles and the campaign's default agent.
import { randomUUID } from 'node:crypto';
import { aLead, CampaignView, createCampaign, createUser, CreatedUser, LeadBody, loginAs, postLead } from '../factories';
import { IT_PORT_BASE } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { wallClock, withOrgTimeZone } from '../harness/wall-clock';
import { stopAllSipp } from '../harness/sipp';
import { agentSipp, setupRingAll } from './ring-all.fixture';
import type { LeadRowView } from '@leadline/contracts';

// This suite's SIPp port: IT_PORT_BASE + 740.
const RINGING_PHONE_PORT = IT_PORT_BASE + 740;

type Query = Record<string, string | number | boolean | (string | number)[]>;

type Row = LeadRowView;

function qs(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
  const s = params.toString();
  return s ? `?${s}` : '';
}

const ids = (rows: Row[]) => rows.map((r) => r.prospectId);
const sortedIds = (rows: Row[]) => ids(rows).sort();

/** The distinct field names of a 400 answer. */
function fieldNames(body: { fields?: { field: string }[] }): string[] {
  return [...new Set((body.fields ?? []).map((f) => f.field))].sort();
}

describe('lead exceptions (real HTTP + SQLite + Asterisk link)', () => {
  let server: TestServer;
  let admin: string;
  let manager: CreatedUser;
  let managerToken: string;
  let agent: CreatedUser;
  let agentToken: string;
  let groupId: string;
  let spring: CampaignView; // ring all
  let promo: CampaignView; // ring all
  let evening: CampaignView; // distribute all
  let quiet: CampaignView; // no distribution: its leads stay new
  /** Every lead exception of the filter dataset, as the API lists them. */
  let all: Row[];
  const prospectOf: Record<string, string> = {};

  async function get(route: string, query: Query = {}, token = admin): Promise<{ status: number; body: any }> {
    return server.request('GET', `${route}${qs(query)}`, { token });
  }

  async function list(query: Query = {}, token = admin): Promise<Row[]> {
    const res = await get('/api/lead-exceptions', { pageSize: 200, ...query }, token);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(res.body.items.length);
    return res.body.items as Row[];
  }

  async function post(campaign: Pick<CampaignView, 'id' | 'apiKey'>, lead: LeadBody): Promise<string> {
    const res = await postLead(server, campaign, lead);
    expect(res.body.StatusCode).toBe(1);
    return res.body.Data.ProspectId as string;
  }

  async function prospect(id: string): Promise<any> {
    return (await server.request('GET', `/api/prospects/${id}`, { token: admin })).body;
  }

  /** Waits until every prospect has failed distribution. */
  async function exceptions(prospectIds: string[]): Promise<void> {
    await eventually(async () => {
      for (const id of prospectIds) if ((await prospect(id)).status !== 'exception') return false;
      return true;
    }, 15_000);
  }

  async function ringAllCampaign(overrides: Record<string, unknown>): Promise<CampaignView> {
    return createCampaign(server, admin, { distributionType: 'ring_all', distributionGroupId: groupId, ...overrides });
  }

  beforeAll(async () => {
    server = await startServer();
    // Without the telephony link every ring-all lead would fail as Fatal error instead.
    await server.ari.waitUntilUp(15_000);
    admin = await server.login();
    manager = await createUser(server, admin, { role: 'manager' });
    agent = await createUser(server, admin, { role: 'agent', stateLicences: ['TX', 'CA', 'FL', 'NY'] });
    [managerToken, agentToken] = await Promise.all([loginAs(server, manager), loginAs(server, agent)]);
    // The group's only member never logs in: nobody is available, so every lead fails at once.
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: 'nobody home', memberIds: [agent.id] } });
    expect(group.status).toBe(201);
    groupId = group.body.id;

    spring = await ringAllCampaign({ name: 'Spring', description: 'Spring promo 2025', leadProvider: 'Zillow' });
    promo = await ringAllCampaign({ name: 'promo', description: 'Purchase 100% promo_2025', leadProvider: 'LendingTree' });
    evening = await createCampaign(server, admin, { name: 'Evening', description: 'Evening shift 100 percent', leadProvider: 'Acme, Inc.', distributionType: 'distribute_all', distributionGroupId: groupId });
    quiet = await createCampaign(server, admin, { name: 'Quiet', description: 'Spring quiet', distributionType: 'none' });
    // A second failure reason: an available agent whose phone rings until the 5 s timeout.
    await agentSipp(RINGING_PHONE_PORT, {}, 'no-answer');
    const ringing = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${RINGING_PHONE_PORT}`, ringTimeoutSeconds: 5, admin });
    prospectOf.noah = await post({ id: ringing.campaignId, apiKey: ringing.apiKey }, aLead({ FirstName: 'Noah', LastName: 'Ringer', state: 'TX', LoanPurpose: 'Reverse', LoanAmount: 400000 }));

    const dataset: [string, CampaignView, LeadBody][] = [
      ['ada', spring, aLead({ FirstName: 'Ada', LastName: 'Lovelace', state: 'TX', LoanPurpose: 'Purchase', LoanAmount: 100000 })],
      ['grace', spring, aLead({ FirstName: 'Grace', LastName: 'Hopper', state: 'CA', LoanPurpose: 'Refinance', LoanAmount: 250000 })],
      ['alan', spring, aLead({ FirstName: 'alan', LastName: 'Turing', state: 'FL', LoanPurpose: 'Cash out refinance', LoanAmount: 500000, LeadProvider: 'Bankrate' })],
      ['conan', spring, aLead({ FirstName: 'Conan', LastName: "O'Brien", state: 'TX', LoanPurpose: 'Purchase', LoanAmount: 175000 })],
      ['katherine', promo, aLead({ FirstName: 'Katherine', LastName: 'Johnson', state: 'TX', LoanPurpose: 'Purchase', LoanAmount: 750000 })],
      ['edsger', promo, aLead({ FirstName: 'Edsger', LastName: 'Dijkstra', state: 'NY', LoanPurpose: 'HELOC', LoanAmount: undefined })],
      ['barbara', evening, aLead({ FirstName: 'Barbara', LastName: 'Liskov', state: 'TX', LoanPurpose: 'Refinance', LoanAmount: 300000 })],
    ];
    // One at a time: create dates then follow the order above.
    for (const [key, campaign, lead] of dataset) prospectOf[key] = await post(campaign, lead);
    await exceptions(Object.values(prospectOf)); // Noah's after the ring timeout
    prospectOf.quiet = await post(quiet, aLead({ FirstName: 'Quinn', LastName: 'Newlead', state: 'TX' }));
    all = await list();
  });

  afterAll(async () => {
    await server?.close();
    await stopAllSipp();
  });

  describe('the list', () => {
    it('holds every failed lead with its columns, newest first', () => {
      expect(all).toHaveLength(8);
      expect(ids(all)).toEqual(['barbara', 'edsger', 'katherine', 'conan', 'alan', 'grace', 'ada', 'noah'].map((k) => prospectOf[k]));
      expect(all.find((r) => r.prospectId === prospectOf.ada)).toEqual({
        prospectId: prospectOf.ada,
        name: 'Ada Lovelace',
        firstName: 'Ada',
        lastName: 'Lovelace',
        campaign: { id: spring.id, name: 'Spring' },
        description: 'Spring promo 2025',
        distribution: 'ring_all',
        leadProvider: 'Zillow',
        loanPurpose: 'purchase',
        loanAmount: 100000,
        state: 'TX',
        failureReason: 'No available agents were found',
        createDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        status: 'exception',
        ignored: false,
        ignoredAt: null,
      });
      const barbara = all.find((r) => r.prospectId === prospectOf.barbara)!;
      expect(barbara).toMatchObject({ distribution: 'distribute_all', leadProvider: 'Acme, Inc.', campaign: { id: evening.id, name: 'Evening' } });
      expect(barbara.failureReason).toEqual(expect.any(String));
      expect(all.find((r) => r.prospectId === prospectOf.noah)).toMatchObject({ failureReason: 'No agents answered the call', distribution: 'ring_all', loanPurpose: 'reverse' });
      // A lead still new is not an exception.
      expect(ids(all)).not.toContain(prospectOf.quiet);
    });

    it('answers { items, total, page, pageSize }', async () => {
      const res = await get('/api/lead-exceptions');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 8, page: 1, pageSize: 50 });
      expect(res.body.items).toHaveLength(8);
    });
  });

  describe('filters', () => {
    /** The API's answer must be exactly the rows `keep` selects from the whole list (and some, not all). */
    async function expectFilter(query: Query, keep: (r: Row) => boolean): Promise<Row[]> {
      const expected = all.filter(keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      const rows = await list(query);
      expect(sortedIds(rows)).toEqual(sortedIds(expected));
      return rows;
    }

    // Queries naming campaigns are functions: the campaigns exist only once beforeAll has run.
    it.each<[string, Query | (() => Query), (r: Row) => boolean]>([
      ['name contains, any case', { name: 'LOVE' }, (r) => r.prospectId === prospectOf.ada],
      ['name spans first and last', { name: 'ada love' }, (r) => r.prospectId === prospectOf.ada],
      ['name matches a lowercase first name', { name: 'Alan' }, (r) => r.prospectId === prospectOf.alan],
      ['name with a quote', { name: "o'brien" }, (r) => r.prospectId === prospectOf.conan],
      ['description contains', { description: 'PROMO' }, (r) => r.campaign.id === spring.id || r.campaign.id === promo.id],
      // Escaped wildcards: unescaped, "100%" would also match "100 percent" and "o_2" "promo 2025".
      ['description with a literal %', { description: '100%' }, (r) => r.campaign.id === promo.id],
      ['description with a literal _', { description: 'o_2' }, (r) => r.campaign.id === promo.id],
      ['one campaign', () => ({ campaignId: spring.id }), (r) => r.campaign.id === spring.id],
      ['campaigns, repeated', () => ({ campaignId: [promo.id, evening.id] }), (r) => r.campaign.id === promo.id || r.campaign.id === evening.id],
      ['campaigns, comma-separated', () => ({ campaignId: `${promo.id},${evening.id}` }), (r) => r.campaign.id === promo.id || r.campaign.id === evening.id],
      ['distribution', { distribution: 'distribute_all' }, (r) => r.distribution === 'distribute_all'],
      ['lead providers (the lead own and the campaign one)', { leadProvider: ['Bankrate', 'LendingTree'] }, (r) => r.leadProvider === 'Bankrate' || r.leadProvider === 'LendingTree'],
      ['a lead provider with a comma', { leadProvider: 'Acme, Inc.' }, (r) => r.leadProvider === 'Acme, Inc.'],
      ['loan purposes', { loanPurpose: 'refinance,heloc' }, (r) => r.loanPurpose === 'refinance' || r.loanPurpose === 'heloc'],
      ['states, any case', { state: ['ca', 'NY,fl'] }, (r) => ['CA', 'NY', 'FL'].includes(r.state!)],
      ['failure reason', { failureReason: 'No agents answered the call' }, (r) => r.failureReason === 'No agents answered the call'],
      ['failure reasons', { failureReason: ['No agents answered the call', 'Fatal error'] }, (r) => r.failureReason === 'No agents answered the call' || r.failureReason === 'Fatal error'],
      ['loan amount at least', { loanAmountMin: 250000 }, (r) => r.loanAmount !== null && r.loanAmount >= 250000],
      ['loan amount at most', { loanAmountMax: 250000 }, (r) => r.loanAmount !== null && r.loanAmount <= 250000],
      ['loan amount between', { loanAmountMin: 175000, loanAmountMax: 300000.5 }, (r) => r.loanAmount !== null && r.loanAmount >= 175000 && r.loanAmount <= 300000.5],
      [
        'filters combine with AND',
        () => ({ state: 'TX', loanPurpose: 'purchase', loanAmountMax: 200000, campaignId: spring.id }),
        (r) => r.state === 'TX' && r.loanPurpose === 'purchase' && r.loanAmount! <= 200000 && r.campaign.id === spring.id,
      ],
    ])('%s', async (_case, query, keep) => {
      await expectFilter(typeof query === 'function' ? query() : query, keep);
    });

    it('filters by a date-time range, both ends inclusive', async () => {
      const byAge = [...all].sort((a, b) => a.createDate.localeCompare(b.createDate));
      const from = byAge[2].createDate;
      const to = byAge[4].createDate;
      const rows = await expectFilter({ createdFrom: from, createdTo: to }, (r) => r.createDate >= from && r.createDate <= to);
      expect(ids(rows)).toEqual(expect.arrayContaining([byAge[2].prospectId, byAge[4].prospectId]));
      await expectFilter({ createdFrom: from }, (r) => r.createDate >= from);
      await expectFilter({ createdTo: to }, (r) => r.createDate <= to);
    });

    it("reads a date or date-time without a zone in the org's time zone, and a zone offset as given", async () => {
      const newest = all[0].createDate;
      const oldest = all[all.length - 1].createDate;
      // Honolulu: ten hours behind UTC all year, so UTC and office readings never agree.
      await withOrgTimeZone(server, admin, 'Pacific/Honolulu', async () => {
        const day = (iso: string, shift = 0) => wallClock(Date.parse(iso) + shift * 86_400_000, 'Pacific/Honolulu').slice(0, 10);
        expect(sortedIds(await list({ createdTo: day(newest) }))).toEqual(sortedIds(all));
        expect(await list({ createdTo: day(oldest, -1) })).toEqual([]);
        expect(await list({ createdFrom: day(newest, 1) })).toEqual([]);
        const justBefore = wallClock(Date.parse(oldest) - 60_000, 'Pacific/Honolulu');
        expect(sortedIds(await list({ createdFrom: justBefore }))).toEqual(sortedIds(all));
        expect(await list({ createdTo: justBefore })).toEqual([]);
      });
      // The same moment as the newest create date, written in UTC-05:00.
      const t = new Date(Date.parse(newest) - 5 * 3600_000).toISOString().replace('Z', '-05:00');
      expect(ids(await list({ createdFrom: t }))).toContain(all[0].prospectId);
    });

    it('answers an empty page when nothing matches', async () => {
      expect(await list({ name: 'Nobody Atall' })).toEqual([]);
      expect(await list({ state: 'WY' })).toEqual([]);
      expect(await list({ loanAmountMin: 1e12 })).toEqual([]);
    });
  });

  describe('sorting', () => {
    const value = (r: Row, key: string): string | number | null => {
      switch (key) {
        case 'name':
          return `${r.firstName ?? ''} ${r.lastName ?? ''}`.toLowerCase();
        case 'campaign':
          return r.campaign.name.toLowerCase();
        case 'description':
        case 'leadProvider':
          return (r[key] ?? null)?.toLowerCase() ?? null;
        default:
          return r[key as keyof Row] as string | number | null;
      }
    };

    it.each(['name', 'campaign', 'description', 'distribution', 'leadProvider', 'loanPurpose', 'loanAmount', 'state', 'failureReason', 'createDate'].flatMap((key) => [
      [key, 'asc'],
      [key, 'desc'],
    ]))('by %s %s, empty values last', async (key, order) => {
      const rows = await list({ sort: key, order });
      expect(sortedIds(rows)).toEqual(sortedIds(all));
      const values = rows.map((r) => value(r, key));
      const present = values.filter((v) => v !== null);
      // Nulls only at the end.
      expect(values.slice(0, present.length)).toEqual(present);
      const sorted = [...present].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
      expect(present).toEqual(order === 'asc' ? sorted : sorted.reverse());
    });

    it('sorts by name asc as A to Z whatever the case, by loan amount with the missing one last', async () => {
      expect((await list({ sort: 'name', order: 'asc' })).map((r) => r.firstName)).toEqual(['Ada', 'alan', 'Barbara', 'Conan', 'Edsger', 'Grace', 'Katherine', 'Noah']);
      const byAmount = await list({ sort: 'loanAmount', order: 'desc' });
      expect(byAmount.map((r) => r.loanAmount)).toEqual([750000, 500000, 400000, 300000, 250000, 175000, 100000, null]);
    });

    it('defaults to create date, newest first', async () => {
      expect(ids(await list())).toEqual(ids(await list({ sort: 'createDate', order: 'desc' })));
      expect(ids(await list({ order: 'asc' }))).toEqual(ids(all).reverse());
    });
  });

  describe('paging', () => {
    it('walks the list in pages that add up to it', async () => {
      const pages = [];
      for (let page = 1; page <= 4; page++) {
        const res = await get('/api/lead-exceptions', { sort: 'name', order: 'asc', page, pageSize: 2 });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 8, page, pageSize: 2 });
        pages.push(...(res.body.items as Row[]));
      }
      expect(pages.map((r) => r.firstName)).toEqual(['Ada', 'alan', 'Barbara', 'Conan', 'Edsger', 'Grace', 'Katherine', 'Noah']);
      const past = await get('/api/lead-exceptions', { page: 5, pageSize: 2 });
      expect(past.body).toEqual({ items: [], total: 8, page: 5, pageSize: 2 });
    });

    it('counts the filtered rows, not the whole list', async () => {
      const res = await get('/api/lead-exceptions', { state: 'TX', pageSize: 1 });
      expect(res.body.total).toBe(all.filter((r) => r.state === 'TX').length);
      expect(res.body.items).toHaveLength(1);
    });
  });

  describe('hostile input', () => {
    it.each<[string, string]>([
      ['SQL in the name', `name=${encodeURIComponent("%' OR 1=1 --")}`],
      ['a bare % in the name', 'name=%25'],
      ['a bare _ in the name', 'name=_'],
      ['a quote in the description', `description=${encodeURIComponent("'; DROP TABLE prospect; --")}`],
      ['SQL in a lead provider', `leadProvider=${encodeURIComponent("x' OR '1'='1")}`],
      ['a backslash', `name=${encodeURIComponent('\\')}`],
      ['a huge amount', 'loanAmountMin=1e300'],
    ])('%s → 200 and nothing', async (_case, query) => {
      const res = await server.request('GET', `/api/lead-exceptions?${query}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], total: 0 });
    });

    it.each<[string, string, string[]]>([
      ['a state list of 500 values', Array.from({ length: 500 }, (_, i) => `state=${i % 2 ? 'TX' : 'CA'}`).join('&'), ['state']],
      ['101 comma-separated campaign ids', `campaignId=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`, ['campaignId']],
      ['SQL as a campaign id', `campaignId=${encodeURIComponent("' OR 1=1 --")}`, ['campaignId']],
      ['SQL as a state', `state=${encodeURIComponent("TX') OR ('1'='1")}`, ['state']],
      ['createdFrom=not-a-date', 'createdFrom=not-a-date', ['createdFrom']],
      ['an impossible date', 'createdTo=2025-02-30', ['createdTo']],
      ['a date-time with a space for the T', `createdFrom=${encodeURIComponent('2025-03-01 10:00:00')}`, ['createdFrom']],
      ['an ISO week', 'createdTo=2025-W10', ['createdTo']],
      ['dates the wrong way round', 'createdFrom=2025-03-02&createdTo=2025-03-01', ['createdTo']],
      ['loanAmountMin=abc', 'loanAmountMin=abc', ['loanAmountMin']],
      ['an amount range the wrong way round', 'loanAmountMin=5&loanAmountMax=1', ['loanAmountMax']],
      ['sort=password_hash', 'sort=password_hash', ['sort']],
      ['SQL as the sort', `sort=${encodeURIComponent('createDate; DROP TABLE prospect')}`, ['sort']],
      ['SQL as the order', `order=${encodeURIComponent('asc, (select 1)')}`, ['order']],
      ['pageSize=1e9', 'pageSize=1e9', ['pageSize']],
      ['page=-1', 'page=-1', ['page']],
      ['page=1e20', 'page=1e20', ['page']],
      ['a bracketed operator', 'name[$ne]=x', ['name[$ne]']],
      ['an unknown parameter', 'status=assigned', ['status']],
      ['showIgnored=maybe', 'showIgnored=maybe', ['showIgnored']],
      ['a 10 kB name', `name=${'x'.repeat(10_000)}`, ['name']],
    ])('%s → 400 with field errors', async (_case, query, fields) => {
      const res = await server.request('GET', `/api/lead-exceptions?${query}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fieldNames(res.body)).toEqual(fields);
    });

    it('leaves the data as it was', async () => {
      expect(sortedIds(await list())).toEqual(sortedIds(all));
    });
  });

  describe('Assign', () => {
    let fresh: CampaignView;
    let first: string;
    let second: string;

    beforeAll(async () => {
      fresh = await ringAllCampaign({ name: 'Assign here', description: 'assign tests' });
      first = await post(fresh, aLead({ FirstName: 'First', state: 'TX' }));
      second = await post(fresh, aLead({ FirstName: 'Second', state: 'TX' }));
      await exceptions([first, second]);
    });

    it('assigns a lead exception to a user: an application for them, and the row leaves the list', async () => {
      const res = await server.request('POST', `/api/lead-exceptions/${first}/assign`, { token: managerToken, body: { userId: agent.id } });
      expect(res.status).toBe(201);
      const applicationId = res.body.applicationId as string;
      expect(ids(await list({ campaignId: fresh.id }))).toEqual([second]);
      expect(ids(await list({ campaignId: fresh.id, showIgnored: true }))).toEqual([second]);
      const application = await server.request('GET', `/api/applications/${applicationId}`, { token: agentToken });
      expect(application.status).toBe(200);
      expect(application.body).toMatchObject({ via: 'manual', primaryAgent: { id: agent.id }, prospect: { id: first, status: 'assigned' } });
      // Assigned by hand, the lead is no longer an exception: its failure reason is cleared (a
      // default agent's assignment keeps it, below).
      expect(await prospect(first)).toMatchObject({ status: 'assigned', failureReason: null });
      const mine = await server.request('GET', '/api/applications', { token: agentToken });
      expect(mine.body.items.map((a: any) => a.id)).toContain(applicationId);
    });

    it('refuses a second assignment with 409', async () => {
      const res = await server.request('POST', `/api/lead-exceptions/${first}/assign`, { token: admin, body: { userId: manager.id } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LEAD_ALREADY_ASSIGNED');
    });

    it('refuses a lead that is not an exception with 409, and leaves it alone', async () => {
      const res = await server.request('POST', `/api/lead-exceptions/${prospectOf.quiet}/assign`, { token: admin, body: { userId: agent.id } });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not a lead exception.*new/) });
      expect((await prospect(prospectOf.quiet)).status).toBe('new');
    });

    it.each<[string, number, () => string, () => Record<string, unknown>]>([
      ['an unknown prospect', 404, () => randomUUID(), () => ({ userId: agent.id })],
      ['an unknown user', 404, () => second, () => ({ userId: randomUUID() })],
      ['a prospect id that is no uuid', 400, () => 'nope', () => ({ userId: agent.id })],
      ['no user', 400, () => second, () => ({})],
      ['a user id that is no uuid', 400, () => second, () => ({ userId: "' OR 1=1 --" })],
    ])('answers %s with %d', async (_case, status, prospectId, body) => {
      const res = await server.request('POST', `/api/lead-exceptions/${prospectId()}/assign`, { token: admin, body: body() });
      expect(res.status).toBe(status);
      expect((await prospect(second)).status).toBe('exception');
    });
  });

  describe('Ignore', () => {
    let fresh: CampaignView;
    let a: string;
    let b: string;
    let c: string;

    beforeAll(async () => {
      fresh = await ringAllCampaign({ name: 'Ignore here', description: 'ignore tests' });
      a = await post(fresh, aLead({ FirstName: 'Aaron', state: 'TX', LoanAmount: 100 }));
      b = await post(fresh, aLead({ FirstName: 'Bella', state: 'TX', LoanAmount: 200 }));
      c = await post(fresh, aLead({ FirstName: 'Cyrus', state: 'TX', LoanAmount: 300 }));
      await exceptions([a, b, c]);
    });

    it('hides an ignored exception, unless showIgnored lists it after all the others', async () => {
      const res = await server.request('POST', `/api/lead-exceptions/${a}/ignore`, { token: managerToken });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ prospectId: a, ignored: true, ignoredAt: expect.any(String), status: 'exception' });
      expect(Math.abs(Date.parse(res.body.ignoredAt) - Date.now())).toBeLessThan(60_000);

      expect(sortedIds(await list({ campaignId: fresh.id }))).toEqual([b, c].sort());
      expect(ids(await list())).not.toContain(a);
      // Last whatever the sort, even one that would put it first.
      for (const [sort, order] of [['name', 'asc'], ['loanAmount', 'asc'], ['createDate', 'asc'], ['createDate', 'desc']]) {
        const rows = await list({ campaignId: fresh.id, showIgnored: true, sort, order });
        expect(ids(rows)).toHaveLength(3);
        expect(rows[2]).toMatchObject({ prospectId: a, ignored: true });
      }
      const everything = await list({ showIgnored: true });
      expect(everything[everything.length - 1].prospectId).toBe(a);
      expect(everything.filter((r) => r.ignored)).toHaveLength(1);
    });

    it('is idempotent', async () => {
      const before = (await list({ campaignId: fresh.id, showIgnored: true })).find((r) => r.prospectId === a)!;
      const again = await server.request('POST', `/api/lead-exceptions/${a}/ignore`, { token: admin });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ ignored: true, ignoredAt: before.ignoredAt });
    });

    it('unignores: the row is back in place', async () => {
      await server.request('POST', `/api/lead-exceptions/${b}/ignore`, { token: admin });
      const res = await server.request('POST', `/api/lead-exceptions/${b}/unignore`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ prospectId: b, ignored: false, ignoredAt: null });
      expect(sortedIds(await list({ campaignId: fresh.id }))).toEqual([b, c].sort());
      const twice = await server.request('POST', `/api/lead-exceptions/${b}/unignore`, { token: admin });
      expect(twice.status).toBe(200);
      expect(twice.body.ignored).toBe(false);
    });

    it('an ignored exception can still be assigned', async () => {
      const res = await server.request('POST', `/api/lead-exceptions/${a}/assign`, { token: admin, body: { userId: agent.id } });
      expect(res.status).toBe(201);
      expect(ids(await list({ campaignId: fresh.id, showIgnored: true }))).not.toContain(a);
      expect((await prospect(a)).status).toBe('assigned');
    });

    it.each<[string, number, () => string]>([
      ['an assigned lead', 409, () => a],
      ['a lead still new', 409, () => prospectOf.quiet],
      ['an unknown prospect', 404, () => randomUUID()],
      ['a prospect id that is no uuid', 400, () => "1' OR '1'='1"],
    ])('refuses to ignore or unignore %s (%d)', async (_case, status, id) => {
      for (const action of ['ignore', 'unignore']) {
        const res = await server.request('POST', `/api/lead-exceptions/${encodeURIComponent(id())}/${action}`, { token: admin });
        expect(res.status).toBe(status);
      }
      expect((await prospect(prospectOf.quiet)).ignored).toBe(false);
    });
  });

  describe('Unassigned Leads', () => {
    let ignored: string;

    beforeAll(async () => {
      ignored = prospectOf.grace;
      expect((await server.request('POST', `/api/lead-exceptions/${ignored}/ignore`, { token: admin })).status).toBe(200);
    });

    afterAll(async () => {
      await server.request('POST', `/api/lead-exceptions/${ignored}/unignore`, { token: admin });
    });

    async function unassigned(query: Query = {}): Promise<{ items: Row[]; total: number }> {
      const res = await get('/api/unassigned-leads', { pageSize: 200, ...query });
      expect(res.status).toBe(200);
      return res.body;
    }

    it('lists every lead nobody has taken: new ones and exceptions, ignored ones flagged, newest first', async () => {
      const { items, total } = await unassigned();
      expect(total).toBe(items.length);
      expect(ids(items)).toEqual(expect.arrayContaining([...ids(all), prospectOf.quiet]));
      expect(items.every((r) => r.status !== 'assigned')).toBe(true);
      expect(items.find((r) => r.prospectId === prospectOf.quiet)).toMatchObject({ status: 'new', failureReason: null, distribution: 'none', ignored: false });
      expect(items.find((r) => r.prospectId === ignored)).toMatchObject({ status: 'exception', ignored: true });
      const dates = items.map((r) => r.createDate);
      expect(dates).toEqual([...dates].sort().reverse());
      // Assigned leads are not there.
      const applications = (await server.request('GET', '/api/applications?pageSize=200', { token: admin })).body.items as any[];
      expect(applications.length).toBeGreaterThan(0);
      for (const app of applications) expect(ids(items)).not.toContain(app.prospect.id);
    });

    it('filters with the same column filters, and by status', async () => {
      const { items: everything } = await unassigned();
      const expectRows = async (query: Query, keep: (r: Row) => boolean) => expect(sortedIds((await unassigned(query)).items)).toEqual(sortedIds(everything.filter(keep)));
      await expectRows({ status: 'new' }, (r) => r.status === 'new');
      await expectRows({ name: 'newlead' }, (r) => r.prospectId === prospectOf.quiet);
      await expectRows({ description: 'spring' }, (r) => r.campaign.id === spring.id || r.campaign.id === quiet.id);
      await expectRows({ state: 'ca,ny', distribution: 'ring_all' }, (r) => ['CA', 'NY'].includes(r.state!) && r.distribution === 'ring_all');
      await expectRows({ campaignId: [quiet.id, evening.id] }, (r) => r.campaign.id === quiet.id || r.campaign.id === evening.id);
      await expectRows({ loanAmountMin: 250000, failureReason: 'No available agents were found' }, (r) => r.loanAmount! >= 250000 && r.failureReason === 'No available agents were found');
    });

    it('pages', async () => {
      const { total } = await unassigned();
      const res = await get('/api/unassigned-leads', { page: 2, pageSize: 3 });
      expect(res.body).toMatchObject({ total, page: 2, pageSize: 3 });
      expect(res.body.items).toHaveLength(Math.min(3, total - 3));
    });

    it.each<[string, string, string[]]>([
      ['a state list of 500 values', Array.from({ length: 500 }, () => 'state=TX').join('&'), ['state']],
      ['an assigned status', 'status=assigned', ['status']],
      ['createdFrom=not-a-date', 'createdFrom=not-a-date', ['createdFrom']],
      ['a sort (always newest first)', 'sort=name', ['sort']],
    ])('refuses %s with 400', async (_case, query, fields) => {
      const res = await server.request('GET', `/api/unassigned-leads?${query}`, { token: admin });
      expect(res.status).toBe(400);
      expect(fieldNames(res.body)).toEqual(fields);
    });

    it('answers SQL in a text filter with nothing', async () => {
      expect((await unassigned({ name: "%' OR 1=1 --" })).items).toEqual([]);
    });
  });

  describe('roles', () => {
    it.each<[string, string, string]>([
      ['GET', '/api/lead-exceptions', ''],
      ['GET', '/api/unassigned-leads', ''],
      ['POST', '/api/lead-exceptions/:id/assign', 'assign'],
      ['POST', '/api/lead-exceptions/:id/ignore', 'ignore'],
      ['POST', '/api/lead-exceptions/:id/unignore', 'unignore'],
    ])('%s %s: agent 403, no token 401', async (method, route) => {
      const path = route.replace(':id', prospectOf.katherine);
      const body = method === 'POST' ? { userId: agent.id } : undefined;
      expect((await server.request(method, path, { token: agentToken, body })).status).toBe(403);
      expect((await server.request(method, path, { body })).status).toBe(401);
      expect((await prospect(prospectOf.katherine)).status).toBe('exception');
    });

    it('a manager reads both lists', async () => {
      expect((await get('/api/lead-exceptions', {}, managerToken)).status).toBe(200);
      expect((await get('/api/unassigned-leads', {}, managerToken)).status).toBe(200);
    });
  });

  it('documents the routes and their filters in the OpenAPI document', async () => {
    const res = await server.request('GET', '/api/docs-json');
    expect(res.status).toBe(200);
    const params = (res.body.paths['/api/lead-exceptions'].get.parameters as { name: string }[]).map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['name', 'campaignId', 'state', 'loanAmountMin', 'createdFrom', 'sort', 'order', 'showIgnored', 'page', 'pageSize']));
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/unassigned-leads', '/api/lead-exceptions/{prospectId}/assign', '/api/lead-exceptions/{prospectId}/ignore']));
  });

  describe("the campaign's default agent", () => {
    it('takes the next failed lead; the lead keeps its failure reason and is no exception row', async () => {
      const campaign = await ringAllCampaign({ name: 'With a fallback', description: 'default agent' });
      const patched = await server.request('PATCH', `/api/campaigns/${campaign.id}`, { token: admin, body: { defaultAgentId: agent.id } });
      expect(patched.status).toBe(200);
      expect(patched.body.defaultAgentId).toBe(agent.id);

      const prospectId = await post(campaign, aLead({ FirstName: 'Fallback', state: 'TX' }));
      const application = await eventually(async () => {
        const mine = await server.request('GET', '/api/applications?pageSize=200', { token: agentToken });
        return (mine.body.items as any[]).find((a) => a.prospect.id === prospectId);
      }, 15_000);
      expect(application).toMatchObject({ via: 'default_agent', primaryAgent: { id: agent.id } });
      expect(await prospect(prospectId)).toMatchObject({ status: 'assigned', failureReason: 'No available agents were found' });
      expect(await list({ campaignId: campaign.id, showIgnored: true })).toEqual([]);
      expect((await get('/api/unassigned-leads', { campaignId: campaign.id })).body.total).toBe(0);
    });
  });
});
