// Presence over real socket.io: dashboards (access tokens), desk daemons (device tokens), the
// managers' team view, and a real ring-all round turning an agent red and back.
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import { io, Socket } from 'socket.io-client';
import { IT_PORT_BASE } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { stopAllSipp } from '../harness/sipp';
import { agentSipp, legsEnded, postLead, setupRingAll } from './ring-all.fixture';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('Presence (real socket.io, real Asterisk for the on-call case)', () => {
  let server: TestServer;
  let admin: string;
  const sockets: Client[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await stopAllSipp();
    await server.close();
  });

  function connect(auth: Record<string, string>): Promise<{ socket: Client; seen: Presence[]; team: Presence[] }> {
    const socket: Client = io(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    const seen: Presence[] = [];
    const team: Presence[] = [];
    socket.on('presence', (p) => seen.push(p));
    socket.on('presence:team', (p) => team.push(p));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve({ socket, seen, team }));
      socket.once('connect_error', reject);
    });
  }

  async function anAgent(): Promise<{ id: string; token: string }> {
    const email = `p${Date.now()}${Math.random().toString(36).slice(2, 6)}@it.test`;
    const res = await server.request('POST', '/api/users', { token: admin, body: { name: 'Presence Agent', email, password: 'agent-password-123', role: 'agent' } });
    return { id: res.body.id, token: await server.login(email, 'agent-password-123') };
  }

  const last = (list: Presence[]) => list[list.length - 1];

  it('pushes red → green → red as the agent logs in, turns calls on, then off; a new client gets the state at once', async () => {
    const agent = await anAgent();
    const dash = await connect({ token: agent.token });
    await eventually(() => dash.seen.length === 1, 5_000);
    expect(dash.seen[0]).toMatchObject({ userId: agent.id, state: 'unavailable', color: 'red', blink: false, reason: 'logged_out' });

    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { loggedIn: true } });
    await eventually(() => last(dash.seen).reason === 'calls_off', 5_000);
    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: true } });
    await eventually(() => last(dash.seen).state === 'available', 5_000);
    expect(last(dash.seen)).toMatchObject({ color: 'green', blink: false });

    const second = await connect({ token: agent.token });
    await eventually(() => second.seen.length === 1, 5_000);
    expect(second.seen[0]).toMatchObject({ state: 'available', since: last(dash.seen).since });

    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: false } });
    await eventually(() => last(dash.seen).state === 'unavailable' && last(second.seen).state === 'unavailable', 5_000);
  });

  it('lets a desk daemon follow presence with a device token, which can do nothing else and can be revoked', async () => {
    const agent = await anAgent();
    const created = await server.request('POST', '/api/me/devices', { token: agent.token, body: { name: 'desk light' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^lld_/);
    const listed = await server.request('GET', '/api/me/devices', { token: agent.token });
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].token).toBeUndefined();

    const desk = await connect({ deviceToken: created.body.token });
    await eventually(() => desk.seen.length === 1, 5_000);
    expect(desk.seen[0]).toMatchObject({ userId: agent.id, reason: 'logged_out' });
    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { loggedIn: true, callsOn: true } });
    await eventually(() => last(desk.seen).color === 'green', 5_000);
    // A device token cannot claim leads or watch the team, nor use the REST API.
    expect(await new Promise((r) => desk.socket.emit('lead:claim', { prospectId: agent.id }, r))).toEqual({ ok: false, reason: 'not_offered' });
    expect((await server.request('GET', '/api/me', { token: created.body.token })).status).toBe(401);

    expect((await server.request('DELETE', `/api/me/devices/${created.body.id}`, { token: agent.token })).status).toBe(204);
    await expect(connect({ deviceToken: created.body.token })).rejects.toThrow(/device token/);
    await expect(connect({ deviceToken: 'lld_nonsense' })).rejects.toThrow(/device token/);

    // An admin sees the agent's tokens and can revoke them too.
    const other = await server.request('POST', '/api/me/devices', { token: agent.token, body: { name: 'second desk' } });
    const seenByAdmin = await server.request('GET', `/api/users/${agent.id}/devices`, { token: admin });
    expect(seenByAdmin.body).toEqual([expect.objectContaining({ id: other.body.id, name: 'second desk' })]);
    expect((await server.request('DELETE', `/api/users/${agent.id}/devices/${other.body.id}`, { token: admin })).status).toBe(204);
    await expect(connect({ deviceToken: other.body.token })).rejects.toThrow(/device token/);
  });

  it('gives managers the team view and refuses it to agents', async () => {
    const agent = await anAgent();
    const agentSocket = await connect({ token: agent.token });
    expect(await new Promise((r) => agentSocket.socket.emit('presence:subscribe-team', r))).toEqual({ ok: false, reason: 'forbidden' });

    const manager = await connect({ token: admin });
    const answer = await new Promise<any>((r) => manager.socket.emit('presence:subscribe-team', r));
    expect(answer.ok).toBe(true);
    expect(answer.team.find((p: Presence) => p.userId === agent.id)).toMatchObject({ reason: 'logged_out' });
    await server.request('PATCH', '/api/me/session', { token: agent.token, body: { loggedIn: true, callsOn: true } });
    await eventually(() => manager.team.some((p) => p.userId === agent.id && p.state === 'available'), 5_000);
  });

  it('turns an agent red while a ring-all call rings them, and green again after', async () => {
    const phones = await agentSipp(IT_PORT_BASE + 710, {}, 'no-answer');
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 710}`, ringTimeoutSeconds: 5, admin });
    const dash = await connect({ token: setup.agents[0].token });
    await eventually(() => last(dash.seen)?.state === 'available', 5_000);
    const prospectId = await postLead(server, setup);
    await eventually(() => last(dash.seen).reason === 'on_call', 5_000);
    await legsEnded(server, setup, prospectId, 1);
    await eventually(() => last(dash.seen).state === 'available', 5_000);
    await phones.stop();
  });
});
