import { Logger, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { ClientToServerEvents, DialAck, DialNextView, DialResultView, LeadClaimAck, Presence, ServerToClientEvents, SessionEndReason, WallboardSnapshot } from '@leadline/contracts';
import { createAdapter } from '@socket.io/redis-adapter';
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { AuthUser } from '../auth/auth-user';
import { socketOriginAllowed } from '../common/origin.util';
import { AppConfig } from '../config/app-config';
import { RedisLink } from './redis-link';
import { SocketAuthenticator, SocketIdentity, SocketKind } from './socket-authenticator';

interface SocketData {
  user: AuthUser;
  kind: SocketKind;
  identity: SocketIdentity;
}

/** Messages between server instances (REDIS_URL set), never seen by clients. */
export interface InstanceMessages {
  /** One instance pushed a presence change: the others update what they hand new sockets. */
  presence: { presence: Presence; inboundRinging: boolean };
}

/** What an instance says about itself when another one starts. */
export interface InstanceHello {
  id: string;
  ariUrl: string;
  ariApp: string;
}

/** The instances that answered, and whether every subscribed instance did (in time). */
export interface InstanceRoll {
  instances: InstanceHello[];
  complete: boolean;
}

/** Two instances on one Stasis app of one Asterisk would take the app from each other. */
export class InstanceConflictError extends Error {}

type InterServerEvents = { [K in keyof InstanceMessages]: (message: InstanceMessages[K]) => void } & {
  'instance:hello': (ack: (hello: InstanceHello) => void) => void;
};

type LeadlineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type LeadlineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
const teamRoom = (orgId: string) => `team:${orgId}`;
const wallboardRoom = (orgId: string) => `wallboard:${orgId}`;
const deviceRoom = (deviceId: string) => `device:${deviceId}`;
/** setTimeout's longest delay (~24.8 days); a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One connected socket, as the rest of the server sees it (no socket.io types leak out). */
export interface SocketSession {
  user: AuthUser;
  kind: SocketKind;
  send<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
}

export type ClaimHandler = (user: AuthUser, prospectId: unknown) => Promise<LeadClaimAck>;
export type TeamSnapshot = (orgId: string) => Promise<Presence[]>;
export type WallboardSource = (orgId: string) => Promise<WallboardSnapshot>;

/** Dial mode over the socket: the same operations as its REST routes, answered in acks. */
export interface DialModeHandlers {
  next(user: AuthUser, request: unknown): Promise<DialAck<DialNextView>>;
  result(user: AuthUser, request: unknown): Promise<DialAck<DialResultView>>;
  release(user: AuthUser): Promise<DialAck<{ released: boolean }>>;
}

/**
 * The one place socket.io is used. Authenticates every socket during the handshake with the same
 * access tokens as the REST API (dashboards) or a device token (desk daemons, presence only),
 * puts it in its user's room and hands events to the services that registered for them.
 *
 * With REDIS_URL, rooms span every server instance (socket.io's Redis adapter): an emit to a
 * user's room reaches their sockets wherever they are connected, and instances can message each
 * other (toOtherInstances / onInstanceMessage). Without it, rooms live in this process.
 */
// Heartbeat 10 s + 5 s: a desk daemon notices a silently dead link within 15 s (socket.io's
// defaults take 45 s) and stops showing a stale green.
@WebSocketGateway({ cors: { origin: false }, pingInterval: 10_000, pingTimeout: 5_000 })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleInit {
  private readonly logger = new Logger(RealtimeGateway.name);
  /** This process, as the other instances know it (for logs and `otherInstances`). */
  readonly instanceId = randomUUID();
  private readonly instanceListeners = new Map<keyof InstanceMessages, ((message: never) => void)[]>();
  private rollAtStart: InstanceRoll = { instances: [], complete: true };
  private readonly connectListeners: ((session: SocketSession) => void)[] = [];
  private claimHandler?: ClaimHandler;
  private teamSnapshot?: TeamSnapshot;
  private wallboard?: WallboardSource;
  private dialMode?: DialModeHandlers;

  @WebSocketServer()
  private server!: LeadlineServer;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly redis: RedisLink,
    private readonly config: AppConfig,
  ) {}

  /**
   * Nest creates the socket.io server (afterInit) before module init hooks run and before the
   * HTTP server listens, so the adapter is swapped in here, once Redis is connected, before any
   * socket can connect. A Redis that cannot be reached makes the start fail (RedisLink says why),
   * and so does another running instance on this instance's Stasis app (before the ARI link,
   * which starts at bootstrap, could take the app from it).
   */
  async onModuleInit(): Promise<void> {
    if (!this.redis.enabled) return;
    const { pub, sub } = await this.redis.connect();
    this.server.adapter(createAdapter(pub, sub, { key: 'leadline', requestsTimeout: 2_000 }));
    const me: InstanceHello = { id: this.instanceId, ariUrl: this.config.ari.url, ariApp: this.config.ari.app };
    this.server.on('instance:hello', (ack) => typeof ack === 'function' && ack(me));
    this.rollAtStart = await this.otherInstances();
    const clash = this.rollAtStart.instances.find((o) => o.ariApp === me.ariApp && o.ariUrl === me.ariUrl);
    if (clash) throw new InstanceConflictError(`ARI_APP: instance ${clash.id} already runs Stasis app "${me.ariApp}" on ${me.ariUrl}; give every instance its own ARI_APP (see docs/scale-out.md)`);
    this.logger.log(`instance ${this.instanceId} joins ${this.rollAtStart.instances.length} running instance(s)`);
    for (const name of ['presence'] as const satisfies (keyof InstanceMessages)[]) {
      this.server.on(name, (message) => {
        for (const listener of this.instanceListeners.get(name) ?? []) listener(message as never);
      });
    }
  }

  /** True when several instances may share the rooms (REDIS_URL set). */
  get shared(): boolean {
    return this.redis.enabled;
  }

  /** Tells every other instance (nothing to do in a single instance). */
  toOtherInstances<K extends keyof InstanceMessages>(name: K, message: InstanceMessages[K]): void {
    if (!this.redis.enabled) return;
    const emit = this.server.serverSideEmit.bind(this.server) as (ev: K, m: InstanceMessages[K]) => boolean;
    emit(name, message);
  }

  onInstanceMessage<K extends keyof InstanceMessages>(name: K, listener: (message: InstanceMessages[K]) => void): void {
    this.instanceListeners.set(name, [...(this.instanceListeners.get(name) ?? []), listener as (message: never) => void]);
  }

  /** The instances that were running when this one started (none in a single instance). */
  get instancesAtStart(): InstanceRoll {
    return this.rollAtStart;
  }

  /**
   * The other live instances, as they answer within 2 s (none in a single instance). Not
   * complete when an instance still subscribed to Redis did not answer in time (busy, or its
   * machine vanished and Redis has not noticed yet): callers then must not assume it is dead.
   */
  async otherInstances(): Promise<InstanceRoll> {
    if (!this.redis.enabled) return { instances: [], complete: true };
    try {
      return { instances: await this.server.serverSideEmitWithAck('instance:hello'), complete: true };
    } catch (err) {
      const answered = (err as { responses?: InstanceHello[] }).responses ?? [];
      this.logger.warn(`not every instance answered (${answered.length} did): ${err instanceof Error ? err.message : String(err)}`);
      return { instances: answered, complete: false };
    }
  }

  afterInit(server: LeadlineServer): void {
    // Refuse unauthenticated sockets during the handshake: they never get a connection.
    server.use((socket, next) => {
      const { origin, host } = socket.handshake.headers;
      if (!socketOriginAllowed({ origin, host, allowed: this.config.http.corsOrigins })) return next(new Error(`origin ${origin} is not allowed (CORS_ORIGINS)`));
      const auth = (socket.handshake.auth ?? {}) as { token?: unknown; deviceToken?: unknown };
      this.authenticator.authenticate({ token: auth.token ?? bearer(socket.handshake.headers.authorization), deviceToken: auth.deviceToken }).then(
        (identity) => {
          socket.data = { user: identity.user, kind: identity.kind, identity };
          next();
        },
        (err: unknown) => next(new Error(err instanceof Error ? err.message : 'unauthorized')),
      );
    });
  }

  onConnect(listener: (session: SocketSession) => void): void {
    this.connectListeners.push(listener);
  }

  onClaim(handler: ClaimHandler): void {
    this.claimHandler = handler;
  }

  onTeamSubscribe(snapshot: TeamSnapshot): void {
    this.teamSnapshot = snapshot;
  }

  onWallboardSubscribe(source: WallboardSource): void {
    this.wallboard = source;
  }

  onDialMode(handlers: DialModeHandlers): void {
    this.dialMode = handlers;
  }

  async handleConnection(socket: LeadlineSocket): Promise<void> {
    const { user, kind, identity } = socket.data;
    await socket.join(identity.kind === 'device' ? [userRoom(user.id), deviceRoom(identity.deviceId)] : userRoom(user.id));
    if (identity.kind === 'user' && identity.expiresAt !== null) this.endAtExpiry(socket, identity.expiresAt);
    // Rights are re-checked against the database before every privileged event: a socket whose
    // user was deleted, whose role changed or whose device token was revoked is cut off.
    const privileged = <A extends unknown[]>(name: string, refuse: (...args: A) => void, work: (...args: A) => void) => (...args: A) => {
      this.authenticator.stillValid(identity).then(
        (ended) => {
          if (!ended) return work(...args);
          refuse(...args);
          this.endSocket(socket, ended);
        },
        (err: unknown) => {
          this.logger.error(`${name}: re-checking ${user.id}'s rights failed: ${err instanceof Error ? err.stack : String(err)}`);
          refuse(...args);
        },
      );
    };
    socket.on(
      'lead:claim',
      privileged(
        'lead:claim',
        (_request, ack) => typeof ack === 'function' && ack({ ok: false, reason: 'not_offered' }),
        (request, ack) => {
          if (typeof ack !== 'function') return;
          // Device tokens only ever receive presence.
          if (kind !== 'user' || !this.claimHandler) return ack({ ok: false, reason: kind !== 'user' ? 'not_offered' : 'error' });
          this.claimHandler(user, request?.prospectId).then(ack, (err: unknown) => {
            this.logger.error(`claim by ${user.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
            ack({ ok: false, reason: 'error' });
          });
        },
      ),
    );
    socket.on(
      'presence:subscribe-team',
      privileged(
        'presence:subscribe-team',
        (ack) => typeof ack === 'function' && ack({ ok: false, reason: 'forbidden' }),
        (ack) => {
          if (typeof ack !== 'function') return;
          if (kind !== 'user' || user.role === 'agent' || !this.teamSnapshot) return ack({ ok: false, reason: 'forbidden' });
          Promise.resolve(socket.join(teamRoom(user.orgId)))
            .then(() => this.teamSnapshot!(user.orgId))
            .then(
              (team: Presence[]) => ack({ ok: true, team }),
              (err: unknown) => {
                this.logger.error(`team snapshot failed: ${err instanceof Error ? err.stack : String(err)}`);
                ack({ ok: false, reason: 'forbidden' });
              },
            );
        },
      ),
    );
    socket.on(
      'wallboard:subscribe',
      privileged(
        'wallboard:subscribe',
        (ack) => typeof ack === 'function' && ack({ ok: false, reason: 'forbidden' }),
        (ack) => {
          if (typeof ack !== 'function') return;
          if (kind !== 'user' || user.role === 'agent' || !this.wallboard) return ack({ ok: false, reason: 'forbidden' });
          Promise.resolve(socket.join(wallboardRoom(user.orgId)))
            .then(() => this.wallboard!(user.orgId))
            .then(
              (snapshot) => ack({ ok: true, snapshot }),
              (err: unknown) => {
                this.logger.error(`wallboard snapshot failed: ${err instanceof Error ? err.stack : String(err)}`);
                ack({ ok: false, reason: 'error' });
              },
            );
        },
      ),
    );
    this.listenDialMode(socket, user, kind, privileged);
    const session: SocketSession = { user, kind, send: (event, ...args) => void socket.emit(event, ...args) };
    for (const listener of this.connectListeners) listener(session);
  }

  /**
   * Cuts off every socket of a user (deleted, rights changed) or of one device token (revoked),
   * on every instance (with REDIS_URL the rooms span them). Each is told why first.
   */
  endSessions(target: { userId?: string; deviceId?: string }, reason: SessionEndReason): void {
    const room = target.deviceId ? deviceRoom(target.deviceId) : target.userId ? userRoom(target.userId) : null;
    if (!room) return;
    this.server.to(room).emit('session:ended', { reason });
    this.server.in(room).disconnectSockets(true);
  }

  private endSocket(socket: LeadlineSocket, reason: SessionEndReason): void {
    this.logger.log(`socket of ${socket.data.user.id} (${socket.data.kind}) ended: ${reason}`);
    socket.emit('session:ended', { reason });
    socket.disconnect(true);
  }

  /** An access token is good until it expires, and so is a socket opened with it. */
  private endAtExpiry(socket: LeadlineSocket, expiresAt: number): void {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) return this.endSocket(socket, 'token_expired');
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  private listenDialMode(socket: LeadlineSocket, user: AuthUser, kind: SocketKind, privileged: <A extends unknown[]>(name: string, refuse: (...args: A) => void, work: (...args: A) => void) => (...args: A) => void): void {
    // Device tokens only ever receive presence.
    const refused = { ok: false as const, code: 'FORBIDDEN', message: 'dial mode needs a user session' };
    const answer = <T>(name: string, ack: unknown, work: () => Promise<DialAck<T>>) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (answer: DialAck<T>) => void;
      if (kind !== 'user' || !this.dialMode) return reply(refused);
      work().then(reply, (err: unknown) => {
        this.logger.error(`${name} by ${user.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
        reply({ ok: false, code: 'INTERNAL', message: 'Internal error; the server log has the details' });
      });
    };
    const refuse = (ack: unknown) => typeof ack === 'function' && (ack as (answer: typeof refused) => void)(refused);
    socket.on('dial:next', privileged('dial:next', (_request: unknown, ack: unknown) => refuse(ack), (request: unknown, ack: unknown) => answer('dial:next', ack, () => this.dialMode!.next(user, request))));
    socket.on('dial:result', privileged('dial:result', (_request: unknown, ack: unknown) => refuse(ack), (request: unknown, ack: unknown) => answer('dial:result', ack, () => this.dialMode!.result(user, request))));
    socket.on('dial:release', privileged('dial:release', (ack: unknown) => refuse(ack), (ack: unknown) => answer('dial:release', ack, () => this.dialMode!.release(user))));
  }

  toUsers(userIds: string[]): Pick<LeadlineServer, 'emit'> {
    return this.server.to(userIds.map(userRoom));
  }

  toTeam(orgId: string): Pick<LeadlineServer, 'emit'> {
    return this.server.to(teamRoom(orgId));
  }

  toWallboard(orgId: string): Pick<LeadlineServer, 'emit'> {
    return this.server.to(wallboardRoom(orgId));
  }

  /** Orgs with a wallboard open on this instance (whose board this instance keeps ticking). */
  wallboardOrgs(): string[] {
    const prefix = 'wallboard:';
    return [...this.server.sockets.adapter.rooms.keys()].filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match?.[1];
}
