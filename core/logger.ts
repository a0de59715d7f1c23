import { pino } from 'pino';
import type { Logger, DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs; every component takes a child of this logger in its options. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination === undefined ? pino({ level, base: { app: 'vigil' } }) : pino({ level, base: { app: 'vigil' } }, destination);
}
