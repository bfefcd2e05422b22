import { pino } from 'pino';
import type { Logger } from 'pino';

/** A pino logger writing JSON lines to stdout, as every agent log line is. */
export function createLogger(level: string): Logger {
  return pino({ name: 'switchboard-agent', level });
}
