import { pino, type DestinationStream, type Logger } from 'pino';

export type { DestinationStream, Logger };

/** A JSON-lines logger (pino) at `level`, writing to `destination` or, without one, to stdout. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level, base: { service: 'palco' } }, destination) : pino({ level, base: { service: 'palco' } });
}
