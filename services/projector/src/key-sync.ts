/**
 * Keeps the key registry as current as the events being decided need. A message is decided on
 * the keys registered or revoked up to its stream time, so before each round the key stream is
 * read again — unless the registry is already known to hold every key event up to the round's
 * newest message.
 *
 * That knowledge comes from reading, before the key stream, the time of the events stream's last
 * message: a key event the key read did not see was stored after it, so after that last event.
 * Every message up to that time can then be decided without another read, which is what a
 * catch-up consists of; live messages, newer, still cost a read per round. The two streams'
 * times come from their leaders' clocks: `clockMarginMs` covers their disagreement in a cluster.
 *
 * @example
 * const keys = createKeySync({ nc, registry });
 * await keys.start();
 * const changed = await keys.sync(newestTimeOfRound, catchingUp);
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@hub/domain';
import { syncKeyRegistry, type KeyRegistry } from '@hub/platform';

export interface KeySyncOptions {
  nc: NatsConnection;
  registry: KeyRegistry;
  /** How far the events stream's and the key stream's clocks may disagree. @default 2000 */
  clockMarginMs?: number;
  /** Tries of a read that fails (a NATS hiccup) before giving up, 500 ms apart. @default 60 */
  attempts?: number;
}

export interface KeySync {
  /** The first read (a failure leaves the registry empty; the next sync reads again). */
  start(): Promise<void>;
  /**
   * Reads what the key stream gained, unless every key event up to `newest` (a stream time, ISO)
   * is known already; with `catchingUp`, also learns how far that knowledge reaches. True when
   * the registry changed.
   */
  sync(this: void, newest: string, catchingUp: boolean): Promise<boolean>;
  /** Every key event stored at or before this stream time is in the registry (ISO). */
  knownUntil(): string;
}

export function createKeySync(opts: KeySyncOptions): KeySync {
  const margin = opts.clockMarginMs ?? 2000;
  const attempts = opts.attempts ?? 60;
  let keysSeq = 0;
  let known = '';

  const read = async (learnHorizon: boolean) => {
    let horizon: string | undefined;
    if (learnHorizon) {
      const jsm = await jetstreamManager(opts.nc, { checkAPI: false });
      const last = Date.parse((await jsm.streams.info(EVENTS_STREAM)).state.last_ts);
      if (Number.isFinite(last)) horizon = new Date(last - margin).toISOString();
    }
    keysSeq = await syncKeyRegistry(opts.nc, opts.registry, keysSeq);
    if (horizon !== undefined && horizon > known) known = horizon;
  };

  return {
    async start() {
      await read(true).catch(() => undefined);
    },
    async sync(newest, catchingUp) {
      if (newest <= known) return false;
      const before = opts.registry.version();
      // A slice is never decided on keys that may be stale: wait out a NATS hiccup.
      for (let attempt = 1; ; attempt++) {
        try {
          await read(catchingUp);
          break;
        } catch (err) {
          if (attempt >= attempts) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      return opts.registry.version() !== before;
    },
    knownUntil: () => known,
  };
}
