import { pino } from 'pino';

export type Logger = pino.Logger;

/** A structured JSON logger (pino) for one service; level from config. */
export const createLogger = (service: string, level = 'info'): Logger =>
  pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });

/** A logger that writes nothing, for tests and library callers that bring none. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
