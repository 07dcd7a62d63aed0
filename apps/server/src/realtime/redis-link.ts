import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';

/** How long the first connection may take before the server refuses to start. */
const START_DEADLINE_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;

export interface RedisStatus {
  connected: boolean;
  since: Date;
  lastError?: string;
}

export class RedisUnavailableError extends Error {}

/**
 * The Redis connections socket.io's Redis adapter runs on (REDIS_URL): one client publishes, a
 * duplicate subscribes (a subscribed connection can do nothing else). The only place `redis` is
 * imported. Unreachable at start → the start fails with a clear error; lost later → logged once,
 * reconnected with backoff forever, and reported to /api/health until both clients are back.
 * A message to the other instances that Redis took but never confirmed (it went away meanwhile)
 * is lost: counted, and the count logged when the connection is back.
 */
@Injectable()
export class RedisLink implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisLink.name);
  private pub?: RedisClientType;
  private sub?: RedisClientType;
  private state: RedisStatus = { connected: false, since: new Date() };
  private started = false;
  private unconfirmed = 0;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.redis.url !== null;
  }

  get status(): RedisStatus {
    return this.state;
  }

  /** Connects both clients; throws RedisUnavailableError when Redis cannot be reached in time. */
  async connect(): Promise<{ pub: RedisClientType; sub: RedisClientType }> {
    const url = this.config.redis.url;
    if (!url) throw new Error('REDIS_URL is not set');
    const startedAt = Date.now();
    // Before the first connection: give up after the start deadline. Afterwards: retry forever.
    const reconnectStrategy = (retries: number, cause: Error): number | Error => {
      if (!this.started && Date.now() - startedAt > START_DEADLINE_MS) return new RedisUnavailableError(cause.message);
      return Math.min(100 * 2 ** Math.min(retries, 6), MAX_BACKOFF_MS);
    };
    const pub: RedisClientType = createClient({ url, socket: { connectTimeout: 3_000, reconnectStrategy } });
    const sub: RedisClientType = pub.duplicate();
    for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
      client.on('error', (err: Error) => this.down(`${name}: ${err.message}`));
      client.on('ready', () => this.up());
      client.on('end', () => this.down(`${name}: connection closed`));
    }
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (err) {
      for (const client of [pub, sub]) if (client.isOpen) client.destroy();
      const reason = err instanceof Error ? err.message : String(err);
      throw new RedisUnavailableError(`REDIS_URL: cannot reach Redis at ${redacted(url)} within ${START_DEADLINE_MS / 1000} s (${reason}). Start Redis, or unset REDIS_URL to run a single instance.`);
    }
    this.started = true;
    this.pub = pub;
    this.sub = sub;
    this.state = { connected: true, since: new Date() };
    this.logger.log(`connected to Redis at ${redacted(url)} (socket.io rooms shared with the other instances)`);
    return { pub: this.publisherForAdapter(pub), sub };
  }

  /**
   * socket.io's Redis adapter neither awaits nor catches its publishes (every emit to a room, every
   * message to the other instances). One in flight when Redis goes away rejects, and an unhandled
   * rejection ends the process: an instance publishing at that moment would die with Redis. The
   * adapter gets the publisher through this view, whose publish counts such a failure instead.
   */
  private publisherForAdapter(pub: RedisClientType): RedisClientType {
    const publish: RedisClientType['publish'] = (...args) => {
      const sent = pub.publish(...args);
      sent.catch(() => this.unconfirmed++);
      return sent;
    };
    return new Proxy(pub, { get: (target, key, receiver) => (key === 'publish' ? publish : Reflect.get(target, key, receiver)) });
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    // close() lets commands in flight finish (destroy() would reject them: unhandled rejections at
    // shutdown); a Redis that does not answer within a second is cut off.
    await Promise.all(
      [this.pub, this.sub].map(async (client) => {
        if (!client?.isOpen) return;
        const cutOff = setTimeout(() => client.destroy(), 1000);
        await client.close().catch(() => undefined);
        clearTimeout(cutOff);
      }),
    );
  }

  private up(): void {
    const connected = !!this.pub?.isReady && !!this.sub?.isReady;
    if (!connected || this.state.connected) return;
    if (this.unconfirmed) this.logger.warn(`Redis connection is back; ${this.unconfirmed} message(s) to other instances sent as it went away may not have arrived`);
    else if (this.state.lastError) this.logger.log('Redis connection is back');
    this.unconfirmed = 0;
    this.state = { connected: true, since: new Date() };
  }

  private down(reason: string): void {
    if (!this.started) return;
    // One line per outage, not one per reconnect attempt.
    if (this.state.connected) this.logger.error(`lost the Redis connection (${reason}); reconnecting. Other instances' sockets are unreachable meanwhile`);
    if (this.state.connected || !this.state.lastError) this.state = { connected: false, since: new Date(), lastError: reason };
  }
}

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
