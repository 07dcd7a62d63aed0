import type { Presence } from '@leadline/contracts';
import { createServer, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PresenceEvents } from '@leadline/busylight';
import pino from 'pino';
import { Server } from 'socket.io';
import { SocketPresenceSource, parsePresence } from './presence-source';

const silentLogger = () => pino({ level: 'silent' });

const PRESENCE: Presence = { userId: 'u1', state: 'available', color: 'green', blink: false, reason: 'available', since: '2026-01-01T00:00:00.000Z' };

describe('parsePresence', () => {
  it('accepts the contract and tolerates extra fields', () => expect(parsePresence({ ...PRESENCE, extra: 1 })).toEqual(PRESENCE));
  it.each([null, 'green', { ...PRESENCE, color: 'blue' }, { ...PRESENCE, blink: 'no' }])('rejects %j', (payload) => expect(parsePresence(payload)).toBeNull());
});

/** A bare socket.io server standing in for Leadline's gateway: checks auth.deviceToken, pushes presence on connect. */
async function fakeServer(port = 0, acceptToken = 'good'): Promise<{ io: Server; http: HttpServer; port: number; auths: unknown[] }> {
  const http = createServer();
  const io = new Server(http);
  const auths: unknown[] = [];
  io.use((socket, next) => {
    auths.push(socket.handshake.auth);
    next(socket.handshake.auth.deviceToken === acceptToken ? undefined : new Error('invalid device token'));
  });
  io.on('connection', (socket) => {
    socket.emit('presence', { bogus: true });
    socket.emit('presence', PRESENCE);
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  return { io, http, port: (http.address() as AddressInfo).port, auths };
}

const stopServer = (s: { io: Server }) => new Promise<void>((resolve) => s.io.close(() => resolve()));

function recorder(): PresenceEvents & { log: string[]; presences: Presence[] } {
  const log: string[] = [];
  const presences: Presence[] = [];
  return { log, presences, presence: (p) => void presences.push(p), connected: () => void log.push('connected'), disconnected: () => void log.push('disconnected') };
}

const until = async (probe: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('SocketPresenceSource (against a bare socket.io server)', () => {
  const policy = { delayMs: 100, delayMaxMs: 200, refusedDelayMs: 100, refusedDelayMaxMs: 200 };
  let source: SocketPresenceSource | undefined;
  afterEach(() => source?.stop());

  it('authenticates with auth.deviceToken, delivers valid presence and reconnects after a restart', async () => {
    let server = await fakeServer();
    const events = recorder();
    source = new SocketPresenceSource(`http://127.0.0.1:${server.port}`, 'good', silentLogger(), policy);
    source.start(events);
    await until(() => events.presences.length === 1);
    expect(server.auths).toEqual([{ deviceToken: 'good' }]);
    expect(events.presences).toEqual([PRESENCE]);

    const port = server.port;
    await stopServer(server);
    await until(() => events.log.includes('disconnected'));
    server = await fakeServer(port);
    await until(() => events.presences.length === 2);
    await stopServer(server);
  });

  it('keeps retrying when the server refuses the token (socket.io itself would give up)', async () => {
    const server = await fakeServer(0, 'other');
    const events = recorder();
    source = new SocketPresenceSource(`http://127.0.0.1:${server.port}`, 'good', silentLogger(), policy);
    source.start(events);
    await until(() => server.auths.length >= 3);
    expect(events.presences).toEqual([]);
    expect(events.log).not.toContain('connected');
    source.stop();
    await stopServer(server);
  });
});
