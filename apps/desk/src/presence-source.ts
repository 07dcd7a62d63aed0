// The desk daemon's link to the server: the one place socket.io-client is used. Authenticates with
// the device token and turns socket events into presence / connected / disconnected callbacks.
import type { PresenceEvents, PresenceSource } from '@leadline/busylight';
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import type { Logger } from 'pino';
import { Socket, io } from 'socket.io-client';
import { z } from 'zod';

const presenceSchema = z.object({
  userId: z.string(),
  state: z.enum(['available', 'unavailable', 'ringing']),
  color: z.enum(['green', 'red']),
  blink: z.boolean(),
  reason: z.enum(['available', 'logged_out', 'calls_off', 'on_call', 'inbound_ringing']),
  since: z.string(),
});

/** Validates a `presence` payload; a server newer than this daemon may add fields, never break these. */
export function parsePresence(payload: unknown): Presence | null {
  const parsed = presenceSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export interface ReconnectPolicy {
  /** socket.io's own reconnection after a network error: first delay and cap. */
  delayMs: number;
  delayMaxMs: number;
  /** Our retry after the server refused the handshake or dropped us (socket.io gives up then). */
  refusedDelayMs: number;
  refusedDelayMaxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { delayMs: 1_000, delayMaxMs: 5_000, refusedDelayMs: 5_000, refusedDelayMaxMs: 60_000 };

export class SocketPresenceSource implements PresenceSource {
  private socket?: Socket<ServerToClientEvents, ClientToServerEvents>;
  private retryTimer?: NodeJS.Timeout;
  private refusals = 0;

  constructor(
    private readonly serverUrl: string,
    private readonly deviceToken: string,
    private readonly log: Logger,
    private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT,
  ) {}

  start(events: PresenceEvents): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.serverUrl, {
      auth: { deviceToken: this.deviceToken },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: this.policy.delayMs,
      reconnectionDelayMax: this.policy.delayMaxMs,
      randomizationFactor: 0.5,
      timeout: 5_000,
    });
    this.socket = socket;

    socket.on('connect', () => {
      this.refusals = 0;
      this.log.info({ server: this.serverUrl }, 'connected');
      events.connected();
    });
    socket.on('presence', (payload: unknown) => {
      const presence = parsePresence(payload);
      if (!presence) return this.log.warn('ignoring a malformed presence');
      events.presence(presence);
    });
    socket.on('disconnect', (reason) => {
      this.log.warn({ reason }, 'disconnected');
      events.disconnected(reason);
      // The server closed this socket on purpose (e.g. token revoked): socket.io won't retry.
      if (reason === 'io server disconnect') this.retryLater();
    });
    socket.on('connect_error', (err) => {
      events.disconnected(err.message);
      if (socket.active) {
        // Network trouble: socket.io's manager retries with backoff by itself.
        this.log.debug({ err: err.message }, 'cannot reach the server; retrying');
      } else {
        // Refused during the handshake (bad or revoked device token).
        this.log.error({ err: err.message }, 'the server refused this device token; retrying later');
        this.retryLater();
      }
    });
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    const delay = Math.min(this.policy.refusedDelayMaxMs, this.policy.refusedDelayMs * 2 ** this.refusals++);
    this.retryTimer = setTimeout(() => this.socket?.connect(), delay * (0.75 + Math.random() / 2));
  }
}
