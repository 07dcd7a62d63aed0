import { Injectable } from '@nestjs/common';
import { connect, Socket } from 'node:net';
import { AppConfig } from '../../config/app-config';

export type AmiMessage = Record<string, string>;

const TIMEOUT_MS = 5000;

export class AmiError extends Error {}

/**
 * Asterisk's AMI, for the one thing ARI cannot do: PJSIPNotify (a NOTIFY to a registered phone).
 * One short session per action (login, action, logoff): a handful a day, so no link to supervise.
 * The user can only log in from loopback and receives no events (asterisk-config/manager.conf).
 */
@Injectable()
export class AmiClient {
  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.ami !== null;
  }

  /** Runs one action; resolves with Asterisk's answer, rejects when it is not a Success. */
  async action(fields: AmiMessage): Promise<AmiMessage> {
    const ami = this.config.ami;
    if (!ami) throw new AmiError('AMI is not configured (AMI_PORT)');
    for (const [k, v] of Object.entries(fields)) {
      // A line break would start another header (or action) of the caller's choosing.
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new AmiError(`AMI field ${k} holds a line break`);
    }
    const session = await AmiSession.open(ami.host, ami.port);
    try {
      const login = await session.send({ Action: 'Login', Username: ami.username, Secret: ami.password, Events: 'off' });
      if (login.Response !== 'Success') throw new AmiError(`AMI login refused: ${login.Message ?? login.Response}`);
      const answer = await session.send(fields);
      if (answer.Response !== 'Success') throw new AmiError(`AMI ${fields.Action}: ${answer.Message ?? answer.Response}`);
      await session.send({ Action: 'Logoff' }).catch(() => undefined);
      return answer;
    } finally {
      session.close();
    }
  }
}

/** One AMI TCP session: the banner, then request / response blocks matched by ActionID. */
class AmiSession {
  private buffer = '';
  private bannerSeen = false;
  private nextId = 1;
  private readonly waiting = new Map<string, { resolve: (m: AmiMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
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

  send(fields: AmiMessage): Promise<AmiMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const id = String(this.nextId++);
    const text = Object.entries({ ...fields, ActionID: id }).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new AmiError(`AMI ${fields.Action} got no answer`));
      }, TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      this.socket.write(text);
    });
  }

  close(): void {
    this.socket.destroy();
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
    for (const [id, p] of this.waiting) {
      clearTimeout(p.timer);
      p.reject(err);
      this.waiting.delete(id);
    }
  }
}
