// pino to stderr (stdout carries --list / --test output), or appended to --log-file; one child per
// class as context.
import pino, { Logger } from 'pino';

export function createDeskLogger(level: string, file?: string): Logger {
  const destination = file ? pino.destination({ dest: file, append: true, mkdir: true, sync: true }) : pino.destination({ fd: 2, sync: true });
  return pino({ name: 'leadline-desk', level, redact: ['token', 'deviceToken', 'auth'] }, destination);
}
