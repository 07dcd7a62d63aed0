// GET /api/directory: the org's colleagues for any signed-in user (an agent picks a transfer
// target from it) — id, name, extension and presence state, nothing else, and only the caller's org.
import { createUser, loginAs, moveToNewOrg } from '../factories';
import { startServer, TestServer } from '../harness/server';

describe('GET /api/directory', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
  });

  afterAll(async () => {
    await server?.close();
  });

  it("gives every signed-in role id, name, extension and presence of its own org's users, and nothing more", async () => {
    const alice = await createUser(server, admin, { role: 'agent', name: 'Alice Directory', callerId: '+15125550111', stateLicences: ['TX'] });
    const bob = await createUser(server, admin, { role: 'agent', name: 'Bob Directory' });
    const mary = await createUser(server, admin, { role: 'manager', name: 'Mary Directory' });
    const aliceToken = await loginAs(server, alice);
    await server.request('PATCH', '/api/me/session', { token: aliceToken, body: { loggedIn: true, callsOn: true } });

    // A user of another org.
    const olga = await createUser(server, admin, { role: 'agent', name: 'Olga Otherorg' });
    await moveToNewOrg(server, olga.id);
    const olgaToken = await loginAs(server, olga);

    for (const token of [await loginAs(server, bob), await loginAs(server, mary), admin]) {
      const res = await server.request('GET', '/api/directory', { token });
      expect(res.status).toBe(200);
      const entries = res.body as Record<string, unknown>[];
      for (const e of entries) expect(Object.keys(e).sort()).toEqual(['extension', 'id', 'name', 'presence']);
      expect(entries.map((e) => e.id)).not.toContain(olga.id);
      expect(entries.find((e) => e.id === alice.id)).toEqual({ id: alice.id, name: 'Alice Directory', extension: alice.extension, presence: 'available' });
      expect(entries.find((e) => e.id === bob.id)).toEqual({ id: bob.id, name: 'Bob Directory', extension: bob.extension, presence: 'unavailable' });
      // No email, role, phone, caller ID or licence anywhere in the answer.
      expect(JSON.stringify(entries)).not.toMatch(/@|\+15125550111|"TX"|"agent"|"manager"/);
    }

    // The other org's user sees only their own org: themselves.
    const theirs = await server.request('GET', '/api/directory', { token: olgaToken });
    expect(theirs.body).toEqual([{ id: olga.id, name: 'Olga Otherorg', extension: olga.extension, presence: 'unavailable' }]);

    // Signed-out callers get nothing.
    expect((await server.request('GET', '/api/directory')).status).toBe(401);
  });
});
