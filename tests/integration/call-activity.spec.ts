// Call activity and recordings against real call legs: one real Ring All round (SIPp agents and
// borrower, real Asterisk bridge recording), then filters, scoping, hostile input and playback.
import { randomUUID } from 'node:crypto';
import { createUser, loginAs } from '../factories';
import { IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { startServer, TestServer } from '../harness/server';
import { wallClock, withOrgTimeZone } from '../harness/wall-clock';
import { stopAllSipp } from '../harness/sipp';
import { agentSipp, aLead, borrowerSipp, legsEnded, postLead, RingAllSetup, settledProspect, setupRingAll } from './ring-all.fixture';

// A name with LIKE wildcards in it: a search for "_7%" must find it literally, and "%" alone nothing else.
const WINNER_NAME = "Zoë O'Hara_7% \\ Winner";

describe('Call activity and recordings (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let setup: RingAllSetup;
  let prospectId: string;
  let applicationId: string;
  let borrowerPhone: string;
  let legs: any[];
  let managerToken: string;
  let otherAgentToken: string;
  const started = Date.now();

  const get = (route: string, token: string) => server.request('GET', route, { token });
  const list = async (query: string, token = setup.admin) => {
    const res = await get(`/api/call-activity?${query}`, token);
    if (res.status !== 200) throw new Error(`GET /api/call-activity?${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { items: any[]; total: number; page: number; pageSize: number };
  };
  const ids = (rows: any[]) => rows.map((r) => r.id).sort();
  const winner = () => setup.agents[0];
  const loser = () => setup.agents[1];
  const leg = (purpose: string, userId?: string) => legs.find((l) => l.purpose === purpose && (!userId || l.by?.id === userId));

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    // Stopped with the others by stopAllSipp.
    await borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: '2500' });
    const presser = await agentSipp(IT_PORT_BASE + 601, { answer_ms: '200', dtmf_ms: '700' });
    const silent = await agentSipp(IT_PORT_BASE + 602, { answer_ms: '100' }, 'agent-silent');
    setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 601 + i}` });
    const patched = await server.request('PATCH', `/api/users/${winner().id}`, { token: setup.admin, body: { name: WINNER_NAME } });
    expect(patched.status).toBe(200);

    const lead = aLead();
    borrowerPhone = lead.MobilePhone as string;
    prospectId = await postLead(server, setup, lead);
    expect((await settledProspect(server, setup, prospectId)).status).toBe('assigned');
    legs = await legsEnded(server, setup, prospectId, 3);
    await presser.stop();
    await silent.stop();

    const apps = await get('/api/applications?pageSize=200', setup.admin);
    applicationId = apps.body.items.find((a: any) => a.prospect.id === prospectId).id;
    const manager = await createUser(server, setup.admin, { role: 'manager' });
    managerToken = await loginAs(server, manager);
    const other = await createUser(server, setup.admin, { role: 'agent' });
    otherAgentToken = await loginAs(server, other);
  }, 90_000);

  afterAll(async () => {
    await stopAllSipp();
    await server?.close();
    process.stderr.write(`[call-activity] suite took ${Date.now() - started} ms\n`);
  });

  it('has the legs of the round: two agent legs, a recorded borrower leg, with recording URLs', () => {
    expect(legs).toHaveLength(3);
    expect(leg('ring_all_agent', winner().id)).toMatchObject({ result: 'won', recordingUrl: `/api/recordings/${leg('ring_all_agent', winner().id).id}` });
    expect(leg('ring_all_agent', loser().id)).toMatchObject({ result: 'lost', recording: null, recordingUrl: null });
    const b = leg('borrower');
    expect(b).toMatchObject({ result: 'completed', to: borrowerPhone, by: { id: winner().id, name: WINNER_NAME }, recordingUrl: `/api/recordings/${b.id}` });
    expect(b.recording).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(b.talkSeconds).toBeGreaterThanOrEqual(1);
  });

  it('pages newest first by default, and by application as by prospect', async () => {
    const all = await list(`prospectId=${prospectId}`);
    expect(all.total).toBe(3);
    const starts = all.items.map((l) => l.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
    const first = await list(`prospectId=${prospectId}&pageSize=2&page=1`);
    const second = await list(`prospectId=${prospectId}&pageSize=2&page=2`);
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(ids([...first.items, ...second.items])).toEqual(ids(legs));
    expect(ids((await list(`applicationId=${applicationId}`)).items)).toEqual(ids(legs));
    expect(ids((await list(`applicationId=${applicationId}&prospectId=${prospectId}`)).items)).toEqual(ids(legs));
    expect((await list(`applicationId=${randomUUID()}`)).total).toBe(0);
    expect((await list(`applicationId=${applicationId}&prospectId=${randomUUID()}`)).total).toBe(0);
    expect((await list(`prospectId=${randomUUID()}`)).total).toBe(0);
  });

  it('filters by talk time (a leg that never connected talked 0 s)', async () => {
    const talk = (l: any) => l.talkSeconds ?? 0;
    const longest = Math.max(...legs.map(talk));
    expect(ids((await list(`talkMin=${longest}`)).items)).toEqual(ids(legs.filter((l) => talk(l) >= longest)));
    expect(ids((await list('talkMax=0')).items)).toEqual(ids(legs.filter((l) => talk(l) === 0)));
    expect(ids((await list(`talkMin=1&talkMax=${longest}`)).items)).toEqual(ids(legs.filter((l) => talk(l) >= 1)));
    expect((await list(`talkMin=${longest + 1}`)).total).toBe(0);
  });

  it('filters by date-time range on startedAt', async () => {
    const b = leg('borrower');
    expect(ids((await list(`from=${encodeURIComponent(b.startedAt)}`)).items)).toEqual(ids(legs.filter((l) => l.startedAt >= b.startedAt)));
    expect(ids((await list(`to=${encodeURIComponent(b.startedAt)}`)).items)).toEqual(ids(legs.filter((l) => l.startedAt <= b.startedAt)));
    const before = new Date(Date.parse(legs.map((l) => l.startedAt).sort()[0]) - 60_000).toISOString();
    const after = new Date(Date.now() + 60_000).toISOString();
    expect((await list(`from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`)).total).toBe(3);
    expect((await list(`to=${encodeURIComponent(before)}`)).total).toBe(0);
    expect((await list(`from=${encodeURIComponent(after)}`)).total).toBe(0);
    // An offset is honoured.
    const asOffset = new Date(Date.parse(before)).toISOString().replace('Z', '+00:00');
    expect((await list(`from=${encodeURIComponent(asOffset)}`)).total).toBe(3);
    expect((await list(`to=2000-01-01`)).total).toBe(0);
  });

  it("reads a date or date-time without a zone in the org's time zone, as the lead lists do", async () => {
    const first = legs.map((l) => l.startedAt).sort()[0];
    // Kiritimati: fourteen hours ahead of UTC, so UTC and office readings never agree.
    await withOrgTimeZone(server, setup.admin, 'Pacific/Kiritimati', async () => {
      const justBefore = wallClock(Date.parse(first) - 60_000, 'Pacific/Kiritimati');
      expect((await list(`prospectId=${prospectId}&from=${justBefore}`)).total).toBe(3);
      expect((await list(`prospectId=${prospectId}&to=${justBefore}`)).total).toBe(0);
      // A date alone: "to" takes in that whole day of the office.
      const today = wallClock(first, 'Pacific/Kiritimati').slice(0, 10);
      expect((await list(`prospectId=${prospectId}&to=${today}`)).total).toBe(3);
      expect((await list(`prospectId=${prospectId}&from=${today}`)).total).toBe(3);
    });
  });

  it('filters by phone (exact, repeated or comma-separated) and by phone search', async () => {
    const b = leg('borrower');
    const agentLegFrom = leg('ring_all_agent', loser().id).from;
    expect(ids((await list(`phone=${encodeURIComponent(borrowerPhone)}`)).items)).toEqual([b.id]);
    // Non-E.164 spellings of the same number are normalised first.
    expect(ids((await list(`phone=${encodeURIComponent(`(${borrowerPhone.slice(2, 5)}) ${borrowerPhone.slice(5, 8)}-${borrowerPhone.slice(8)}`)}`)).items)).toEqual([b.id]);
    const both = legs.filter((l) => [borrowerPhone, agentLegFrom].includes(l.from) || [borrowerPhone, agentLegFrom].includes(l.to));
    expect(both.length).toBeGreaterThan(1);
    expect(ids((await list(`phone=${encodeURIComponent(`${borrowerPhone},${agentLegFrom}`)}`)).items)).toEqual(ids(both));
    expect(ids((await list(`phone=${encodeURIComponent(borrowerPhone)}&phone=${encodeURIComponent(agentLegFrom)}`)).items)).toEqual(ids(both));
    expect((await list(`phone=${encodeURIComponent('+12025550199')}`)).total).toBe(0);
    const last7 = borrowerPhone.slice(-7);
    expect(ids((await list(`phoneSearch=${encodeURIComponent(`${last7.slice(0, 3)}-${last7.slice(3)}`)}`)).items)).toEqual([b.id]);
    expect(ids((await list(`phoneSearch=${encodeURIComponent(borrowerPhone)}`)).items)).toEqual([b.id]);
  });

  it('filters by user (multi-select and name search, wildcards taken literally)', async () => {
    const winnerLegs = legs.filter((l) => l.by?.id === winner().id);
    expect(winnerLegs).toHaveLength(2);
    expect(ids((await list(`byUserId=${winner().id}`)).items)).toEqual(ids(winnerLegs));
    expect(ids((await list(`byUserId=${winner().id},${loser().id}`)).items)).toEqual(ids(legs));
    expect(ids((await list(`byUserId=${winner().id}&byUserId=${loser().id}`)).items)).toEqual(ids(legs));
    expect((await list(`byUserId=${randomUUID()}`)).total).toBe(0);
    expect(ids((await list(`bySearch=${encodeURIComponent("o'hara_7%")}`)).items)).toEqual(ids(winnerLegs));
    expect(ids((await list(`bySearch=${encodeURIComponent('\\')}`)).items)).toEqual(ids(winnerLegs));
    expect(ids((await list(`bySearch=${encodeURIComponent('%')}`)).items)).toEqual(ids(winnerLegs));
    expect((await list(`bySearch=${encodeURIComponent('har__7')}`)).total).toBe(0);
    expect((await list(`bySearch=${encodeURIComponent('%%%_')}`)).total).toBe(0);
    // Filters combine.
    expect(ids((await list(`byUserId=${winner().id}&phone=${encodeURIComponent(borrowerPhone)}&talkMin=1`)).items)).toEqual([leg('borrower').id]);
  });

  it('sorts by whitelisted keys only', async () => {
    const asc = (await list('sort=talkSeconds&order=asc')).items.map((l) => l.talkSeconds).filter((t) => t !== null);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const byName = (await list('sort=by&order=asc')).items.map((l) => l.by.name);
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect((await list('sort=startedAt&order=asc')).items.map((l) => l.startedAt)).toEqual(legs.map((l) => l.startedAt).sort());
  });

  it('shows an agent only their own legs, whatever they ask for', async () => {
    const mine = await list('pageSize=200', winner().token);
    expect(ids(mine.items)).toEqual(ids(legs.filter((l) => l.by?.id === winner().id)));
    expect(ids((await list(`prospectId=${prospectId}`, loser().token)).items)).toEqual([leg('ring_all_agent', loser().id).id]);
    expect((await list(`byUserId=${winner().id}`, loser().token)).total).toBe(0);
    expect((await list(`applicationId=${applicationId}`, otherAgentToken)).total).toBe(0);
    expect((await list('', otherAgentToken)).total).toBe(0);
    expect((await list('', managerToken)).total).toBe(3);
    expect((await server.request('GET', '/api/call-activity')).status).toBe(401);
  });

  it('answers hostile or malformed input with 400 or an empty page, never a 500', async () => {
    const hostile = [
      "phoneSearch=' OR 1=1 --",
      'phoneSearch=%25',
      'phoneSearch=_',
      `bySearch=${encodeURIComponent("' OR '1'='1")}`,
      `bySearch=${encodeURIComponent('"); DROP TABLE call_activity; --')}`,
      `bySearch=${'x'.repeat(5000)}`,
      'bySearch=a&bySearch=b',
      'bySearch[$ne]=x',
      'sort=started_at;DROP TABLE call_activity',
      'sort=u.name',
      'sort=__proto__',
      'sort=constructor',
      'order=sideways',
      'order=asc;--',
      'pageSize=201',
      'pageSize=0',
      'pageSize=-5',
      'page=0',
      'page=1e308',
      'page=99999999999999999999',
      'page=100000',
      'talkMin=-1',
      'talkMin=abc',
      'talkMin=1e309',
      'talkMin=1.5',
      'talkMin=1&talkMin=2',
      'talkMin=10&talkMax=5',
      'talkMax=9999999999',
      'from=yesterday',
      'from=2024-13-45T99:00:00Z',
      'from=2024-02-30',
      'from=2025-W10',
      'from=2025-01-02&to=2025-01-01',
      "to=2024-01-01' OR 1=1",
      'phone=not-a-phone',
      `phone=${encodeURIComponent("+15125550100' OR 1=1 --")}`,
      `phone=${Array.from({ length: 60 }, () => '+12025550199').join(',')}`,
      'byUserId=not-a-uuid',
      `byUserId=${encodeURIComponent("1' OR '1'='1")}`,
      'prospectId=../../etc/passwd',
      `prospectId=${encodeURIComponent("x' OR 1=1 --")}`,
      'applicationId=1',
      'unknownParam=1',
      '%E0%A4%A=1',
      'phone=&byUserId=&bySearch=&phoneSearch=',
    ];
    for (const q of hostile) {
      const res = await get(`/api/call-activity?${q}`, setup.admin);
      if (res.status === 200) expect(Array.isArray(res.body.items)).toBe(true);
      else expect([res.status, q, res.body.code]).toEqual([400, q, expect.any(String)]);
    }
    const agentRes = await get(`/api/call-activity?bySearch=${encodeURIComponent("' OR 1=1 --")}`, loser().token);
    expect(agentRes.status).toBe(200);
    expect(agentRes.body.total).toBe(0);
    // Nothing was dropped or widened.
    expect((await list('')).total).toBe(3);
  });

  it('streams a recording (WAV) to the agent on the leg, managers and admins', async () => {
    const b = leg('borrower');
    for (const token of [winner().token, managerToken, setup.admin]) {
      const res = await fetch(`${server.url}${b.recordingUrl}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('content-disposition')).toMatch(/^inline/);
      expect(res.headers.get('cache-control')).toContain('no-store');
      const audio = Buffer.from(await res.arrayBuffer());
      expect(audio.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(audio.subarray(8, 12).toString('latin1')).toBe('WAVE');
      expect(audio.length).toBeGreaterThan(44);
      // Asterisk declares the size of a stored file, and it is passed on.
      expect(Number(res.headers.get('content-length'))).toBe(audio.length);
    }
    // The winner's own agent leg carries the same recording.
    const ownLeg = await fetch(`${server.url}${leg('ring_all_agent', winner().id).recordingUrl}`, { headers: { authorization: `Bearer ${winner().token}` } });
    expect(ownLeg.status).toBe(200);
    expect(Buffer.from(await ownLeg.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('answers 404 to anyone else, for unknown or unrecorded legs, and 400 for a non-UUID', async () => {
    const b = leg('borrower');
    for (const token of [loser().token, otherAgentToken]) {
      const res = await get(`/api/recordings/${b.id}`, token);
      expect([res.status, res.body.code]).toEqual([404, 'RECORDING_NOT_FOUND']);
    }
    const unknown = await get(`/api/recordings/${randomUUID()}`, setup.admin);
    const unrecorded = await get(`/api/recordings/${leg('ring_all_agent', loser().id).id}`, setup.admin);
    // The same answer whether the leg does not exist, was not recorded or may not be heard.
    expect([unknown.status, unknown.body.code]).toEqual([404, 'RECORDING_NOT_FOUND']);
    expect([unrecorded.status, unrecorded.body.code]).toEqual([404, 'RECORDING_NOT_FOUND']);
    for (const bad of ['not-a-uuid', '..%2F..%2Fetc%2Fpasswd', `${b.id}x`, "1'%20OR%20'1'%3D'1"]) {
      const res = await get(`/api/recordings/${bad}`, setup.admin);
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    expect((await server.request('GET', `/api/recordings/${b.id}`)).status).toBe(401);
  });

  it('answers 503 TELEPHONY_UNAVAILABLE while Asterisk is away', async () => {
    // A second server on the same database whose ARI link can never come up.
    const away = await startServer({ LEADLINE_DATA_DIR: server.config.dataDir, ARI_URL: `http://127.0.0.1:${IT_PORT_BASE + 699}` });
    try {
      const res = await away.request('GET', leg('borrower').recordingUrl, { token: managerToken });
      expect([res.status, res.body.code]).toEqual([503, 'TELEPHONY_UNAVAILABLE']);
      // Access is still decided first: no hint for those who may not hear it.
      expect((await away.request('GET', leg('borrower').recordingUrl, { token: otherAgentToken })).status).toBe(404);
    } finally {
      await away.close();
    }
  });

  it('answers 404 when Asterisk no longer has the recording', async () => {
    const b = leg('borrower');
    expect(await server.ari.recordings.delete(b.recording)).toBe(true);
    const res = await get(b.recordingUrl, managerToken);
    expect([res.status, res.body.code]).toEqual([404, 'RECORDING_NOT_FOUND']);
  });
});
