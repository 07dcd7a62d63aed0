// pino to stderr (stdout carries --list / --test output); one child per class as context.
import pino, { Logger } from 'pino';

export function createDeskLogger(level: string): Logger {
  return pino({ name: 'leadline-desk', level, redact: ['token', 'deviceToken', 'auth'] }, pino.destination({ fd: 2, sync: true }));
}
