// Org-wide settings over real HTTP + the database: the office time zone and the dialling policy
// (with the 911 caller ID), whether agents are told of monitoring — defaults, partial updates, refusals that change nothing, roles.
import { createUser, loginAs } from '../factories';
import { startServer, TestServer } from '../harness/server';

describe('org settings (real HTTP)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
  });

  afterAll(async () => {
    await server.close();
  });

  const org = async () => (await server.request('GET', '/api/org', { token: admin })).body;

  it('starts on US Eastern time and a domestic-only dialling policy', async () => {
    expect(await org()).toMatchObject({
      timeZone: 'America/New_York',
      dialling: { allowInternational: false, allowPremium: false, allowN11: false },
      emergencyCallerId: null,
      // Silent monitoring: agents are not told when a manager listens in.
      monitorNoticeToAgent: false,
    });
  });

  it('saves the time zone, a part of the dialling policy and the 911 caller ID', async () => {
    const res = await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: 'America/Chicago', dialling: { allowN11: true }, emergencyCallerId: '(512) 555-0100' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'America/Chicago', dialling: { allowInternational: false, allowPremium: false, allowN11: true }, emergencyCallerId: '+15125550100' });
    // Only what was sent changes.
    await server.request('PATCH', '/api/org', { token: admin, body: { dialling: { allowPremium: true } } });
    expect(await org()).toMatchObject({ timeZone: 'America/Chicago', dialling: { allowInternational: false, allowPremium: true, allowN11: true } });
    await server.request('PATCH', '/api/org', { token: admin, body: { monitorNoticeToAgent: true } });
    expect(await org()).toMatchObject({ timeZone: 'America/Chicago', monitorNoticeToAgent: true, emergencyCallerId: '+15125550100' });
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ dialling: { allowInternational: 'yes' } }, 'dialling.allowInternational'],
    [{ emergencyCallerId: '911' }, 'emergencyCallerId'],
    [{ monitorNoticeToAgent: 'yes' }, 'monitorNoticeToAgent'],
  ])('refuses %j with a 400 naming %s, and changes nothing', async (body, field) => {
    const before = await org();
    const res = await server.request('PATCH', '/api/org', { token: admin, body });
    expect(res.status).toBe(400);
    expect((res.body.fields as { field: string }[]).map((f) => f.field)).toContain(field);
    expect(await org()).toEqual(before);
  });

  it('lets managers and agents read the settings but only admins change them', async () => {
    const manager = await createUser(server, admin, { role: 'manager' });
    const token = await loginAs(server, manager);
    expect((await server.request('GET', '/api/org', { token })).body.timeZone).toBeDefined();
    expect((await server.request('PATCH', '/api/org', { token, body: { timeZone: 'UTC' } })).status).toBe(403);
  });
});
