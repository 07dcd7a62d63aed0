// Action Post (PRODUCT.md §1) over real HTTP against a real SQLite file (or, with
// LEADLINE_TEST_DB=postgres, a real PostgreSQL database): the four answers, keys,
// form posts, per-campaign matching, concurrent duplicates, every bad-input class, the rate limit.
import { parse } from 'csv-parse/sync';
import { aConsent, aLead, aPhone, asForm, assignProspect, CampaignView, createCampaign, createUser, CreatedUser, loginAs, phoneAs, postLead, prospectCount } from '../factories';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { startServer, TestServer } from '../harness/server';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The exact success envelope: four keys, Data with exactly ProspectId and ApplicationId. */
function expectEnvelope(body: any, statusCode: 1 | 2): void {
  expect(Object.keys(body).sort()).toEqual(['Data', 'Message', 'ResponseDate', 'StatusCode']);
  expect(body.StatusCode).toBe(statusCode);
  expect(Object.keys(body.Data).sort()).toEqual(['ApplicationId', 'ProspectId']);
  expect(body.Data.ProspectId).toMatch(UUID);
  expect(typeof body.Message).toBe('string');
  expect(body.Message.length).toBeGreaterThan(0);
  expect(body.ResponseDate).toMatch(ISO_UTC);
  expect(Math.abs(Date.parse(body.ResponseDate) - Date.now())).toBeLessThan(60_000);
}

/** A refusal: the envelope with StatusCode 0, a clear message and no ids. */
function expectRefusal(res: { status: number; body: any }, status: number, message: RegExp): void {
  expect({ status: res.status, message: res.body?.Message }).toEqual({ status, message: expect.stringMatching(message) });
  expect(Object.keys(res.body).sort()).toEqual(['Data', 'Message', 'ResponseDate', 'StatusCode']);
  expect(res.body.StatusCode).toBe(0);
  expect(res.body.ResponseDate).toMatch(ISO_UTC);
  if (res.body.Data !== null) {
    expect(res.body.Data.ProspectId).toBeNull();
    expect(res.body.Data.ApplicationId).toBeNull();
  }
}

describe('Action Post (real HTTP + SQLite)', () => {
  let server: TestServer;
  let admin: string;
  let agent: CreatedUser;
  let campaign: CampaignView;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    agent = await createUser(server, admin, { role: 'agent' });
    campaign = await createCampaign(server, admin);
  });

  afterAll(async () => {
    await server.close();
  });

  describe('the four scenarios', () => {
    const mobile = '+15125550142';
    const home = '+15125550143';
    let prospectId: string;
    let applicationId: string;
    let updateBody: Record<string, unknown>;

    it('(1) a new lead creates a prospect: StatusCode 1, ProspectId, no ApplicationId', async () => {
      const before = await prospectCount(server, admin);
      const res = await postLead(server, campaign, aLead({ MobilePhone: phoneAs(mobile, 'national'), HomePhone: phoneAs(home, 'dashes'), FirstName: 'Ada' }));
      expect(res.status).toBe(200);
      expectEnvelope(res.body, 1);
      expect(res.body.Data.ApplicationId).toBeNull();
      prospectId = res.body.Data.ProspectId;
      expect(await prospectCount(server, admin)).toBe(before + 1);

      const stored = await server.request('GET', `/api/prospects/${prospectId}`, { token: admin });
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ id: prospectId, campaignId: campaign.id, mobilePhone: mobile, homePhone: home, firstName: 'Ada', propertyState: 'TX', loanPurpose: 'purchase', loanAmount: 350000, status: 'new' });
    });

    it('(3) the same phone while unassigned, however it is written or on whichever field, matches the prospect', async () => {
      const before = await prospectCount(server, admin);
      const variants = [
        aLead({ MobilePhone: phoneAs(mobile, 'e164') }),
        aLead({ MobilePhone: phoneAs(mobile, 'dots') }),
        aLead({ MobilePhone: phoneAs(mobile, 'digits') }),
        // matched by the home phone alone, next to a mobile it never had
        aLead({ HomePhone: phoneAs(home, 'national') }),
        aLead({ MobilePhone: undefined, HomePhone: phoneAs(home, 'e164') }),
      ];
      for (const lead of variants) {
        const res = await postLead(server, campaign, lead);
        expect(res.status).toBe(200);
        expectEnvelope(res.body, 1);
        expect(res.body.Data).toEqual({ ProspectId: prospectId, ApplicationId: null });
      }
      expect(await prospectCount(server, admin)).toBe(before);
    });

    it('(2) once assigned, a post with a changed field updates the application: StatusCode 1 with ApplicationId', async () => {
      applicationId = await assignProspect(server, admin, prospectId, agent.id);
      const before = await prospectCount(server, admin);

      updateBody = aLead({ MobilePhone: phoneAs(mobile, 'e164'), FirstName: 'Augusta', LoanAmount: '$420,000', LeadProvider: 'LendingTree', CreditRating: 'Excellent' });
      const res = await postLead(server, campaign, updateBody);
      expect(res.status).toBe(200);
      expectEnvelope(res.body, 1);
      expect(res.body.Data).toEqual({ ProspectId: prospectId, ApplicationId: applicationId });
      expect(await prospectCount(server, admin)).toBe(before);

      const app = await server.request('GET', `/api/applications/${applicationId}`, { token: admin });
      expect(app.status).toBe(200);
      expect(app.body).toMatchObject({ id: applicationId, primaryAgent: { id: agent.id }, prospect: { id: prospectId, firstName: 'Augusta', loanAmount: 420000, leadProvider: 'LendingTree', mobilePhone: mobile, homePhone: home, status: 'assigned', extra: { CreditRating: 'Excellent' } } });
    });

    it('(4) the same post again changes nothing: StatusCode 2', async () => {
      const res = await postLead(server, campaign, updateBody);
      expect(res.status).toBe(200);
      expectEnvelope(res.body, 2);
      expect(res.body.Data).toEqual({ ProspectId: prospectId, ApplicationId: applicationId });
      const app = await server.request('GET', `/api/applications/${applicationId}`, { token: admin });
      expect(app.body.prospect).toMatchObject({ firstName: 'Augusta', loanAmount: 420000, email: updateBody.Email });
    });

    it('(4) a post that only repeats known fields, by the home phone, is also StatusCode 2', async () => {
      const res = await postLead(server, campaign, { HomePhone: phoneAs(home, 'dots'), FirstName: 'Augusta' });
      expect(res.status).toBe(200);
      expectEnvelope(res.body, 2);
      expect(res.body.Data).toEqual({ ProspectId: prospectId, ApplicationId: applicationId });
    });
  });

  it('updates an application back to a phone it had before (the phone is still in its match index)', async () => {
    const [a, b, c] = [aPhone(), aPhone(), aPhone()];
    const created = await postLead(server, campaign, aLead({ MobilePhone: phoneAs(a, 'national'), HomePhone: c }));
    const applicationId = await assignProspect(server, admin, created.body.Data.ProspectId, agent.id);

    const toB = await postLead(server, campaign, { MobilePhone: b, HomePhone: c });
    expect([toB.status, toB.body.StatusCode, toB.body.Data?.ApplicationId]).toEqual([200, 1, applicationId]);
    const backToA = await postLead(server, campaign, { MobilePhone: a, HomePhone: c });
    expect([backToA.status, backToA.body.StatusCode, backToA.body.Data?.ApplicationId, backToA.body.Message]).toEqual([200, 1, applicationId, expect.any(String)]);
    const app = await server.request('GET', `/api/applications/${applicationId}`, { token: admin });
    expect(app.body.prospect).toMatchObject({ mobilePhone: a, homePhone: c });
    // every phone it ever had still finds it
    for (const phone of [a, b, c]) expect((await postLead(server, campaign, { MobilePhone: phone })).body.Data?.ApplicationId).toBe(applicationId);
  });

  it('takes the key from X-Api-Key or from ?key=', async () => {
    const viaHeader = await postLead(server, campaign, aLead(), { keyIn: 'header' });
    const viaQuery = await postLead(server, campaign, aLead(), { keyIn: 'query' });
    expect([viaHeader.status, viaHeader.body.StatusCode, viaQuery.status, viaQuery.body.StatusCode]).toEqual([200, 1, 200, 1]);
    expect(viaQuery.body.Data.ProspectId).not.toBe(viaHeader.body.Data.ProspectId);
    // the URL shown to admins is exactly what a vendor can post to
    const url = new URL(campaign.actionPostUrl);
    expect(url.pathname).toBe(`/api/action-post/${campaign.id}`);
    expect(url.searchParams.get('key')).toBe(campaign.apiKey);
  });

  it('accepts a form-urlencoded body', async () => {
    const lead = aLead({ state: 'CA', LoanPurpose: 'Cash Out Refi', LoanAmount: '275000', CreditRating: 'Good' });
    const res = await postLead(server, campaign, undefined, { raw: { body: asForm(lead), contentType: 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expectEnvelope(res.body, 1);
    const stored = await server.request('GET', `/api/prospects/${res.body.Data.ProspectId}`, { token: admin });
    expect(stored.body).toMatchObject({ firstName: lead.FirstName, propertyState: 'CA', loanPurpose: 'cash_out_refinance', loanAmount: 275000, extra: { CreditRating: 'Good' } });
  });

  it('matches only within a campaign: the same phone in another campaign is a new prospect', async () => {
    const other = await createCampaign(server, admin);
    const lead = aLead();
    const first = await postLead(server, campaign, lead);
    const before = await prospectCount(server, admin);
    const second = await postLead(server, other, lead);
    expect(second.status).toBe(200);
    expectEnvelope(second.body, 1);
    expect(second.body.Data.ProspectId).not.toBe(first.body.Data.ProspectId);
    expect(await prospectCount(server, admin)).toBe(before + 1);
    expect(await prospectCount(server, admin, other.id)).toBe(1);
  });

  it('stores exactly one prospect for 20 concurrent posts of the same lead', async () => {
    const lead = aLead();
    const before = await prospectCount(server, admin);
    const answers = await Promise.all(Array.from({ length: 20 }, () => postLead(server, campaign, lead)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.StatusCode)).toEqual(Array(20).fill(1));
    const ids = new Set(answers.map((a) => a.body.Data.ProspectId));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.body.Data.ApplicationId === null)).toBe(true);
    expect(await prospectCount(server, admin)).toBe(before + 1);
  });

  it('stores exactly one prospect per lead when two servers on the same database take its posts at once', async () => {
    // Two processes' batches race (the PostgreSQL scale-out case): the unique (campaign, phone)
    // index stops the second insert, and the retry finds the first server's prospect.
    const second = await startServer({ LEADLINE_DATA_DIR: server.config.dataDir });
    try {
      const leads = Array.from({ length: 5 }, () => aLead());
      const before = await prospectCount(server, admin);
      const answers = await Promise.all(leads.flatMap((lead) => Array.from({ length: 10 }, (_, i) => postLead(i % 2 ? second : server, campaign, lead))));
      expect(answers.map((a) => [a.status, a.body.StatusCode])).toEqual(Array(50).fill([200, 1]));
      for (let l = 0; l < leads.length; l++) expect(new Set(answers.slice(l * 10, l * 10 + 10).map((a) => a.body.Data.ProspectId)).size).toBe(1);
      expect(await prospectCount(server, admin)).toBe(before + leads.length);
    } finally {
      await second.close();
    }
  });

  describe('consent evidence (docs/compliance.md): stored as posted, shown with the lead, exported, never overwritten', () => {
    const mobile = aPhone();
    const consent = aConsent();
    let prospectId: string;
    let applicationId: string;
    const consentOf = async (id: string) => (await server.request('GET', `/api/prospects/${id}`, { token: admin })).body.consent;
    const expected = {
      text: consent.ConsentText,
      timestamp: '2026-12-01T09:03:22-05:00',
      at: '2026-12-01T14:03:22.000Z',
      sourceUrl: consent.ConsentSourceUrl,
      ip: '203.0.113.7',
      certificate: consent.xxTrustedFormCertUrl,
      receivedAt: expect.stringMatching(ISO_UTC),
    };

    it('(1) a new lead keeps every consent field exactly as posted, apart from its free-form extras', async () => {
      const res = await postLead(server, campaign, aLead({ MobilePhone: mobile, ...consent, Note: 'an extra' }));
      expectEnvelope(res.body, 1);
      prospectId = res.body.Data.ProspectId;
      const stored = await server.request('GET', `/api/prospects/${prospectId}`, { token: admin });
      expect(stored.body.consent).toEqual(expected);
      expect(stored.body.extra).toEqual({ Note: 'an extra' });
      expect(Math.abs(Date.parse(stored.body.consent.receivedAt) - Date.now())).toBeLessThan(60_000);
    });

    it('(3) a later post while unassigned, with other consent, changes nothing', async () => {
      const res = await postLead(server, campaign, aLead({ MobilePhone: mobile, ...aConsent({ IpAddress: '198.51.100.9', ConsentText: 'other words' }) }));
      expectEnvelope(res.body, 1);
      expect(res.body.Data).toEqual({ ProspectId: prospectId, ApplicationId: null });
      expect(await consentOf(prospectId)).toEqual(expected);
    });

    it('(2) a later post that updates the application keeps the first consent', async () => {
      applicationId = await assignProspect(server, admin, prospectId, agent.id);
      const res = await postLead(server, campaign, { MobilePhone: mobile, FirstName: 'Grace', ...aConsent({ ConsentTimestamp: '1764597802', xxTrustedFormCertUrl: undefined, universal_leadid: 'F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F' }) });
      expectEnvelope(res.body, 1);
      expect(res.body.Message).toBe('Application updated: firstName');
      const app = await server.request('GET', `/api/applications/${applicationId}`, { token: admin });
      expect(app.body.prospect).toMatchObject({ firstName: 'Grace', consent: expected });
    });

    it('(4) a later post that carries only other consent is StatusCode 2 and changes nothing', async () => {
      const res = await postLead(server, campaign, { MobilePhone: mobile, ...aConsent({ ConsentText: 'yet other words' }) });
      expectEnvelope(res.body, 2);
      expect(await consentOf(prospectId)).toEqual(expected);
    });

    it('adds consent to an unassigned prospect that had none, once, changing nothing else', async () => {
      const phone = aPhone();
      const created = await postLead(server, campaign, aLead({ MobilePhone: phone, FirstName: 'Lin' }));
      const id = created.body.Data.ProspectId as string;
      const late = aConsent();
      const res = await postLead(server, campaign, aLead({ MobilePhone: phone, FirstName: 'Other', ...late }));
      expectEnvelope(res.body, 1);
      expect(res.body.Data).toEqual({ ProspectId: id, ApplicationId: null });
      const stored = (await server.request('GET', `/api/prospects/${id}`, { token: admin })).body;
      expect(stored).toMatchObject({ firstName: 'Lin', consent: { ...expected, sourceUrl: late.ConsentSourceUrl, certificate: late.xxTrustedFormCertUrl } });
      await postLead(server, campaign, aLead({ MobilePhone: phone, ...aConsent({ ConsentText: 'later words' }) }));
      expect((await consentOf(id)).text).toBe(late.ConsentText);
    });

    it('adds consent to an application that had none, once (form-urlencoded)', async () => {
      const phone = aPhone();
      const created = await postLead(server, campaign, aLead({ MobilePhone: phone }));
      const id = created.body.Data.ProspectId as string;
      expect(await consentOf(id)).toBeNull();
      await assignProspect(server, admin, id, agent.id);
      const late = aConsent({ ConsentTimestamp: '2026-12-02 10:00:00' });
      const res = await postLead(server, campaign, null, { raw: { body: asForm({ MobilePhone: phone, ...late }), contentType: 'application/x-www-form-urlencoded' } });
      expectEnvelope(res.body, 1);
      expect(res.body.Message).toBe('Application updated: consent');
      const first = { ...expected, text: late.ConsentText, timestamp: '2026-12-02 10:00:00', at: null, sourceUrl: late.ConsentSourceUrl, certificate: late.xxTrustedFormCertUrl };
      expect(await consentOf(id)).toEqual(first);
      const again = await postLead(server, campaign, { MobilePhone: phone, ...aConsent() });
      expectEnvelope(again.body, 2);
      expect(await consentOf(id)).toEqual(first);
    });

    it('refuses a post whose consent fields are invalid (400 naming each), storing nothing', async () => {
      const before = await prospectCount(server, admin);
      const res = await postLead(server, campaign, aLead({ ...aConsent({ IpAddress: '999.1.1.1', ConsentSourceUrl: 'javascript:alert(1)', ConsentTimestamp: 'yesterday' }) }));
      expectRefusal(res, 400, /Lead refused/);
      expect(res.body.Data.Errors.map((e: { field: string }) => e.field).sort()).toEqual(['consentIp', 'consentSourceUrl', 'consentTimestamp']);
      expect(await prospectCount(server, admin)).toBe(before);
    });

    it('exports the lead with its consent evidence (CSV, admins and managers only)', async () => {
      const res = await fetch(`${server.url}/api/prospects/export?campaignId=${campaign.id}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="leads.csv"');
      const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
      const row = rows.find((r) => r.id === prospectId);
      expect(row).toMatchObject({
        mobilePhone: mobile,
        firstName: 'Grace',
        consentText: consent.ConsentText,
        consentTimestamp: '2026-12-01T09:03:22-05:00',
        consentAt: '2026-12-01T14:03:22.000Z',
        consentSourceUrl: consent.ConsentSourceUrl,
        consentIp: '203.0.113.7',
        consentCertificate: consent.xxTrustedFormCertUrl,
      });
      expect(rows.every((r) => r.campaignName === campaign.name)).toBe(true);
      const agentToken = await loginAs(server, agent);
      expect((await fetch(`${server.url}/api/prospects/export`, { headers: { authorization: `Bearer ${agentToken}` } })).status).toBe(403);
    });
  });

  describe('bad input gets a 4xx envelope with a clear message and stores nothing', () => {
    let before: number;
    beforeEach(async () => {
      before = await prospectCount(server, admin);
    });
    afterEach(async () => {
      expect(await prospectCount(server, admin)).toBe(before);
    });

    it('unknown campaign → 404', async () => {
      const res = await postLead(server, { id: '7d0c8a3e-2b7f-4c39-9a53-0f7a1f7f0e11', apiKey: campaign.apiKey }, aLead());
      expectRefusal(res, 404, /campaign .* not found/i);
    });

    it('malformed campaign id → 404', async () => {
      const res = await postLead(server, { id: 'not-a-campaign', apiKey: campaign.apiKey }, aLead());
      expectRefusal(res, 404, /campaign .* not found/i);
    });

    it('missing key → 401', async () => {
      expectRefusal(await postLead(server, campaign, aLead(), { keyIn: 'none' }), 401, /missing campaign key/i);
    });

    it('wrong key → 401 (header or query)', async () => {
      expectRefusal(await postLead(server, campaign, aLead(), { key: 'wrong-key' }), 401, /key is wrong/i);
      expectRefusal(await postLead(server, campaign, aLead(), { key: `${campaign.apiKey}x`, keyIn: 'query' }), 401, /key is wrong/i);
    });

    it('rotated key → the old key gets 401, the new one works', async () => {
      const own = await createCampaign(server, admin);
      const rotated = await server.request('POST', `/api/campaigns/${own.id}/rotate-key`, { token: admin });
      expect(rotated.status).toBe(201);
      expect(rotated.body.apiKey).not.toBe(own.apiKey);
      expectRefusal(await postLead(server, own, aLead()), 401, /key is wrong/i);
      expect(await prospectCount(server, admin)).toBe(before);
      const ok = await postLead(server, { id: own.id, apiKey: rotated.body.apiKey }, aLead());
      expect(ok.body.StatusCode).toBe(1);
      before += 1; // the one accepted post
    });

    it('malformed JSON → 400', async () => {
      const res = await postLead(server, campaign, undefined, { raw: { body: '{"FirstName": "Ada", "MobilePhone": ', contentType: 'application/json' } });
      expectRefusal(res, 400, /not valid JSON/i);
    });

    it('a JSON array → 400', async () => {
      const res = await postLead(server, campaign, [aLead(), aLead()]);
      expectRefusal(res, 400, /body/i);
      expect(res.body.Data.Errors).toEqual([expect.objectContaining({ field: 'body' })]);
    });

    it('no usable phone → 400 with field errors', async () => {
      const none = await postLead(server, campaign, aLead({ MobilePhone: undefined }));
      expectRefusal(none, 400, /phone/i);
      expect(none.body.Data.Errors).toEqual([expect.objectContaining({ field: 'mobilePhone', message: expect.stringMatching(/at least one phone/) })]);

      const bad = await postLead(server, campaign, aLead({ MobilePhone: '(512) 123-4567', HomePhone: 'call me' }));
      expectRefusal(bad, 400, /phone/i);
      expect(bad.body.Data.Errors.map((e: { field: string }) => e.field).sort()).toEqual(['homePhone', 'mobilePhone']);
    });

    it('invalid state (and other invalid fields) → 400 listing each field', async () => {
      const res = await postLead(server, campaign, aLead({ PropertyState: 'XX', Email: 'not-an-email', LoanAmount: 'lots' }));
      expectRefusal(res, 400, /propertyState/);
      expect(res.body.Data.Errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'loanAmount', 'propertyState']);
    });

    it('oversized body (> 64kb) → 413', async () => {
      const res = await postLead(server, campaign, aLead({ Notes: 'x'.repeat(70 * 1024) }));
      expectRefusal(res, 413, /larger than 64kb/i);
    });

    it('unsupported content type (text/plain) → 415', async () => {
      const res = await postLead(server, campaign, undefined, { raw: { body: JSON.stringify(aLead()), contentType: 'text/plain' } });
      expect(res.status).toBe(415);
      expectRefusal(res, res.status, /application\/json or application\/x-www-form-urlencoded/);
    });

    it('a field holding an object or a list → 400 naming the field', async () => {
      const res = await postLead(server, campaign, { ...aLead(), FirstName: { first: 'Ada' } });
      expectRefusal(res, 400, /FirstName/);
      expect(res.body.Data.Errors).toEqual([expect.objectContaining({ field: 'FirstName' })]);
    });
  });
});

describe('Action Post rate limit (ACTION_POST_RATE_LIMIT=5, ACTION_POST_BAD_KEY_LIMIT=3, no TRUST_PROXY)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ ACTION_POST_RATE_LIMIT: '5', ACTION_POST_BAD_KEY_LIMIT: '3' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers the 6th post of a minute with 429 in the envelope, per campaign', async () => {
    const admin = await server.login();
    const campaign = await createCampaign(server, admin);
    const other = await createCampaign(server, admin);
    for (let i = 0; i < 5; i++) {
      const res = await postLead(server, campaign, aLead());
      expect([res.status, res.body.StatusCode]).toEqual([200, 1]);
    }
    const before = await prospectCount(server, admin);
    const sixth = await postLead(server, campaign, aLead());
    expectRefusal(sixth, 429, /too many/i);
    expect(await prospectCount(server, admin)).toBe(before);
    // another campaign has its own budget
    const elsewhere = await postLead(server, other, aLead());
    expect([elsewhere.status, elsewhere.body.StatusCode]).toEqual([200, 1]);
  });

  it('counts the real client, not an address the client writes into X-Forwarded-For (no TRUST_PROXY)', async () => {
    const admin = await server.login();
    const campaign = await createCampaign(server, admin);
    for (let i = 0; i < 3; i++) expectRefusal(await postLead(server, campaign, aLead(), { key: `guess-${i}`, headers: { 'x-forwarded-for': `198.51.100.${i}` } }), 401, /wrong/i);
    expectRefusal(await postLead(server, campaign, aLead(), { key: 'guess-3', headers: { 'x-forwarded-for': '198.51.100.3' } }), 429, /too many refused posts/i);
  });
});

describe('Action Post budgets as an attacker meets them (ACTION_POST_RATE_LIMIT=5, ACTION_POST_BAD_KEY_LIMIT=3)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    // The test client is its own proxy here: X-Forwarded-For names the "client" address.
    server = await startServer({ ACTION_POST_RATE_LIMIT: '5', ACTION_POST_BAD_KEY_LIMIT: '3', TRUST_PROXY: '127.0.0.1' });
    admin = await server.login();
  });

  afterAll(async () => {
    await server.close();
  });

  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('key-less, wrong-key and unknown-campaign posts never spend the campaign budget of the right key', async () => {
    const campaign = await createCampaign(server, admin);
    // Twenty refused posts from many addresses: none counts against the campaign.
    for (let i = 0; i < 10; i++) {
      expectRefusal(await postLead(server, campaign, aLead(), { keyIn: 'none', ...from(`198.51.100.${i}`) }), 401, /missing campaign key/i);
      expectRefusal(await postLead(server, campaign, aLead(), { key: 'wrong-key', ...from(`198.51.100.${i}`) }), 401, /wrong/i);
    }
    expectRefusal(await postLead(server, { id: '00000000-0000-4000-8000-000000000000', apiKey: campaign.apiKey }, aLead(), from('198.51.100.50')), 404, /not found/i);
    expectRefusal(await postLead(server, { id: 'not-a-uuid', apiKey: campaign.apiKey }, aLead(), from('198.51.100.51')), 404, /not found/i);
    // The vendor's five posts of the minute all go through (header and ?key= alike).
    for (let i = 0; i < 5; i++) {
      const res = await postLead(server, campaign, aLead(), { keyIn: i % 2 ? 'query' : 'header', ...from('203.0.113.10') });
      expect([res.status, res.body.StatusCode]).toEqual([200, 1]);
    }
    expectRefusal(await postLead(server, campaign, aLead(), from('203.0.113.10')), 429, /too many posts to this campaign/i);
  });

  it('an address that keeps sending wrong keys gets 429, while the right key from the same address still goes through', async () => {
    const campaign = await createCampaign(server, admin);
    for (let i = 0; i < 3; i++) expectRefusal(await postLead(server, campaign, aLead(), { key: `guess-${i}`, ...from('192.0.2.66') }), 401, /wrong/i);
    const before = await prospectCount(server, admin);
    expectRefusal(await postLead(server, campaign, aLead(), { key: 'guess-4', ...from('192.0.2.66') }), 429, /too many refused posts/i);
    // Unknown campaigns cost that address too (scanning for ids), not anyone else.
    expectRefusal(await postLead(server, { id: '00000000-0000-4000-8000-000000000001', apiKey: 'x' }, aLead(), from('192.0.2.66')), 429, /too many refused posts/i);
    expect(await prospectCount(server, admin)).toBe(before);
    expectRefusal(await postLead(server, campaign, aLead(), { key: 'guess-5', ...from('192.0.2.67') }), 401, /wrong/i);
    const right = await postLead(server, campaign, aLead(), from('192.0.2.66'));
    expect([right.status, right.body.StatusCode]).toEqual([200, 1]);
  });
});

/**
 * A server's post (no Origin header) takes the Action Post lane (action-post.lane.ts), ahead of the
 * general stack; a browser's post (with an Origin) goes through the general stack and the
 * controller. Every kind of post below is sent both ways: the same status, the same envelope, the
 * same headers, and nothing stored for a refusal.
 */
describe('Action Post: the lane and the general stack answer alike', () => {
  const ORIGIN = 'https://vendor.example';
  /** Headers that differ between two answers for reasons of their own (time, size, connection). */
  const OWN_HEADERS = new Set(['date', 'content-length', 'etag', 'connection', 'keep-alive']);
  let server: TestServer;
  let admin: string;
  let campaign: CampaignView;

  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: 'info' });
    admin = await server.login();
    campaign = await createCampaign(server, admin);
  });

  afterAll(async () => {
    await server.close();
  });

  interface Post {
    path?: string;
    key?: string | null;
    keyInQuery?: boolean;
    body?: string;
    contentType?: string;
  }

  async function send(post: Post, origin?: string) {
    const key = post.key === undefined ? campaign.apiKey : post.key;
    const path = post.path ?? `/api/action-post/${campaign.id}`;
    const res = await fetch(`${server.url}${path}${post.keyInQuery && key ? `?key=${encodeURIComponent(key)}` : ''}`, {
      method: 'POST',
      headers: {
        ...(post.contentType ? { 'content-type': post.contentType } : {}),
        ...(key && !post.keyInQuery ? { 'x-api-key': key } : {}),
        ...(origin ? { origin } : {}),
      },
      body: post.body,
    });
    const headers = Object.fromEntries([...res.headers].filter(([name]) => !OWN_HEADERS.has(name)));
    return { status: res.status, headers, body: JSON.parse(await res.text()) };
  }

  /** The envelope without what differs by nature: the time, and the new prospect's id. */
  const comparable = (body: any) => ({ ...body, ResponseDate: typeof body.ResponseDate, Data: body.Data && { ...body.Data, ProspectId: typeof body.Data.ProspectId } });

  const json = 'application/json';
  const posts: [string, (() => Post), number][] = [
    ['a new lead (JSON)', () => ({ body: JSON.stringify(aLead()), contentType: json }), 200],
    ['a new lead (form), key in the query', () => ({ body: asForm(aLead()), contentType: 'application/x-www-form-urlencoded', keyInQuery: true }), 200],
    ['malformed JSON', () => ({ body: '{"FirstName": ', contentType: json }), 400],
    ['a JSON array', () => ({ body: JSON.stringify([aLead()]), contentType: json }), 400],
    ['invalid fields', () => ({ body: JSON.stringify(aLead({ PropertyState: 'XX', Email: 'nope' })), contentType: json }), 400],
    ['no key', () => ({ body: JSON.stringify(aLead()), contentType: json, key: null }), 401],
    ['a wrong key in the query', () => ({ body: JSON.stringify(aLead()), contentType: json, key: 'wrong', keyInQuery: true }), 401],
    ['an unknown campaign', () => ({ path: '/api/action-post/7d0c8a3e-2b7f-4c39-9a53-0f7a1f7f0e11', body: JSON.stringify(aLead()), contentType: json }), 404],
    ['an oversized body', () => ({ body: JSON.stringify(aLead({ Notes: 'x'.repeat(70 * 1024) })), contentType: json }), 413],
    ['text/plain', () => ({ body: JSON.stringify(aLead()), contentType: 'text/plain' }), 415],
    ['no body and no content type', () => ({}), 415],
    ['a charset other than UTF-8', () => ({ body: JSON.stringify(aLead()), contentType: 'application/json; charset=koi8-r' }), 415],
  ];

  it.each(posts)('%s', async (_name, make, status) => {
    const before = await prospectCount(server, admin);
    const lane = await send(make());
    const general = await send(make(), ORIGIN);
    expect(lane.status).toBe(status);
    expect(general.status).toBe(status);
    expect(comparable(lane.body)).toEqual(comparable(general.body));
    expect(lane.headers).toEqual(general.headers);
    expect(lane.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await prospectCount(server, admin)).toBe(before + (status === 200 ? 2 : 0));
  });

  it("a server's post takes the lane, a browser's the general stack; the lane logs its line, key redacted", async () => {
    // The lane writes its access line on the root logger; the general stack's request logger
    // (pino-http) writes on a child of it, so only the lane's line is seen here.
    const info = jest.spyOn(PinoLogger.root, 'info');
    try {
      const lane = await send({ body: JSON.stringify(aLead()), contentType: json, keyInQuery: true });
      expect(lane.body.StatusCode).toBe(1);
      const general = await send({ body: JSON.stringify(aLead()), contentType: json, keyInQuery: true }, ORIGIN);
      expect(general.body.StatusCode).toBe(1);
      const lines = info.mock.calls.filter(([, msg]) => msg === 'request completed');
      expect(lines).toHaveLength(1);
      // As written: through the logger's own serializers (pino-http's), as every other request's line.
      const serializers = (PinoLogger.root as unknown as Record<symbol, Record<string, (v: unknown) => unknown>>)[pino.symbols.serializersSym];
      const [fields] = lines[0] as [{ req: unknown; res: unknown; responseTime: unknown }];
      expect(serializers.req(fields.req)).toEqual({ id: expect.any(Number), method: 'POST', url: `/api/action-post/${campaign.id}?key=[redacted]` });
      expect(serializers.res(fields.res)).toMatchObject({ statusCode: 200 });
      expect(fields.responseTime).toEqual(expect.any(Number));
    } finally {
      info.mockRestore();
    }
  });
});
