// Authentication and role checks over real HTTP: login, tokens, what each role may do, the error
// shapes (400 with fields, 404, 409).
import { randomUUID } from 'node:crypto';
import { aCampaign, aLead, assignProspect, aUser, CampaignView, createCampaign, createUser, CreatedUser, loginAs, postLead } from '../factories';
import { ADMIN, startServer, TestServer } from '../harness/server';

/** The distinct field names of a 400 answer's `fields`, sorted. */
function fieldNames(body: { fields?: { field: string }[] }): string[] {
  return [...new Set((body.fields ?? []).map((f) => f.field))].sort();
}

describe('auth and roles (real HTTP + SQLite)', () => {
  let server: TestServer;
  let admin: string;
  let manager: CreatedUser;
  let agentA: CreatedUser;
  let agentB: CreatedUser;
  let managerToken: string;
  let agentAToken: string;
  let agentBToken: string;
  let campaign: CampaignView;

  /** Posts a lead and returns the new prospect's id. */
  async function newProspect(): Promise<string> {
    const res = await postLead(server, campaign, aLead());
    expect(res.body.StatusCode).toBe(1);
    return res.body.Data.ProspectId as string;
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    manager = await createUser(server, admin, { role: 'manager' });
    agentA = await createUser(server, admin, { role: 'agent' });
    agentB = await createUser(server, admin, { role: 'agent' });
    [managerToken, agentAToken, agentBToken] = await Promise.all([loginAs(server, manager), loginAs(server, agentA), loginAs(server, agentB)]);
    campaign = await createCampaign(server, admin);
  });

  afterAll(async () => {
    await server.close();
  });

  describe('login', () => {
    it('gives a bearer token for good credentials', async () => {
      const res = await server.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), expiresIn: expect.any(Number), user: { email: ADMIN.email, role: 'admin' } });
      expect(res.body.user).not.toHaveProperty('passwordHash');
    });

    it('accepts the email in another case', async () => {
      const res = await server.request('POST', '/api/auth/login', { body: { email: agentA.email.toUpperCase(), password: agentA.password } });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: agentA.id, role: 'agent' });
    });

    it('answers 401 with the same message for an unknown email and a wrong password', async () => {
      const unknown = await server.request('POST', '/api/auth/login', { body: { email: 'nobody@it.test', password: ADMIN.password } });
      const wrong = await server.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'not-the-password' } });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.body).not.toHaveProperty('accessToken');
    });

    it('answers 400 with fields for a malformed login', async () => {
      const res = await server.request('POST', '/api/auth/login', { body: { email: 'not-an-email' } });
      expect(res.status).toBe(400);
      expect(fieldNames(res.body)).toEqual(['email', 'password']);
    });
  });

  describe('tokens', () => {
    it('refuses a protected route without a token (401)', async () => {
      const res = await server.request('GET', '/api/me');
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/bearer/i);
    });

    it('refuses a garbage or tampered token (401)', async () => {
      for (const token of ['garbage', `${admin.slice(0, -3)}abc`, 'a.b.c']) {
        const res = await server.request('GET', '/api/me', { token });
        expect(res.status).toBe(401);
        expect(res.body.message).toMatch(/invalid or expired/i);
      }
    });

    it('refuses a non-Bearer authorization header (401)', async () => {
      const res = await server.request('GET', '/api/me', { headers: { authorization: `Basic ${Buffer.from(`${ADMIN.email}:${ADMIN.password}`).toString('base64')}` } });
      expect(res.status).toBe(401);
    });

    it('leaves public routes open (health)', async () => {
      const res = await server.request('GET', '/api/health');
      expect([200, 503]).toContain(res.status);
    });
  });

  describe('agent', () => {
    it.each([
      ['GET', '/api/users'],
      ['GET', '/api/campaigns'],
      ['GET', '/api/prospects'],
      ['POST', '/api/users'],
      ['POST', '/api/campaigns'],
      ['GET', '/api/distribution-groups'],
    ])('is refused %s %s (403)', async (method, route) => {
      const res = await server.request(method, route, { token: agentAToken, ...(method === 'POST' ? { body: route === '/api/users' ? aUser() : aCampaign() } : {}) });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('cannot assign a prospect (403), and nothing is assigned', async () => {
      const prospectId = await newProspect();
      const res = await server.request('POST', `/api/prospects/${prospectId}/assign`, { token: agentAToken, body: { userId: agentA.id } });
      expect(res.status).toBe(403);
      const prospect = await server.request('GET', `/api/prospects/${prospectId}`, { token: admin });
      expect(prospect.body.status).toBe('new');
    });

    it('sees only their own applications, and another agent’s is a 404', async () => {
      const [p1, p2, p3] = [await newProspect(), await newProspect(), await newProspect()];
      const a1 = await assignProspect(server, managerToken, p1, agentA.id);
      const a2 = await assignProspect(server, managerToken, p2, agentA.id);
      const b1 = await assignProspect(server, managerToken, p3, agentB.id);

      const mine = await server.request('GET', '/api/applications', { token: agentAToken });
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((a: { id: string }) => a.id).sort()).toEqual([a1, a2].sort());
      expect(mine.body.total).toBe(2);
      expect(mine.body.items.every((a: { primaryAgent: { id: string } }) => a.primaryAgent.id === agentA.id)).toBe(true);

      const own = await server.request('GET', `/api/applications/${a1}`, { token: agentAToken });
      expect(own.status).toBe(200);
      expect(own.body.prospect.id).toBe(p1);

      const others = await server.request('GET', `/api/applications/${b1}`, { token: agentAToken });
      expect(others.status).toBe(404);
      expect(others.body.code).toBe('APPLICATION_NOT_FOUND');
      const unknown = await server.request('GET', `/api/applications/${randomUUID()}`, { token: agentAToken });
      expect(others.body.message.replace(b1, 'ID')).toBe(unknown.body.message.replace(/[0-9a-f-]{36}/, 'ID'));

      const theirs = await server.request('GET', '/api/applications', { token: agentBToken });
      expect(theirs.body.items.map((a: { id: string }) => a.id)).toEqual([b1]);
      // managers and admins see everyone's
      const all = await server.request('GET', '/api/applications', { token: managerToken });
      expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([a1, a2, b1]));
    });

    it('lists only the caller’s own applications with mine=true, for managers too (My applications)', async () => {
      const [p1, p2] = [await newProspect(), await newProspect()];
      const own = await assignProspect(server, managerToken, p1, manager.id);
      const agents = await assignProspect(server, managerToken, p2, agentA.id);

      const mine = await server.request('GET', '/api/applications?mine=true&pageSize=200', { token: managerToken });
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([own]);
      expect(mine.body.total).toBe(1);
      const all = await server.request('GET', '/api/applications?mine=false&pageSize=200', { token: managerToken });
      expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([own, agents]));
      // an agent stays scoped to their own whatever mine says
      const agentAll = await server.request('GET', '/api/applications?mine=false&pageSize=200', { token: agentAToken });
      expect(agentAll.body.items.every((a: { primaryAgent: { id: string } }) => a.primaryAgent.id === agentA.id)).toBe(true);
      expect(agentAll.body.items.map((a: { id: string }) => a.id)).toContain(agents);

      const bad = await server.request('GET', '/api/applications?mine=perhaps', { token: managerToken });
      expect(bad.status).toBe(400);
      expect(fieldNames(bad.body)).toEqual(['mine']);
    });

    it('reads /api/me and toggles the session', async () => {
      const me = await server.request('GET', '/api/me', { token: agentAToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: agentA.id, email: agentA.email, role: 'agent', loggedIn: false, callsOn: false, showIncomingCallDetails: true });
      expect(me.body).not.toHaveProperty('passwordHash');

      const on = await server.request('PATCH', '/api/me/session', { token: agentAToken, body: { loggedIn: true, callsOn: true, showIncomingCallDetails: false } });
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ id: agentA.id, loggedIn: true, callsOn: true, showIncomingCallDetails: false });

      const partly = await server.request('PATCH', '/api/me/session', { token: agentAToken, body: { callsOn: false } });
      expect(partly.body).toMatchObject({ loggedIn: true, callsOn: false, showIncomingCallDetails: false });
      expect((await server.request('GET', '/api/me', { token: agentAToken })).body).toMatchObject({ loggedIn: true, callsOn: false, showIncomingCallDetails: false });
      // only this agent changed
      expect((await server.request('GET', `/api/users/${agentB.id}`, { token: admin })).body).toMatchObject({ loggedIn: false, callsOn: false });

      const bad = await server.request('PATCH', '/api/me/session', { token: agentAToken, body: { loggedIn: 'yes', role: 'admin' } });
      expect(bad.status).toBe(400);
      expect(fieldNames(bad.body)).toEqual(['loggedIn', 'role']);
      expect((await server.request('GET', '/api/me', { token: agentAToken })).body.role).toBe('agent');
    });
  });

  describe('manager', () => {
    it('lists and creates campaigns', async () => {
      const created = await createCampaign(server, managerToken);
      const list = await server.request('GET', '/api/campaigns', { token: managerToken });
      expect(list.status).toBe(200);
      expect(list.body.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([campaign.id, created.id]));
    });

    it('lists users and prospects, and assigns prospects', async () => {
      expect((await server.request('GET', '/api/users', { token: managerToken })).status).toBe(200);
      expect((await server.request('GET', '/api/prospects', { token: managerToken })).status).toBe(200);
      const prospectId = await newProspect();
      const applicationId = await assignProspect(server, managerToken, prospectId, agentB.id);
      const app = await server.request('GET', `/api/applications/${applicationId}`, { token: agentBToken });
      expect(app.body).toMatchObject({ id: applicationId, via: 'manual', primaryAgent: { id: agentB.id } });
    });

    it('is refused creating, changing and deleting users (403)', async () => {
      const create = await server.request('POST', '/api/users', { token: managerToken, body: aUser() });
      expect(create.status).toBe(403);
      expect((await server.request('PATCH', `/api/users/${agentA.id}`, { token: managerToken, body: { role: 'admin' } })).status).toBe(403);
      expect((await server.request('DELETE', `/api/users/${agentA.id}`, { token: managerToken })).status).toBe(403);
      expect((await server.request('GET', `/api/users/${agentA.id}`, { token: admin })).body.role).toBe('agent');
    });
  });

  describe('error shapes', () => {
    it('answers 400 with the offending field names', async () => {
      const cases: [Record<string, unknown>, string[]][] = [
        [aUser({ email: 'not-an-email' }), ['email']],
        [aUser({ password: 'short' }), ['password']],
        [aUser({ favouriteColour: 'blue' }), ['favouriteColour']],
        [aUser({ role: 'superuser', stateLicences: ['TX', 'ZZ'] }), ['role', 'stateLicences']],
      ];
      for (const [body, fields] of cases) {
        const res = await server.request('POST', '/api/users', { token: admin, body });
        expect({ status: res.status, code: res.body.code, fields: fieldNames(res.body) }).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields });
        expect(res.body.message).toMatch(new RegExp(fields[0]));
      }
      const campaignRes = await server.request('POST', '/api/campaigns', { token: admin, body: aCampaign({ distributionType: 'ring_all', ringTimeoutSeconds: 1 }) });
      expect(campaignRes.status).toBe(400);
      expect(fieldNames(campaignRes.body)).toContain('ringTimeoutSeconds');
    });

    it('answers 404 for unknown ids and 400 for malformed ones', async () => {
      for (const route of ['/api/users', '/api/campaigns', '/api/prospects', '/api/applications', '/api/distribution-groups']) {
        const res = await server.request('GET', `${route}/${randomUUID()}`, { token: admin });
        expect({ route, status: res.status }).toEqual({ route, status: 404 });
        expect(res.body.message).toMatch(/not found/);
      }
      const assignUnknown = await server.request('POST', `/api/prospects/${randomUUID()}/assign`, { token: admin, body: { userId: agentA.id } });
      expect(assignUnknown.status).toBe(404);
      const assignToNobody = await server.request('POST', `/api/prospects/${await newProspect()}/assign`, { token: admin, body: { userId: randomUUID() } });
      expect([assignToNobody.status, assignToNobody.body.code]).toEqual([404, 'USER_NOT_FOUND']);
      const malformed = await server.request('GET', '/api/users/not-a-uuid', { token: admin });
      expect(malformed.status).toBe(400);
    });

    it('answers 409 for a duplicate email, in any case', async () => {
      const res = await server.request('POST', '/api/users', { token: admin, body: aUser({ email: agentA.email.toUpperCase() }) });
      expect([res.status, res.body.code]).toEqual([409, 'EMAIL_TAKEN']);
      const renamed = await server.request('PATCH', `/api/users/${agentB.id}`, { token: admin, body: { email: agentA.email } });
      expect(renamed.status).toBe(409);
    });

    it('answers 409 for assigning an already-assigned prospect, and keeps the first assignment', async () => {
      const prospectId = await newProspect();
      const applicationId = await assignProspect(server, managerToken, prospectId, agentA.id);
      const again = await server.request('POST', `/api/prospects/${prospectId}/assign`, { token: admin, body: { userId: agentB.id } });
      expect([again.status, again.body.code]).toEqual([409, 'LEAD_ALREADY_ASSIGNED']);
      expect(again.body.message).toContain(applicationId);
      const app = await server.request('GET', `/api/applications/${applicationId}`, { token: admin });
      expect(app.body.primaryAgent.id).toBe(agentA.id);
    });

    it('gives exactly one winner to concurrent assignments of one prospect', async () => {
      const prospectId = await newProspect();
      const answers = await Promise.all([agentA, agentB, manager, agentA, agentB].map((u) => server.request('POST', `/api/prospects/${prospectId}/assign`, { token: managerToken, body: { userId: u.id } })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });
  });

  describe('user deletion and role changes take effect at once', () => {
    it('a deleted user’s token stops working (401)', async () => {
      const temp = await createUser(server, admin, { role: 'manager' });
      const token = await loginAs(server, temp);
      expect((await server.request('GET', '/api/me', { token })).status).toBe(200);
      const del = await server.request('DELETE', `/api/users/${temp.id}`, { token: admin });
      expect(del.status).toBe(204);
      const after = await server.request('GET', '/api/me', { token });
      expect(after.status).toBe(401);
      expect((await server.request('GET', '/api/campaigns', { token })).status).toBe(401);
      const relogin = await server.request('POST', '/api/auth/login', { body: { email: temp.email, password: temp.password } });
      expect(relogin.status).toBe(401);
      expect((await server.request('GET', `/api/users/${temp.id}`, { token: admin })).status).toBe(404);
    });

    it('an agent who owns applications cannot be deleted (409) and keeps working', async () => {
      const res = await server.request('DELETE', `/api/users/${agentB.id}`, { token: admin });
      expect([res.status, res.body.code]).toEqual([409, 'CONFLICT']);
      expect(res.body.message).toMatch(/reassign/i);
      expect((await server.request('GET', '/api/me', { token: agentBToken })).status).toBe(200);
      expect((await server.request('GET', '/api/applications', { token: agentBToken })).body.total).toBeGreaterThan(0);
    });

    it('a demoted manager loses manager rights with the same token', async () => {
      const temp = await createUser(server, admin, { role: 'manager' });
      const token = await loginAs(server, temp);
      expect((await server.request('GET', '/api/campaigns', { token })).status).toBe(200);
      expect((await server.request('PATCH', `/api/users/${temp.id}`, { token: admin, body: { role: 'agent' } })).status).toBe(200);
      expect((await server.request('GET', '/api/campaigns', { token })).status).toBe(403);
    });

    it('an admin cannot delete themselves (409)', async () => {
      const me = await server.request('GET', '/api/me', { token: admin });
      const res = await server.request('DELETE', `/api/users/${me.body.id}`, { token: admin });
      expect(res.status).toBe(409);
    });
  });
});
