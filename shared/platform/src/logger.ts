import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * A structured JSON logger (pino) for one service; level from config. Each line carries the
 * service once (`service`, no pino `name` beside it). Fastify's own "Server listening at …" line
 * is dropped: each service logs one `listening` line with its URL and what it serves.
 */
export const createLogger = (service: string, level = 'info', destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          if (typeof args[0] === 'string' && args[0].startsWith('Server listening at ')) return;
          method.apply(this, args);
        },
      },
    },
    destination,
  );

/** A logger that writes nothing, for tests and library callers that bring none. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
