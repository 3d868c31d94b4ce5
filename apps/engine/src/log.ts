// Structured JSON logs (pino): one line per event, with the request id where there is one.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'engine' }, timestamp: pino.stdTimeFunctions.isoTime });
}
