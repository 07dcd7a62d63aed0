import { Logger } from '@nestjs/common';
import { open, stat } from 'node:fs/promises';

/**
 * Follows Asterisk's security log (a text file Asterisk appends to) like `tail -F`: starts at its
 * end, hands every new complete line to the listener, and starts over when the file is rotated
 * (another inode) or truncated. A missing file is waited for (Asterisk may start later). The one
 * place that reads it.
 */
export class SecurityLogReader {
  private readonly logger = new Logger(SecurityLogReader.name);
  private timer?: NodeJS.Timeout;
  private inode?: number;
  private offset = 0;
  private partial = '';
  private reading = false;
  private missingLogged = false;

  constructor(
    private readonly file: string,
    private readonly onLine: (line: string) => void,
    private readonly pollMs = 500,
  ) {}

  async start(): Promise<void> {
    // History before the start is not counted again: a restart must not re-ban lifted addresses.
    const st = await stat(this.file).catch(() => null);
    if (st) {
      this.inode = st.ino;
      this.offset = st.size;
    }
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      await this.readNew();
    } catch (err) {
      this.logger.warn(`cannot read ${this.file}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.reading = false;
    }
  }

  private async readNew(): Promise<void> {
    const st = await stat(this.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      return null;
    });
    if (!st) {
      if (!this.missingLogged) this.logger.warn(`${this.file} does not exist (yet): SIP bans wait for Asterisk's security log`);
      this.missingLogged = true;
      return;
    }
    this.missingLogged = false;
    if (st.ino !== this.inode || st.size < this.offset) {
      // Rotated (another inode) or truncated (shorter than what was read): read the new file from
      // its start. A truncated file that has already grown past the old length between two polls
      // is not noticed; Asterisk's own rotation (and logrotate without copytruncate) renames.
      this.inode = st.ino;
      this.offset = 0;
      this.partial = '';
    }
    if (st.size === this.offset) return;
    const handle = await open(this.file, 'r');
    try {
      const length = Math.min(st.size - this.offset, 4 * 1024 * 1024);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
      this.offset += bytesRead;
      const lines = (this.partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line) this.onLine(line);
    } finally {
      await handle.close();
    }
  }
}
