/**
 * The live projector of a data folder: writes the read model named by
 * `<HUB_DATA_DIR>/read-model/CURRENT` and follows it when `hub rebuild` switches it, so a
 * rebuild never stops the service.
 */
import { mkdirSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subscription } from '@nats-io/transport-node';
import { isHubError } from '@hub/domain';
import { type Logger } from '@hub/platform';
import { createProjector, type Projector, type ProjectorOptions, type ProjectorStats } from './projector.js';
import { currentReadModelPath, readModelDir } from '@hub/read-model';

/** Core NATS request subject on which the live projector retries a dead letter: `{"seq": n}`. */
export const DLQ_RETRY_SUBJECT = 'hub.projector.dlq.retry';

export interface LiveProjector {
  /** The projector writing the current file (undefined while switching). */
  current(): Projector | undefined;
  /** Stats of the current projector, with applied and dead-letter totals over this process's life. */
  stats(): ProjectorStats | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLiveProjector(
  opts: {
    nc: NatsConnection;
    dataDir: string;
    logger: Logger;
    pollMs?: number;
    /**
     * Whether this process answers `hub dlq retry`: over PostgreSQL only the active projector
     * does (a standby stays silent, so the active one's answer is the one received). @default always
     */
    answersRetries?: () => boolean;
    /** Awaited before answering a retry (over PostgreSQL: until it is shipped). */
    afterRetry?: () => Promise<void>;
  } & Pick<
    ProjectorOptions,
    'batchSize' | 'maxWaitMs' | 'stallMs' | 'sideEffects' | 'decodeInWorker' | 'signatures' | 'publishing'
  >,
): LiveProjector {
  let projector: Projector | undefined;
  let timer: NodeJS.Timeout | undefined;
  let switching = false;
  let retries: Subscription | undefined;
  const totals = {
    eventsApplied: 0,
    deadLetters: 0,
    duplicates: 0,
    batches: 0,
    consumerPauses: 0,
    consumerRestarts: 0,
  };
  const stopCurrent = async () => {
    const p = projector;
    projector = undefined;
    if (!p) return;
    await p.stop();
    const s = p.stats();
    totals.eventsApplied += s.eventsApplied;
    totals.deadLetters += s.deadLetters;
    totals.duplicates += s.duplicates;
    totals.batches += s.batches;
    totals.consumerPauses += s.consumerPauses;
    totals.consumerRestarts += s.consumerRestarts;
  };
  const open = async (path: string) => {
    const p = createProjector({ ...opts, readModelPath: path, mode: 'live', logger: opts.logger });
    await p.start();
    projector = p;
  };
  const follow = async () => {
    const path = currentReadModelPath(opts.dataDir);
    if (switching || path === projector?.path) return;
    switching = true;
    try {
      opts.logger.info({ from: projector?.path, to: path }, '读模型已切换 (read model switched by CURRENT)');
      await stopCurrent();
      await open(path);
    } catch (err) {
      // The rebuild may still hold the new file for a moment: try again on the next tick.
      if (!isHubError(err, 'READ_MODEL_LOCKED')) opts.logger.error({ err }, 'switch failed');
    } finally {
      switching = false;
    }
  };
  return {
    current: () => projector,
    stats() {
      if (!projector) return undefined;
      const s = projector.stats();
      return {
        ...s,
        eventsApplied: s.eventsApplied + totals.eventsApplied,
        deadLetters: s.deadLetters + totals.deadLetters,
        duplicates: s.duplicates + totals.duplicates,
        batches: s.batches + totals.batches,
        consumerPauses: s.consumerPauses + totals.consumerPauses,
        consumerRestarts: s.consumerRestarts + totals.consumerRestarts,
      };
    },
    async start() {
      mkdirSync(readModelDir(opts.dataDir), { recursive: true });
      await open(currentReadModelPath(opts.dataDir));
      timer = setInterval(() => void follow(), opts.pollMs ?? 1000);
      // `hub dlq retry` asks the one writer to retry, rather than writing the file itself.
      retries = opts.nc.subscribe(DLQ_RETRY_SUBJECT, {
        callback: (err, msg) => {
          if (err) {
            // e.g. a user without permission for this subject: log, never crash the reader
            opts.logger.warn({ err }, 'dlq retry subscription failed');
            return;
          }
          if (!(opts.answersRetries?.() ?? true)) return;
          const seq = Number((msg.json<{ seq?: unknown }>() ?? {}).seq);
          const p = projector;
          const answer = !p
            ? Promise.reject(new Error('投影正在切换 (projector is switching files)'))
            : p.retryDeadLetter(seq).then(async (r) => {
                await opts.afterRetry?.();
                return r;
              });
          answer.then(
            (r) => msg.respond(JSON.stringify({ ok: true, ...r })),
            (err: unknown) =>
              msg.respond(
                JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }),
              ),
          );
        },
      });
    },
    async stop() {
      if (timer) clearInterval(timer);
      retries?.unsubscribe();
      await stopCurrent();
    },
  };
}
