/**
 * The alerts' attachment to one projector and its read model file: the batch hook (alerts in
 * the batch's transaction, every mode) and, in `live` mode only, delivery after each commit.
 * Kept here so the projector needs a few hook lines only.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { parseCoordinationSettings, type CoordinationSettingsInput } from '@hub/domain';
import { type Logger } from '@hub/platform';
import type { ReadModelStore, SqliteDb } from '@hub/read-model';
import type { BatchHook } from '../batch.js';
import { createAlertProjection } from './projection.js';
import { createAlertDelivery, type AlertDelivery } from './delivery.js';

export interface AttachedAlerts {
  readonly hook: BatchHook;
  /** After a commit (live): publish what is new. */
  afterCommit(): void;
  /** Marks alerts raised up to `seq` delivered without publishing (a standby's). */
  assumeDeliveredUpTo(seq: number): void;
  /** Resolves when delivery has nothing in flight (tests). */
  idle(): Promise<void>;
  /** Stops delivery; given the position the file is at (a clean stop), stores the rules' state. */
  close(position?: number): Promise<void>;
}

export function attachAlerts(opts: {
  nc: NatsConnection;
  sqlite: SqliteDb;
  /** The read model port (retrospective checks read through it). */
  store: ReadModelStore;
  readModelPath: string;
  position: number;
  mode: 'live' | 'rebuild' | 'replay';
  /** Coordination rule settings (the projector's `coordination` option). */
  coordination?: CoordinationSettingsInput | undefined;
  log: Logger;
  /** Delivers only while this answers true (a standby over PostgreSQL does not). @default always */
  publishing?: (() => boolean) | undefined;
}): AttachedAlerts {
  const projection = createAlertProjection({
    sqlite: opts.sqlite,
    store: opts.store,
    settings: parseCoordinationSettings(opts.coordination ?? {}),
    position: opts.position,
    log: opts.log,
  });
  // Rebuilds and replays never publish and never touch the delivery file.
  const delivery: AlertDelivery | undefined =
    opts.mode === 'live'
      ? createAlertDelivery({
          nc: opts.nc,
          readModel: opts.sqlite,
          readModelPath: opts.readModelPath,
          log: opts.log,
        })
      : undefined;
  if (opts.publishing?.() ?? true) delivery?.kick(); // what the read model holds and the delivery file lacks
  return {
    hook: (events, position, lastSeq) => projection.apply(events, position, lastSeq),
    afterCommit: () => delivery?.kick(),
    assumeDeliveredUpTo: (seq) => delivery?.assumeDeliveredUpTo(seq),
    idle: () => delivery?.idle() ?? Promise.resolve(),
    close: async (position) => {
      if (position !== undefined) {
        try {
          projection.saveSnapshot(position);
        } catch (err) {
          opts.log.warn({ err }, 'coordination snapshot not saved (the next start folds the timeline)');
        }
      }
      await delivery?.close();
    },
  };
}
