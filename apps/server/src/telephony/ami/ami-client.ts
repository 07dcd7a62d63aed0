import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, Socket } from 'node:net';
import { AppConfig } from '../../config/app-config';

export type AmiMessage = Record<string, string>;

const TIMEOUT_MS = 5000;
/** A hang-up AMI has not answered in this long is given up (LegCanceller then sends it over ARI). */
export const AMI_HANGUP_TIMEOUT_MS = 1000;
const BACKOFF_MS = [250, 500, 1000, 2000, 3000];
/** After a refused login (a wrong AMI_PASSWORD) the next try waits this long: Asterisk logs each refusal as a security event. */
const REFUSED_BACKOFF_MS = 60_000;

export class AmiError extends Error {}

export interface AmiStatus {
  connected: boolean;
  since: Date;
  lastError?: string;
}

/** Asterisk did not answer an action in time (the session may be stalled). */
class AmiTimeoutError extends AmiError {}

class AmiLoginRefusedError extends AmiError {}

/**
 * Asterisk's AMI, for what ARI cannot do or does slower: PJSIPNotify (a NOTIFY to a registered
 * phone, which ARI cannot send) and hanging up the ringing legs a won lead makes moot (one AMI
 * action on a logged-in session: no HTTP request and no password check per channel, where each ARI
 * request costs Asterisk a sha512-crypt; docs/benchmarks.md, "Ring All: the losers' cancels over AMI").
 * One session, opened at start and opened again (with backoff) whenever it drops. The user can only
 * log in from loopback and receives no events (asterisk-config/manager.conf).
 */
@Injectable()
export class AmiClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AmiClient.name);
  /** The logged-in session, while there is one. */
  private session?: AmiSession;
  private opening?: Promise<AmiSession>;
  private retry?: NodeJS.Timeout;
  private attempt = 0;
  private stopping = false;
  /** Since when the session has been up (or down), and why it last failed. */
  private change: Omit<AmiStatus, 'connected'> = { since: new Date() };

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.ami !== null;
  }

  /** A logged-in session is open now (hangUp would use it). */
  get up(): boolean {
    return this.session !== undefined;
  }

  /** For /api/health: whether the session is up, since when, and why not. */
  get status(): AmiStatus {
    return { connected: this.up, ...this.change };
  }

  onApplicationBootstrap(): void {
    // Never blocks start-up: without AMI the calls go on over ARI.
    if (this.configured) void this.open().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    clearTimeout(this.retry);
    this.session?.close();
    this.session = undefined;
  }

  /** Runs one action; resolves with Asterisk's answer, rejects when it is not a Success. */
  async action(fields: AmiMessage): Promise<AmiMessage> {
    const session = this.session ?? (await this.open());
    const answer = await session.send(fields);
    if (answer.Response !== 'Success') throw new AmiError(`AMI ${fields.Action}: ${answer.Message ?? answer.Response}`);
    return answer;
  }

  /**
   * Hangs up a channel (by its id, Asterisk's uniqueid) with a Q.850 cause, if a session is up:
   * true when it was hung up, false when Asterisk has no such channel, null when it was not sent
   * (no session). Rejects when the session failed or did not answer within AMI_HANGUP_TIMEOUT_MS
   * (the session is then closed and opened again).
   */
  async hangUp(channelId: string, cause: number): Promise<boolean | null> {
    const session = this.session;
    if (!session) return null;
    let answer: AmiMessage;
    try {
      answer = await session.send({ Action: 'Hangup', Channel: channelId, Cause: String(cause) }, AMI_HANGUP_TIMEOUT_MS);
    } catch (err) {
      // A session that leaves a hang-up unanswered would hold up the next ones too: open another.
      if (err instanceof AmiTimeoutError) session.close();
      throw err;
    }
    if (answer.Response === 'Success') return true;
    if (answer.Message === 'No such channel') return false;
    throw new AmiError(`AMI Hangup: ${answer.Message ?? answer.Response}`);
  }

  /** Opens and logs in a session (one attempt; a failed one schedules the next). */
  private open(): Promise<AmiSession> {
    const ami = this.config.ami;
    if (!ami) return Promise.reject(new AmiError('AMI is not configured (AMI_PORT)'));
    if (this.stopping) return Promise.reject(new AmiError('shutting down'));
    this.opening ??= (async () => {
      clearTimeout(this.retry);
      const session = await AmiSession.open(ami.host, ami.port);
      try {
        const login = await session.send({ Action: 'Login', Username: ami.username, Secret: ami.password, Events: 'off' });
        if (login.Response !== 'Success') throw new AmiLoginRefusedError(`AMI login refused: ${login.Message ?? login.Response}`);
      } catch (err) {
        session.close();
        throw err;
      }
      return session;
    })().then(
      (session) => {
        this.opening = undefined;
        if (this.stopping) {
          session.close();
          throw new AmiError('shutting down');
        }
        if (this.attempt > 0) this.logger.log('AMI session open again');
        this.attempt = 0;
        this.session = session;
        this.change = { since: new Date() };
        void session.closed.then((reason) => {
          if (this.session !== session) return;
          this.session = undefined;
          this.change = { since: new Date(), lastError: reason.message };
          if (!this.stopping) this.logger.warn(`AMI session dropped: ${reason.message}`);
          this.reopenLater();
        });
        return session;
      },
      (err: unknown) => {
        this.opening = undefined;
        const message = err instanceof Error ? err.message : String(err);
        this.change.lastError = message;
        if (this.attempt === 0 || this.attempt % 20 === 0) this.logger.warn(`AMI not reachable (attempt ${this.attempt + 1}): ${message}`);
        this.reopenLater(err instanceof AmiLoginRefusedError ? REFUSED_BACKOFF_MS : undefined);
        throw err;
      },
    );
    return this.opening;
  }

  private reopenLater(delayMs = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]): void {
    if (this.stopping || this.opening || this.session) return;
    clearTimeout(this.retry);
    this.attempt++;
    this.retry = setTimeout(() => void this.open().catch(() => undefined), delayMs);
    this.retry.unref();
  }
}

/** One AMI TCP session: the banner, then request / response blocks matched by ActionID. */
class AmiSession {
  private buffer = '';
  private bannerSeen = false;
  private nextId = 1;
  private readonly waiting = new Map<string, { resolve: (m: AmiMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private failure: Error | null = null;
  private markClosed!: (reason: Error) => void;
  /** Resolves with the reason once the session can no longer be used. */
  readonly closed = new Promise<Error>((resolve) => (this.markClosed = resolve));

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (chunk: string) => this.read(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new AmiError('AMI connection closed')));
  }

  static open(host: string, port: number): Promise<AmiSession> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new AmiError(`AMI ${host}:${port} did not answer`));
      }, TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new AmiSession(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new AmiError(`AMI ${host}:${port}: ${err.message}`));
      });
    });
  }

  send(fields: AmiMessage, timeoutMs = TIMEOUT_MS): Promise<AmiMessage> {
    if (this.failure) return Promise.reject(this.failure);
    for (const [k, v] of Object.entries(fields)) {
      // A line break would start another header (or action) of the caller's choosing.
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) return Promise.reject(new AmiError(`AMI field ${k} holds a line break`));
    }
    const id = String(this.nextId++);
    const text = Object.entries({ ...fields, ActionID: id }).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new AmiTimeoutError(`AMI ${fields.Action} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.socket.write(text);
    });
  }

  close(): void {
    this.fail(new AmiError('AMI session closed'));
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    if (!this.bannerSeen) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return;
      this.bannerSeen = true;
      this.buffer = this.buffer.slice(end + 2);
    }
    let end: number;
    while ((end = this.buffer.indexOf('\r\n\r\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 4);
      const message: AmiMessage = {};
      for (const line of block.split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) message[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      const pending = message.ActionID ? this.waiting.get(message.ActionID) : undefined;
      if (!pending || !message.Response) continue;
      clearTimeout(pending.timer);
      this.waiting.delete(message.ActionID);
      pending.resolve(message);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.markClosed(this.failure);
    this.socket.destroy();
    for (const [id, p] of this.waiting) {
      clearTimeout(p.timer);
      p.reject(err);
      this.waiting.delete(id);
    }
  }
}
