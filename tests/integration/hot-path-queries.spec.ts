// SQL statements on hot paths, counted on the real database (SQLite file, or PostgreSQL in that
// pass): the caller-ID choice of every borrower dial, the dial mode table of campaigns × modes, and
// what a ring-all round or an inbound call reads and writes before its first originate (the lead,
// its campaign, group, members and org; an inbound caller's lookup; its agents reserved; its call
// and legs opened), and the claim between a ring-all winner's digit and the borrower's dial, and an
// agent's presence with its BLF light (recomputed at every change of their line). Each must stay a
// fixed number of statements however many numbers, campaigns or agents there are.
import { EntityManager } from '@mikro-orm/knex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Application, PhoneCall, Prospect, User } from '../../apps/server/src/database/entities';
import { preparedSql } from '../../apps/server/src/database/prepared-sql';
import { lookUpInbound } from '../../apps/server/src/inbound/inbound-lookup';
import { InboundRepository } from '../../apps/server/src/inbound/inbound.repository';
import { CallbackRepository } from '../../apps/server/src/local-presence/callback.repository';
import { DbContext } from '../../apps/server/src/database/db-context';
import { DialModeConfigService } from '../../apps/server/src/dial-mode/dial-mode-config.service';
import { DistributionRepository } from '../../apps/server/src/distribution/distribution.repository';
import { LeadEvents } from '../../apps/server/src/events/lead-events';
import { PresenceService } from '../../apps/server/src/presence/presence.service';
import { ProspectsService } from '../../apps/server/src/leads/prospects.service';
import { CallLegRepository, reserveAgentsSql } from '../../apps/server/src/telephony/call-legs.repository';
import { WebhookDeliveryRepository } from '../../apps/server/src/webhooks/webhook-delivery.repository';
import { aLead, createCampaign, createUser, postLead } from '../factories';
import { grantDialAccess } from '../factories/dial-mode';
import { recordQueries, touching } from '../harness/query-counter';
import { startServer, TestServer } from '../harness/server';

describe('queries on hot paths', () => {
  let server: TestServer;
  let admin: string;
  let orgId: string;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    orgId = (await server.request('GET', '/api/org', { token: admin })).body.id;
  });

  afterEach(() => {
    jest.restoreAllMocks(); // a test's spies, even when it failed before restoring them
  });

  afterAll(async () => {
    await server?.close();
  });

  it("counts today's calls of every local presence number in one statement", async () => {
    const request = (method: string, route: string, body?: unknown) => server.request(method, route, { token: admin, body });
    expect((await request('POST', '/api/local-presence/inventory', { numbers: ['+15125550701', '+15125550702', '+17375550703', '+12145550704', '+12145550705'] })).status).toBe(201);
    const numbers: Record<string, { id: string; number: string }> = {};
    for (const code of ['512', '512', '737', '214', '214']) {
      const bought = await request('POST', '/api/local-presence/numbers/purchase', { areaCode: code });
      expect(bought.status).toBe(201);
      numbers[bought.body.number] = bought.body;
    }
    await request('POST', `/api/local-presence/numbers/${numbers['+17375550703'].id}/mappings`, { areaCodes: ['830', '210'] });

    const repo = server.app.get(CallLegRepository);
    const leg = (fromNumber: string, direction: 'outbound' | 'inbound' = 'outbound') => ({ orgId, prospectId: null, callId: null, direction, purpose: 'borrower', fromNumber, toNumber: '+15125550199', userId: null, channelId: randomUUID() });
    await repo.openActivities([
      leg('+15125550701'),
      leg('+15125550701'),
      leg('+15125550701'),
      leg('+17375550703'),
      leg('+15125550701', 'inbound'), // a call from the number to us is no use of it
      leg('+13105550111'), // not a local presence number
    ]);

    const now = new Date();
    const { result, queries } = await recordQueries(server.app, () => repo.localPresence(orgId, now));
    const sorted = result.map((c) => ({ ...c, areaCodes: [...c.areaCodes].sort() })).sort((a, b) => a.number.localeCompare(b.number));
    expect(sorted).toEqual([
      { number: '+12145550704', areaCodes: ['214'], usedToday: 0 },
      { number: '+12145550705', areaCodes: ['214'], usedToday: 0 },
      { number: '+15125550701', areaCodes: ['512'], usedToday: 3 },
      { number: '+15125550702', areaCodes: ['512'], usedToday: 0 },
      { number: '+17375550703', areaCodes: ['210', '737', '830'], usedToday: 1 },
    ]);
    expect(touching(queries, 'call_activity')).toHaveLength(1);
    expect(touching(queries, 'call_activity', 'local_presence_mapping', 'local_presence_number')).toHaveLength(2);

    // Tomorrow, today's calls are yesterday's.
    const tomorrow = new Date(now.getTime() + 24 * 3600_000);
    expect((await repo.localPresence(orgId, tomorrow)).every((c) => c.usedToday === 0)).toBe(true);
  });

  it('builds the dial mode table of campaigns × modes with one statement per kind of figure', async () => {
    const operators = await Promise.all([0, 1, 2].map(() => createUser(server, admin, { role: 'agent' })));
    const campaigns = await Promise.all([0, 1, 2, 3].map(() => createCampaign(server, admin)));
    await grantDialAccess(server, admin, campaigns[0].id, 'new', operators.map((o) => o.id));
    await grantDialAccess(server, admin, campaigns[0].id, 'random', [operators[1].id]);
    await grantDialAccess(server, admin, campaigns[2].id, 're_approve', [operators[0].id, operators[2].id]);

    const config = server.app.get(DialModeConfigService);
    // A unit of work of its own, as an HTTP request has.
    const { result, queries } = await recordQueries(server.app, () => server.app.get(DbContext).run(() => config.overview(orgId)));
    const figures = Object.fromEntries(result.flatMap((row) => row.modes.map((m) => [`${row.campaign.id}/${m.mode}`, m.operators])));
    expect(figures[`${campaigns[0].id}/new`]).toBe(3);
    expect(figures[`${campaigns[0].id}/random`]).toBe(1);
    expect(figures[`${campaigns[2].id}/re_approve`]).toBe(2);
    expect(figures[`${campaigns[1].id}/new`]).toBe(0);
    expect(result.length).toBeGreaterThanOrEqual(4);
    expect(touching(queries, 'dial_mode_access')).toHaveLength(1);
    // campaigns, queue counts, settings, operators: four, however many campaigns.
    expect(touching(queries, 'campaign', 'dial_queue_entry', 'dial_mode_setting', 'dial_mode_access')).toHaveLength(4);
  });

  it("reads a round's lead, campaign, group filters, members and org in two statements, however many members", async () => {
    const members = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        createUser(server, admin, {
          role: 'agent',
          workPhoneType: 'static_ip',
          workPhone: `127.0.0.1:${41000 + i}`,
          callerId: `+1512555080${i}`,
          stateLicences: i === 0 ? ['TX', 'CA'] : ['FL'],
          filterLoanPurposes: i === 1 ? ['refinance'] : [],
          filterLoanAmountMin: i === 2 ? 100000 : null,
          filterLeadProviders: i === 3 ? ['Vendor Z'] : [],
        }),
      ),
    );
    const group = await server.request('POST', '/api/distribution-groups', {
      token: admin,
      body: { name: `hot path group ${Date.now()}`, memberIds: members.map((m) => m.id), filterStates: ['TX'], filterLoanPurposes: ['purchase'], filterLoanAmountMin: 50000 },
    });
    expect(group.status).toBe(201);
    const campaign = await createCampaign(server, admin, { distributionGroupId: group.body.id, ringTimeoutSeconds: 25 });
    const posted = await postLead(server, campaign, { FirstName: 'Hana', LastName: 'Hot', MobilePhone: '+15125550811', PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 250000 });
    expect(posted.status).toBe(200);
    const prospectId = posted.body.Data.ProspectId as string;

    const repo = server.app.get(DistributionRepository);
    const { result, queries } = await recordQueries(server.app, () => repo.context(prospectId));
    expect(queries).toHaveLength(2);
    expect(result!.prospect).toEqual({ id: prospectId, status: 'new', firstName: 'Hana', lastName: 'Hot', mobilePhone: '+15125550811', homePhone: null, workPhone: null, propertyState: 'TX', loanPurpose: 'purchase', loanAmount: 250000, leadProvider: campaign.leadProvider });
    expect(result!.campaign).toEqual({
      id: campaign.id,
      name: campaign.name,
      distributionType: 'none',
      ringTimeoutSeconds: 25,
      offerTimeoutSeconds: 60,
      distributionGroup: { id: group.body.id, filterStates: ['TX'], filterLoanPurposes: ['purchase'], filterLoanAmountMin: 50000, filterLoanAmountMax: null },
    });
    expect(result!.org.id).toBe(orgId);
    const byId = new Map(result!.members.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(members.map((m) => m.id).sort());
    expect(byId.get(members[0].id)).toMatchObject({ name: members[0].name, workPhoneType: 'static_ip', workPhone: '127.0.0.1:41000', callerId: '+15125550800', loggedIn: false, callsOn: false, onCallSince: null, lastCallEndedAt: null });
    expect([...byId.get(members[0].id)!.stateLicences].sort()).toEqual(['CA', 'TX']);
    expect(byId.get(members[1].id)!.filterLoanPurposes).toEqual(['refinance']);
    expect(byId.get(members[2].id)!.filterLoanAmountMin).toBe(100000);
    expect(byId.get(members[3].id)!.filterLeadProviders).toEqual(['Vendor Z']);

    // A reserved member reads as on a call, with the time it was reserved.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    expect(await server.app.get(CallLegRepository).reserveAgents([members[4].id], at)).toEqual([members[4].id]);
    expect((await repo.context(prospectId))!.members.find((m) => m.id === members[4].id)!.onCallSince).toEqual(at);
    await server.app.get(CallLegRepository).releaseAgent(members[4].id, new Date());
    expect(await repo.context(randomUUID())).toBeNull();
  });

  it('reserves a round of agents in one guarded statement: those on a call already are left out, in order', async () => {
    const agents = await Promise.all([0, 1, 2, 3].map(() => createUser(server, admin, { role: 'agent' })));
    const ids = agents.map((a) => a.id);
    const repo = server.app.get(CallLegRepository);
    expect(await repo.reserveAgents([ids[1]], new Date())).toEqual([ids[1]]);

    const { result, queries } = await recordQueries(server.app, () => repo.reserveAgents(ids, new Date()));
    expect(result).toEqual([ids[0], ids[2], ids[3]]);
    expect(touching(queries, 'app_user')).toHaveLength(1);
    // All four are on a call now: a second round gets none of them.
    expect(await repo.reserveAgents(ids, new Date())).toEqual([]);
    expect(await repo.reserveAgents([], new Date())).toEqual([]);
    for (const id of ids) await repo.releaseAgent(id, new Date());
  });

  it("starts a ring-all round in one commit: the lead moved to distributing and its agents reserved; a lead started already reserves no one; a failing reservation undoes the start", async () => {
    const campaign = await createCampaign(server, admin);
    const ids = (await Promise.all([0, 1].map(() => createUser(server, admin, { role: 'agent' })))).map((a) => a.id);
    const post = async (lastName: string) => (await postLead(server, campaign, aLead({ FirstName: 'Bea', LastName: lastName }))).body.Data.ProspectId as string;
    const [prospectId, other] = [await post('Begin'), await post('Rollback')];
    const repo = server.app.get(DistributionRepository);
    const legs = server.app.get(CallLegRepository);
    const start = () => repo.beginWith(prospectId, (tx) => legs.reserveAgents(ids, new Date(), tx));
    const em = () => server.app.get(EntityManager).fork();

    const { result, queries } = await recordQueries(server.app, start);
    expect(result).toEqual(ids);
    expect(queries.filter((sql) => /^\s*commit\b/i.test(sql))).toHaveLength(1);
    expect(queries.filter((sql) => /^\s*update\b/i.test(sql))).toEqual([expect.stringMatching(/^update prospect set status = 'distributing'/), expect.stringMatching(/^update app_user set on_call_since/)]);
    expect(await em().findOneOrFail(Prospect, prospectId)).toMatchObject({ status: 'distributing', distributionOwner: repo.owner });
    for (const id of ids) expect((await em().findOneOrFail(User, id)).onCallSince).toBeInstanceOf(Date);
    for (const id of ids) await legs.releaseAgent(id, new Date());

    // Started already: null, and nobody reserved.
    expect(await start()).toBeNull();
    for (const id of ids) expect((await em().findOneOrFail(User, id)).onCallSince).toBeNull();

    // The reservation fails: the lead stays new, and the connection serves on. (The error is read
    // as text: better-sqlite3's SqliteError may come from another test file's realm, where jest's
    // toThrow does not take it for an Error.)
    const failed = await repo.beginWith(other, (tx) => tx.run('broken', 'update app_user set no_such_column = 1', [])).then(
      () => 'resolved',
      (err: unknown) => String(err),
    );
    expect(failed).toMatch(/no_such_column/);
    expect(await em().findOneOrFail(Prospect, other)).toMatchObject({ status: 'new', distributionOwner: null });
    expect(await repo.begin(other)).toBe(true);
  });

  it('finds the agents it reserves by their ids, not by the index of everyone not on a call', async () => {
    const sql = preparedSql(server.app.get(EntityManager), 'test_plan');
    const conn = server.app.get(EntityManager).getConnection();
    if (sql.dialect === 'sqlite') {
      const plan = (await conn.execute<{ detail: string }[]>(`explain query plan ${reserveAgentsSql('sqlite')}`, ['2026-01-01', 'x', '[]'])).map((r) => r.detail);
      expect(plan.find((line) => /^SEARCH app_user /.test(line))).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_app_user_1 \(id=\?\)/);
    } else {
      const plan = (await conn.execute<{ 'QUERY PLAN': string }[]>(`explain ${reserveAgentsSql('postgresql').replace(/\$(\d)/g, (_m, n: string) => ['now()', "'x'", "array['a','b']::text[]"][Number(n) - 1])}`)).map((r) => r['QUERY PLAN']);
      expect(plan.join('\n')).not.toMatch(/using app_user_on_call/i);
    }
    // The recovery sweep's "on a call" has an index of its own, holding only those.
    const onCall = await conn.execute<unknown[]>(sql.dialect === 'sqlite' ? "select name from sqlite_master where type = 'index' and name like 'app_user_on_call%'" : "select indexname as name from pg_indexes where indexname like 'app_user_on_call%'");
    expect(onCall).toEqual([{ name: 'app_user_on_call_index' }]);
  });

  it("looks an inbound call up in four reads on one pooled connection, taken from the pool once", async () => {
    // The pool's connections the lookup takes (not those the server's timers take meanwhile).
    const knexClient = server.app.get(EntityManager).getConnection().getKnex().client as { acquireConnection(): Promise<unknown> };
    const acquire = knexClient.acquireConnection.bind(knexClient);
    const lookup = new AsyncLocalStorage<true>();
    let acquired = 0;
    jest.spyOn(knexClient, 'acquireConnection').mockImplementation(() => {
      if (lookup.getStore()) acquired++;
      return acquire();
    });
    const deps = { inbound: server.app.get(InboundRepository), callbacks: server.app.get(CallbackRepository), maxAgents: 10, log: () => undefined };
    const { result, queries } = await lookup.run(true, () => recordQueries(server.app, () => lookUpInbound(deps, '+18005550123', '+15125550177')));
    expect(result).toMatchObject({ orgId, lead: null });
    // The org, the caller's lead, the available agents, the local-presence check of the DID.
    expect(queries).toEqual([
      expect.stringMatching(/from org\b/),
      expect.stringMatching(/from prospect_phone\b/),
      expect.stringMatching(/from app_user\b/),
      expect.stringMatching(/from local_presence_number\b/),
    ]);
    expect(acquired).toBe(1);
  });

  it("assigns a ring-all winner's lead in one transaction of three statements when no subscription wants lead.assigned; a second claim writes nothing", async () => {
    const campaign = await createCampaign(server, admin);
    const agents = await Promise.all([0, 1].map(() => createUser(server, admin, { role: 'agent' })));
    const prospectId = (await postLead(server, campaign, aLead({ FirstName: 'Claire', LastName: 'Claim' }))).body.Data.ProspectId as string;
    const em = server.app.get(EntityManager).fork();
    await em.nativeUpdate(Prospect, { id: prospectId }, { status: 'distributing', failureReason: 'left from before', failureDetail: 'x' });

    // As the round runs it: in a unit of work of its own.
    const prospects = server.app.get(ProspectsService);
    const claim = (agentId: string, at: Date) => server.app.get(DbContext).run(() => prospects.claimRingAll(orgId, prospectId, agentId, at));
    const takenAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const { result, queries } = await recordQueries(server.app, () => claim(agents[0].id, takenAt));
    // The guarded update, the application, whether a subscription wants the event (PostgreSQL takes
    // the org's subscription lock, shared, before asking: docs/webhooks.md); one commit.
    expect(touching(queries, 'prospect', 'application', 'webhook_subscription').filter((sql) => !sql.includes('pg_advisory_xact_lock'))).toHaveLength(3);
    expect(queries.filter((sql) => /^\s*commit\b/i.test(sql))).toHaveLength(1);
    const row = await em.fork().findOneOrFail(Prospect, { id: prospectId });
    expect(row).toMatchObject({ status: 'assigned', takenAt, failureReason: null, failureDetail: null });
    const application = await em.fork().findOneOrFail(Application, { prospect: prospectId }, { populate: ['primaryAgent'] });
    expect(application).toMatchObject({ id: result.applicationId, via: 'ring_all', primaryAgent: { id: agents[0].id }, assignedBy: null, createdAt: takenAt });

    // The other presser loses: nothing written, the lead stays the first one's.
    await expect(claim(agents[1].id, new Date())).rejects.toMatchObject({ code: 'LEAD_ALREADY_ASSIGNED' });
    expect(await em.fork().count(Application, { prospect: prospectId })).toBe(1);
    expect((await em.fork().findOneOrFail(Prospect, { id: prospectId })).takenAt).toEqual(takenAt);
  });

  it('rolls back a prepared transaction whose work throws: nothing of it is kept, and the connection serves on', async () => {
    const campaign = await createCampaign(server, admin);
    const prospectId = (await postLead(server, campaign, aLead({ FirstName: 'Rolf', LastName: 'Back' }))).body.Data.ProspectId as string;
    const sql = preparedSql(server.app.get(EntityManager), 'test_rollback');
    const rename = sql.dialect === 'sqlite' ? 'update prospect set first_name = ? where id = ?' : 'update prospect set first_name = $1 where id = $2';
    await expect(
      sql.transaction(async (tx) => {
        expect(await tx.run('rename', rename, ['Changed', prospectId])).toBe(1);
        throw new Error('second thoughts');
      }),
    ).rejects.toThrow('second thoughts');
    const em = server.app.get(EntityManager).fork();
    expect((await em.findOneOrFail(Prospect, { id: prospectId })).firstName).toBe('Rolf');
    expect(await sql.transaction((tx) => tx.run('rename', rename, ['Rolfe', prospectId]))).toBe(1);
    expect((await em.fork().findOneOrFail(Prospect, { id: prospectId })).firstName).toBe('Rolfe');
  });

  it('refuses a prepared statement name PostgreSQL would cut to 63 bytes (two names could then meet); SQLite has no such limit', async () => {
    const sql = preparedSql(server.app.get(EntityManager), 'test_names');
    const long = `a_name_of_fifty_five_characters_${'x'.repeat(23)}`;
    if (sql.dialect === 'postgresql') {
      await expect(sql.all(long, 'select 1 as one', [])).rejects.toThrow(`prepared statement name test_names_${long} is longer than PostgreSQL's 63 bytes`);
      expect(await sql.all(long.slice(0, 52), 'select 1 as one', [])).toEqual([{ one: 1 }]);
    } else {
      expect(await sql.all(long, 'select 1 as one', [])).toEqual([{ one: 1 }]);
    }
  });

  it("ends an agent's leg in one guarded statement; a borrower's leg in one transaction that reports call.ended and writes nothing back", async () => {
    // The outbox's fan-out deletes the events no subscription wants (this org has none), and a new
    // event wakes it at once: held for this test, which reads the events back.
    jest.spyOn(server.app.get(WebhookDeliveryRepository), 'fanOut').mockResolvedValue(0);
    const agent = await createUser(server, admin, { role: 'agent' });
    const repo = server.app.get(CallLegRepository);
    const callId = randomUUID();
    const leg = (purpose: string) => ({ orgId, prospectId: null, callId, direction: 'outbound' as const, purpose, fromNumber: '+15125550900', toNumber: '+15125550901', userId: agent.id, channelId: randomUUID() });
    const [agentLeg, borrowerLeg, misnamed] = await repo.openCall({ id: callId, orgId, kind: 'ring_all', prospectId: null }, [leg('ring_all_agent'), leg('borrower'), leg('borrower')]);

    // An agent's leg reports nothing: one UPDATE guarded by its purpose; its agent and its call are not even read.
    const agentEnd = await recordQueries(server.app, () => repo.endAgentLeg(agentLeg, { endedAt: new Date(), result: 'cancelled', ringSeconds: 3 }));
    expect(touching(agentEnd.queries, 'call_activity', 'app_user', 'phone_call', 'webhook_event')).toEqual([expect.stringMatching(/^update call_activity .* purpose not in/)]);

    // A borrower's leg: one UPDATE, in the transaction that writes call.ended to the outbox; the
    // leg, its agent and its call read, none written back.
    const borrowerEnd = await recordQueries(server.app, () => repo.updateActivity(borrowerLeg, { endedAt: new Date(), result: 'completed', talkSeconds: 30 }));
    expect(borrowerEnd.queries.filter((sql) => /^\s*update\b/i.test(sql))).toHaveLength(1);
    expect(touching(borrowerEnd.queries, 'webhook_event').filter((sql) => /^\s*insert\b/i.test(sql))).toHaveLength(1);

    // A borrower's leg handed to endAgentLeg by mistake: the guarded UPDATE changes nothing, and
    // the leg still ends with its call.ended.
    const mistaken = await recordQueries(server.app, () => repo.endAgentLeg(misnamed, { endedAt: new Date(), result: 'completed', talkSeconds: 12 }));
    expect(mistaken.queries.filter((sql) => /^\s*update\b/i.test(sql))).toHaveLength(2);

    const em = server.app.get(EntityManager).fork();
    for (const id of [borrowerLeg, misnamed]) {
      const events = await em.getConnection().execute<{ type: string }[]>('select type from webhook_event where prospect_id is null and body like ?', [`%${id}%`]);
      expect(events.map((e) => e.type)).toEqual(['call.ended']);
    }
    const ended = await em.getConnection().execute<{ id: string; result: string; talk_seconds: number | null; ring_seconds: number | null }[]>(
      'select id, result, talk_seconds, ring_seconds from call_activity where call_id = ? and ended_at is not null order by result, talk_seconds',
      [callId],
    );
    expect(ended).toEqual([
      { id: agentLeg, result: 'cancelled', talk_seconds: null, ring_seconds: 3 },
      { id: misnamed, result: 'completed', talk_seconds: 12, ring_seconds: null },
      { id: borrowerLeg, result: 'completed', talk_seconds: 30, ring_seconds: null },
    ]);
  });

  it("writes legs' answers and ends, an agent's mark and a call's phase asked for together in one commit (SQLite: a savepoint each, no ORM; PostgreSQL: a statement each)", async () => {
    const agent = await createUser(server, admin, { role: 'agent' });
    const repo = server.app.get(CallLegRepository);
    const sql = preparedSql(server.app.get(EntityManager), 'hot_path_test');
    const callId = randomUUID();
    const leg = () => ({ orgId, prospectId: null, callId, direction: 'outbound' as const, purpose: 'ring_all_agent', fromNumber: '+15125550900', toNumber: '+15125550901', userId: agent.id, channelId: randomUUID() });
    const [answered, ended] = await repo.openCall({ id: callId, orgId, kind: 'ring_all', prospectId: null }, [leg(), leg()]);
    const now = new Date();

    const { queries } = await recordQueries(server.app, () =>
      Promise.all([
        repo.updateActivity(answered, { answeredAt: now, result: 'answered', ringSeconds: 1 }),
        repo.endAgentLeg(ended, { endedAt: now, result: 'cancelled', ringSeconds: 2 }),
        repo.markOnCall(agent.id, now),
        repo.updateCall(callId, { phase: 'connected', connectedAt: now }),
      ]),
    );
    expect(queries.filter((q) => /^\s*commit\b/i.test(q))).toHaveLength(sql.dialect === 'sqlite' ? 1 : 0);
    expect(queries.filter((q) => /^\s*savepoint\b/i.test(q))).toHaveLength(sql.dialect === 'sqlite' ? 4 : 0);
    // Plain statements, not MikroORM's (which quotes its names in backticks or double quotes).
    expect(queries.filter((q) => /^\s*update\b/i.test(q) && /[`"]/.test(q))).toEqual([]);
    // SQLite: all four updates between the one BEGIN and its COMMIT (one fsync).
    const at = (re: RegExp) => queries.flatMap((q, i) => (re.test(q) ? [i] : []));
    const [begin, commit] = [at(/^\s*begin\b/i), at(/^\s*commit\b/i)];
    const updates = at(/^\s*update\b/i);
    expect(updates.length).toBeGreaterThanOrEqual(4);
    if (sql.dialect === 'sqlite') expect(updates.every((i) => i > begin[0] && i < commit[0])).toBe(true);
    const em = server.app.get(EntityManager).fork();
    const legs = await em.getConnection().execute<{ id: string; result: string }[]>('select id, result from call_activity where call_id = ? order by result', [callId]);
    expect(legs).toEqual([{ id: answered, result: 'answered' }, { id: ended, result: 'cancelled' }]);
    expect(await em.findOneOrFail(User, agent.id)).toMatchObject({ onCallSince: now });
    expect(await em.findOneOrFail(PhoneCall, callId)).toMatchObject({ phase: 'connected', connectedAt: now });
  });

  it("opens a call with all its legs' rows in one commit", async () => {
    const repo = server.app.get(CallLegRepository);
    const callId = randomUUID();
    const leg = (i: number) => ({ orgId, prospectId: null, callId, direction: 'outbound' as const, purpose: 'ring_all_agent', fromNumber: null, toNumber: `PJSIP/agent-${i}`, userId: null, channelId: randomUUID() });
    const legs = Array.from({ length: 10 }, (_, i) => leg(i));
    const { result, queries } = await recordQueries(server.app, () => repo.openCall({ id: callId, orgId, kind: 'ring_all', prospectId: null }, legs));
    expect(result).toHaveLength(10);
    expect(touching(queries, 'phone_call', 'call_activity')).toHaveLength(2);
    expect(queries.filter((sql) => /^\s*commit\b/i.test(sql))).toHaveLength(1);
    // Each id is its own leg's row, in order.
    const activity = await server.request('GET', '/api/call-activity?pageSize=50', { token: admin });
    const byId = new Map<string, any>(activity.body.items.map((r: any) => [r.id, r]));
    expect(result.map((id) => byId.get(id)?.callId)).toEqual(legs.map(() => callId));
    expect(result.map((id) => byId.get(id)?.to)).toEqual(legs.map((l) => l.toNumber));
  });

  it("recomputes an agent's presence in one statement; the change carries the extension the BLF light is set under, read with it", async () => {
    const agent = await createUser(server, admin, { role: 'agent' });
    const changes: { userId: string; extension: string | null; state: string }[] = [];
    server.app.get(LeadEvents).on('presence.changed', (e) => void changes.push(e));
    const presence = server.app.get(PresenceService);
    await presence.refresh(agent.id);
    // Logged in with calls on: available now.
    await server.app.get(EntityManager).fork().nativeUpdate(User, { id: agent.id }, { loggedIn: true, callsOn: true });
    // The listeners (the BLF queue among them) run after the change is announced: wait for them too.
    const { queries } = await recordQueries(server.app, async () => {
      await presence.refresh(agent.id);
      await new Promise((r) => setTimeout(r, 100));
    }, { meanwhile: true });
    // Only the user's row is read (the webhook dispatcher's polls may fall in the window too).
    expect(touching(queries, 'app_user')).toHaveLength(1);
    expect(changes.filter((c) => c.userId === agent.id).at(-1)).toEqual(expect.objectContaining({ extension: agent.extension, state: 'available' }));
    expect(agent.extension).toMatch(/^\d+$/);
  });
});
