import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import WebSocket from 'ws';
import { checkAsteriskVersion } from '@leadline/domain';
import { AppConfig } from '../../config/app-config';
import { AriHttpClient } from './ari-http.client';
import { AriAsterisk, AriBridges, AriChannels, AriDeviceStates, AriPlaybacks, AriRecordings } from './ari-resources';
import { AriEvent, AriEventOf, AriEventType, asKnownAriEvent } from './ari.types';

export interface AriLinkStatus {
  connected: boolean;
  since: Date;
  lastError?: string;
  /** Asterisk's version as it reported it at the last link-up (kept while the link is down). */
  asteriskVersion?: string;
}

type Handler<T extends AriEventType> = (event: AriEventOf<T>) => void | Promise<void>;
type AnyHandler = (event: AriEvent) => void | Promise<void>;
type LinkListener = (status: AriLinkStatus) => void | Promise<void>;

const BACKOFF_MS = [250, 500, 1000, 2000, 3000];

/** Asterisk answers, but Leadline will not run calls against it (too old). */
class AsteriskRefusedError extends Error {}

/**
 * The one owner of the connection to Asterisk: a supervised event websocket for our Stasis app,
 * pinged on a timer (a silent link counts as a drop), reconnected with backoff forever, and the
 * REST areas. Events go to one dispatcher per event type; handlers are awaited and their errors
 * logged, never left floating.
 */
@Injectable()
export class AriLink implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AriLink.name);
  private readonly http: AriHttpClient;
  private readonly handlers = new Map<AriEventType, Set<AnyHandler>>();
  private readonly upListeners = new Set<LinkListener>();
  private readonly downListeners = new Set<LinkListener>();
  private socket?: WebSocket;
  private pingTimer?: NodeJS.Timeout;
  /** Stops keeping the REST connections open (AriHttpClient.keepWarm), while the link is up. */
  private stopWarm?: () => void;
  private stopping = false;
  private loop?: Promise<void>;
  private current: AriLinkStatus = { connected: false, since: new Date() };

  readonly channels: AriChannels;
  readonly bridges: AriBridges;
  readonly playbacks: AriPlaybacks;
  readonly recordings: AriRecordings;
  readonly asterisk: AriAsterisk;
  readonly deviceStates: AriDeviceStates;
  readonly app: string;

  constructor(private readonly config: AppConfig) {
    this.http = new AriHttpClient(config.ari.url, config.ari.username, config.ari.password);
    this.channels = new AriChannels(this.http);
    this.bridges = new AriBridges(this.http);
    this.playbacks = new AriPlaybacks(this.http);
    this.recordings = new AriRecordings(this.http);
    this.asterisk = new AriAsterisk(this.http);
    this.deviceStates = new AriDeviceStates(this.http);
    this.app = config.ari.app;
  }

  onApplicationBootstrap(): void {
    // Never block start-up on Asterisk: health reports the link, and the loop keeps trying.
    this.loop = this.supervise();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.stopPinging();
    this.socket?.close(1000, 'shutdown');
    await this.loop;
  }

  get status(): AriLinkStatus {
    return { ...this.current };
  }

  on<T extends AriEventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    // The map is keyed by type, so a handler only ever sees events of its own type.
    const anyHandler = handler as unknown as AnyHandler;
    set.add(anyHandler);
    return () => set.delete(anyHandler);
  }

  /** Called every time the link comes up, including reconnects: the place to reconcile state. */
  onUp(listener: LinkListener): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  onDown(listener: LinkListener): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }

  /** Resolves once the link is up, or rejects after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<void> {
    if (this.current.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`ARI link not up after ${timeoutMs} ms${this.current.lastError ? `: ${this.current.lastError}` : ''}`));
      }, timeoutMs);
      const off = this.onUp(() => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  private async supervise(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      try {
        await this.checkVersion();
        const { dropped } = await this.open();
        attempt = 0;
        await this.setStatus(true);
        const reason = await dropped;
        if (!this.stopping) this.logger.warn(`ARI link dropped: ${reason}`);
        await this.setStatus(false, reason);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const refused = err instanceof AsteriskRefusedError;
        if (!refused && (attempt === 0 || attempt % 20 === 0)) this.logger.warn(`ARI not reachable (attempt ${attempt + 1}): ${message}`);
        if (this.current.connected) await this.setStatus(false, message);
        else this.current.lastError = message;
      }
      if (this.stopping) break;
      await new Promise((r) => setTimeout(r, BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]));
    }
  }

  /**
   * Reads Asterisk's version before the Stasis app is registered; an Asterisk older than the
   * minimum never gets our calls (the link stays down, health says why, and we keep checking, so
   * an upgrade in place is picked up).
   */
  private async checkVersion(): Promise<void> {
    const info = await this.asterisk.info();
    const verdict = checkAsteriskVersion(info.system?.version);
    this.current.asteriskVersion = info.system?.version;
    if (!verdict.ok) {
      if (this.current.lastError !== verdict.reason) this.logger.error(verdict.reason);
      throw new AsteriskRefusedError(verdict.reason);
    }
    this.logger.log(`Asterisk ${verdict.version.raw}`);
  }

  /** Opens the event socket; resolves (once open) with a promise of the drop reason. */
  private open(): Promise<{ dropped: Promise<string> }> {
    const url = new URL(`${this.config.ari.url}/ari/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('app', this.app);
    // Credentials go in the Authorization header, never in the URL (which ends up in logs).
    const socket = new WebSocket(url, { headers: { authorization: this.http.authHeader }, handshakeTimeout: 5000 });
    this.socket = socket;
    return new Promise((resolveOpen, rejectOpen) => {
      let opened = false;
      let resolveDrop: (reason: string) => void = () => undefined;
      const dropped = new Promise<string>((r) => (resolveDrop = r));
      const drop = (reason: string) => {
        this.stopPinging();
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        if (opened) resolveDrop(reason);
        else rejectOpen(new Error(reason));
      };
      socket.on('open', () => {
        opened = true;
        this.startPinging(drop);
        // Wrapped: resolving with the promise itself would wait for the drop.
        resolveOpen({ dropped });
      });
      socket.on('message', (data) => this.dispatch(data));
      socket.on('unexpected-response', (_req, res) => drop(`websocket upgrade refused with HTTP ${res.statusCode}`));
      socket.on('error', (err) => drop(err.message));
      socket.on('close', (code) => drop(`websocket closed (${code})`));
    });
  }

  /**
   * Pings the link, and keeps the REST connections a call's requests go out on open: a lead that
   * comes after a quiet spell finds them open, as in a busy hour.
   */
  private startPinging(drop: (reason: string) => void): void {
    let missed = 0;
    this.stopPinging();
    this.stopWarm = this.http.keepWarm();
    this.pingTimer = setInterval(() => {
      this.asterisk.ping().then(
        () => (missed = 0),
        (err: unknown) => {
          // Asterisk does not buffer events while we are away: two silent pings and we reconnect.
          if (++missed >= 2) drop(`ping failed twice: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    }, this.config.ari.pingIntervalMs);
  }

  private dispatch(data: WebSocket.RawData): void {
    let event: AriEvent | undefined;
    try {
      event = asKnownAriEvent(JSON.parse(data.toString()));
    } catch (err) {
      this.logger.warn(`unparseable ARI event: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!event) return;
    if (event.type === 'ApplicationReplaced') {
      this.logger.error(`another connection took over Stasis app "${this.app}"; is a second Leadline server using the same ARI_APP?`);
    }
    for (const handler of this.handlers.get(event.type) ?? []) {
      void Promise.resolve()
        .then(() => handler(event))
        .catch((err: unknown) => this.logger.error(`handler for ${event.type} failed: ${err instanceof Error ? err.stack : String(err)}`));
    }
  }

  private stopPinging(): void {
    clearInterval(this.pingTimer);
    this.stopWarm?.();
    this.stopWarm = undefined;
  }

  private async setStatus(connected: boolean, lastError?: string): Promise<void> {
    this.current = { connected, since: new Date(), lastError, asteriskVersion: this.current.asteriskVersion };
    if (connected) this.logger.log(`ARI link up (app "${this.app}")`);
    const listeners = connected ? this.upListeners : this.downListeners;
    for (const listener of [...listeners]) {
      try {
        await listener(this.status);
      } catch (err) {
        this.logger.error(`ARI ${connected ? 'up' : 'down'} listener failed: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  }
}
