import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { ClientToServerEvents, DialAck, DialNextView, DialResultView, LeadClaimAck, Presence, ServerToClientEvents } from '@leadline/contracts';
import type { Server, Socket } from 'socket.io';
import { AuthUser } from '../auth/auth-user';
import { SocketAuthenticator, SocketKind } from './socket-authenticator';

interface SocketData {
  user: AuthUser;
  kind: SocketKind;
}

type LeadlineServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LeadlineSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
const teamRoom = (orgId: string) => `team:${orgId}`;

/** One connected socket, as the rest of the server sees it (no socket.io types leak out). */
export interface SocketSession {
  user: AuthUser;
  kind: SocketKind;
  send<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
}

export type ClaimHandler = (user: AuthUser, prospectId: unknown) => Promise<LeadClaimAck>;
export type TeamSnapshot = (orgId: string) => Promise<Presence[]>;

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
 */
// Heartbeat 10 s + 5 s: a desk daemon notices a silently dead link within 15 s (socket.io's
// defaults take 45 s) and stops showing a stale green.
@WebSocketGateway({ cors: { origin: false }, pingInterval: 10_000, pingTimeout: 5_000 })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly connectListeners: ((session: SocketSession) => void)[] = [];
  private claimHandler?: ClaimHandler;
  private teamSnapshot?: TeamSnapshot;
  private dialMode?: DialModeHandlers;

  @WebSocketServer()
  private server!: LeadlineServer;

  constructor(private readonly authenticator: SocketAuthenticator) {}

  afterInit(server: LeadlineServer): void {
    // Refuse unauthenticated sockets during the handshake: they never get a connection.
    server.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as { token?: unknown; deviceToken?: unknown };
      this.authenticator.authenticate({ token: auth.token ?? bearer(socket.handshake.headers.authorization), deviceToken: auth.deviceToken }).then(
        ({ user, kind }) => {
          socket.data = { user, kind };
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

  onDialMode(handlers: DialModeHandlers): void {
    this.dialMode = handlers;
  }

  async handleConnection(socket: LeadlineSocket): Promise<void> {
    const { user, kind } = socket.data;
    await socket.join(userRoom(user.id));
    socket.on('lead:claim', (request, ack) => {
      if (typeof ack !== 'function') return;
      // Device tokens only ever receive presence.
      if (kind !== 'user' || !this.claimHandler) return ack({ ok: false, reason: kind !== 'user' ? 'not_offered' : 'error' });
      this.claimHandler(user, request?.prospectId).then(ack, (err: unknown) => {
        this.logger.error(`claim by ${user.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
        ack({ ok: false, reason: 'error' });
      });
    });
    socket.on('presence:subscribe-team', (ack) => {
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
    });
    this.listenDialMode(socket, user, kind);
    const session: SocketSession = { user, kind, send: (event, ...args) => void socket.emit(event, ...args) };
    for (const listener of this.connectListeners) listener(session);
  }

  private listenDialMode(socket: LeadlineSocket, user: AuthUser, kind: SocketKind): void {
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
    socket.on('dial:next', (request, ack) => answer('dial:next', ack, () => this.dialMode!.next(user, request)));
    socket.on('dial:result', (request, ack) => answer('dial:result', ack, () => this.dialMode!.result(user, request)));
    socket.on('dial:release', (ack) => answer('dial:release', ack, () => this.dialMode!.release(user)));
  }

  toUsers(userIds: string[]): Pick<LeadlineServer, 'emit'> {
    return this.server.to(userIds.map(userRoom));
  }

  toTeam(orgId: string): Pick<LeadlineServer, 'emit'> {
    return this.server.to(teamRoom(orgId));
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match?.[1];
}
