// A socket keeps only the rights it still has: it is cut off when its access token expires, its
// user is deleted, its role changes (it may reconnect, with the new rights) or its device token
// is revoked, and rights are re-checked against the database before every privileged event.
// Real socket.io clients; the last case runs two instances sharing Redis (REDIS_URL).
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from '@mikro-orm/knex';
import { io, Socket } from 'socket.io-client';
import { aUser, createUser, CreatedUser } from '../factories';
import { Cluster, startCluster } from '../harness/cluster';
import { RedisHandle, startRedis } from '../harness/redis';
import { eventually, startServer, TestServer } from '../harness/server';
import { User } from '../../apps/server/src/database/entities';

interface Client {
  socket: Socket;
  ended: string[];
  disconnected: string[];
}

function connect(url: string, auth: Record<string, string>): Promise<Client> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const client: Client = { socket, ended: [], disconnected: [] };
  socket.on('session:ended', (notice: { reason: string }) => client.ended.push(notice.reason));
  socket.on('disconnect', (reason) => client.disconnected.push(reason));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

const subscribeTeam = (c: Client) => c.socket.timeout(5000).emitWithAck('presence:subscribe-team') as Promise<{ ok: boolean; reason?: string }>;

describe('socket sessions end when their rights do', () => {
  let server: TestServer;
  let admin: string;
  const clients: Client[] = [];
  const open = async (auth: Record<string, string>, url = server.url) => {
    const c = await connect(url, auth);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
  });

  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await server.close();
  });

  it('when the access token expires', async () => {
    const agent = await createUser(server, admin);
    // A real token signed with the server's secret, living 2 s (the configured minimum is a minute).
    const shortLived = new JwtService({ secret: server.config.auth.jwtSecret }).sign({ sub: agent.id, org: await orgOf(server, agent), role: 'agent' }, { expiresIn: 2, algorithm: 'HS256' });
    const client = await open({ token: shortLived });
    await eventually(() => client.disconnected.length > 0, 6000);
    expect(client.ended).toEqual(['token_expired']);
    expect(client.disconnected).toEqual(['io server disconnect']);
    await expect(connect(server.url, { token: shortLived })).rejects.toThrow(/invalid or expired/);
  });

  it('when the user is deleted', async () => {
    const agent = await createUser(server, admin);
    const client = await open({ token: await server.login(agent.email, agent.password) });
    expect((await server.request('DELETE', `/api/users/${agent.id}`, { token: admin })).status).toBe(204);
    await eventually(() => client.disconnected.length > 0, 5000);
    expect(client.ended).toEqual(['user_deleted']);
  });

  it('when the role changes; reconnecting gives the new rights', async () => {
    const manager = await createUser(server, admin, { role: 'manager' });
    const token = await server.login(manager.email, manager.password);
    const client = await open({ token });
    expect((await subscribeTeam(client)).ok).toBe(true);
    expect((await server.request('PATCH', `/api/users/${manager.id}`, { token: admin, body: { role: 'agent' } })).status).toBe(200);
    await eventually(() => client.disconnected.length > 0, 5000);
    expect(client.ended).toEqual(['rights_changed']);
    const again = await open({ token });
    expect(await subscribeTeam(again)).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('when its device token is revoked; the token no longer connects', async () => {
    const agent = await createUser(server, admin);
    const agentToken = await server.login(agent.email, agent.password);
    const device = (await server.request('POST', '/api/me/devices', { token: agentToken, body: { name: 'desk' } })).body as { id: string; token: string };
    const other = (await server.request('POST', '/api/me/devices', { token: agentToken, body: { name: 'laptop' } })).body as { id: string; token: string };
    const desk = await open({ deviceToken: device.token });
    const laptop = await open({ deviceToken: other.token });
    const dashboard = await open({ token: agentToken });
    expect((await server.request('DELETE', `/api/me/devices/${device.id}`, { token: agentToken })).status).toBe(204);
    await eventually(() => desk.disconnected.length > 0, 5000);
    expect(desk.ended).toEqual(['device_revoked']);
    await expect(connect(server.url, { deviceToken: device.token })).rejects.toThrow(/invalid or revoked/);
    // Only that device: the agent's other daemon and dashboard stay connected.
    await new Promise((r) => setTimeout(r, 300));
    expect([laptop.socket.connected, dashboard.socket.connected]).toEqual([true, true]);
  });

  it('re-checks rights before every privileged event, even when no event told the socket', async () => {
    const manager = await createUser(server, admin, { role: 'manager' });
    const client = await open({ token: await server.login(manager.email, manager.password) });
    expect((await subscribeTeam(client)).ok).toBe(true);
    // Demoted behind the server's back (another tool, a restore): no event, only the database knows.
    await server.app.get(EntityManager).fork().nativeUpdate(User, { id: manager.id }, { role: 'agent' });
    expect(await subscribeTeam(client)).toEqual({ ok: false, reason: 'forbidden' });
    await eventually(() => client.disconnected.length > 0, 5000);
    expect(client.ended).toEqual(['rights_changed']);
  });
});

describe('socket sessions end on every instance (REDIS_URL)', () => {
  let redis: RedisHandle;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await startRedis();
    // Compiled server processes (dist/, as npm test builds it), like the scale-out suite.
    cluster = await startCluster(2, { name: 'sessions', redisUrl: redis.url });
  });

  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
  });

  it('a role changed through one instance cuts the socket held by the other', async () => {
    const [a, b] = cluster.instances;
    const admin = await a.login();
    const body = aUser({ role: 'manager' });
    const created = await a.request('POST', '/api/users', { token: admin, body });
    expect(created.status).toBe(201);
    const manager = created.body as { id: string };
    const client = await connect(b.url, { token: await b.login(body.email, body.password) });
    try {
      expect((await a.request('PATCH', `/api/users/${manager.id}`, { token: admin, body: { role: 'agent' } })).status).toBe(200);
      await eventually(() => client.disconnected.length > 0, 5000);
      expect(client.ended).toEqual(['rights_changed']);
    } finally {
      client.socket.close();
    }
  });
});

async function orgOf(server: TestServer, user: CreatedUser): Promise<string> {
  const row = await server.app.get(EntityManager).fork().findOneOrFail(User, { id: user.id });
  return row.org.id;
}
