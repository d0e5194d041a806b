/**
 * The projector's writer into a PostgreSQL read model, as the entry point uses it: change
 * capture installed on the working copy before the projector starts (`prepare`), then the
 * shipper (pg-shipper.ts) on a worker thread. On its own thread the shipper's PostgreSQL round
 * trips and the writer lock's polls never wait for the projector's transactions, which during a
 * catch-up keep the main thread busy.
 *
 * @example
 * const writer = createPgWriter({ dataDir, url, logLevel: 'info', log });
 * await writer.prepare();
 * const live = createLiveProjector({ ..., sideEffects: [async () => writer.kick()] });
 * await live.start(); writer.start();
 * // on SIGTERM, after live.stop():
 * await writer.stop();
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '@hub/platform';
import { PG_VACUUM_AFTER_ROWS, prepareWorkingCopy, type PgWriterStatus } from './pg-shipper.js';

export type { PgWriterStatus, PgRole } from './pg-shipper.js';
export { PG_VACUUM_AFTER_ROWS } from './pg-shipper.js';

export interface PgWriterWorkerData {
  dataDir: string;
  url: string;
  logLevel: string;
  lockPollMs: number;
  passMs: number;
  vacuumAfterRows: number;
}

export type PgWriterRequest = { type: 'kick' } | { type: 'idle'; id: number } | { type: 'stop'; id: number };
type PgWriterReply = { type: 'status'; status: PgWriterStatus } | { type: 'done'; id: number };

export interface PgWriter {
  /** Opens (creating, migrating) the current working copy and installs change capture on it. */
  prepare(): Promise<void>;
  start(): void;
  /** Ship soon (after each commit). */
  kick(): void;
  status(): PgWriterStatus;
  /** Resolves once what was committed before the call has had a pass. */
  idle(): Promise<void>;
  /** Ships what the projector committed last, lets go of the lock, ends the thread. */
  stop(): Promise<void>;
}

export function createPgWriter(opts: {
  dataDir: string;
  url: string;
  log: Logger;
  logLevel: string;
  /** A standby tries the lock this often. @default 1000 */
  lockPollMs?: number;
  /** A pass at least this often. @default 1000 */
  passMs?: number;
  /** `VACUUM (ANALYZE)` once idle after this many rows shipped; 0: never. @default PG_VACUUM_AFTER_ROWS */
  vacuumAfterRows?: number;
}): PgWriter {
  let worker: Worker | undefined;
  let status: PgWriterStatus = {
    role: 'standby',
    pgPosition: 0,
    shipments: 0,
    rowsShipped: 0,
    fullCopies: 0,
    vacuums: 0,
    vacuuming: false,
    rowsSinceVacuum: 0,
  };
  let nextId = 1;
  const waiting = new Map<number, () => void>();

  const ask = (type: 'idle' | 'stop'): Promise<void> => {
    const w = worker;
    if (!w) return Promise.resolve();
    const id = nextId++;
    return new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      w.postMessage({ type, id } satisfies PgWriterRequest);
    });
  };

  return {
    prepare: () => prepareWorkingCopy(opts.dataDir),
    start() {
      const data: PgWriterWorkerData = {
        dataDir: opts.dataDir,
        url: opts.url,
        logLevel: opts.logLevel,
        lockPollMs: opts.lockPollMs ?? 1000,
        passMs: opts.passMs ?? 1000,
        vacuumAfterRows: opts.vacuumAfterRows ?? PG_VACUUM_AFTER_ROWS,
      };
      const w = new Worker(new URL('./pg-writer-worker.js', import.meta.url), { workerData: data });
      worker = w;
      w.on('message', (m: PgWriterReply) => {
        if (m.type === 'status') status = m.status;
        else {
          waiting.get(m.id)?.();
          waiting.delete(m.id);
        }
      });
      w.on('error', (err) => {
        opts.log.error({ err }, 'PostgreSQL 写入线程出错 (the PostgreSQL writer thread failed)');
        status = { ...status, role: 'standby', lastError: err.message };
      });
      w.on('exit', () => {
        if (worker === w) worker = undefined;
        for (const resolve of waiting.values()) resolve();
        waiting.clear();
      });
    },
    kick: () => worker?.postMessage({ type: 'kick' } satisfies PgWriterRequest),
    status: () => ({ ...status }),
    idle: () => ask('idle'),
    async stop() {
      const w = worker;
      if (!w) return;
      await ask('stop');
      worker = undefined;
      await w.terminate();
    },
  };
}
