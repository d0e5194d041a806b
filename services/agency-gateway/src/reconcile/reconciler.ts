/**
 * Reconciliation of an agency service's outbox with the events stream. Every period it takes a
 * bounded batch of records the relay published and nobody has yet confirmed, looks each one up
 * in the stream (`stream-check.ts`), confirms those found, and publishes again those the stream
 * lacks, with the same Nats-Msg-Id and signature, so that JetStream stores each once; then it
 * compacts records confirmed longer ago than the retention.
 *
 * Why records must settle first: nats-server before 2.10 (and later ones without
 * `sync_interval: always`) acks a write before it is on disk, and flushes every two minutes. A
 * record read back at once may still be lost by a power cut; one read back after `settleMs`
 * was on disk when read. So only records published at least `settleMs` ago are checked.
 *
 * Why nothing doubles: within the stream's dedup window (24 h) a record that is in fact there is
 * acked as a duplicate with its real sequence; beyond it a second copy may be stored, and the
 * projector applies an event id once (a second copy is counted as a duplicate, not applied).
 *
 * @example
 * const r = createReconciler({ ledger, nc, logger, sign, intervalMs: 60_000, settleMs: 300_000, batch: 5000, retentionMs });
 * r.start();
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { headers } from '@nats-io/transport-node';
import type { Logger } from '@hub/platform';
import { systemClock, type Clock } from '../clock.js';
import type { PublishedRow, ReconcileLedger } from './ledger.js';
import { checkInStream, eachLimited } from './stream-check.js';

export interface ReconcilerOptions {
  ledger: ReconcileLedger;
  nc: NatsConnection;
  logger: Logger;
  /** Signature headers for a message, as the relay adds them. */
  sign?: (subject: string, body: Uint8Array) => readonly (readonly [string, string])[];
  /** Time between two runs. */
  intervalMs: number;
  /** Only records published at least this long ago are checked (confirmed on disk). */
  settleMs: number;
  /** Most records checked, and most compacted, in one run. */
  batch: number;
  /** Confirmed records keep their body this long, then are compacted. */
  retentionMs: number;
  /** Lookups and re-publications in flight at once. @default 64 */
  concurrency?: number;
  clock?: Clock;
}

/** Cumulative counts of this process's life, and the last run's outcome. */
export interface ReconcileStats {
  runs: number;
  failedRuns: number;
  checked: number;
  confirmed: number;
  /** Found missing from the stream. */
  missing: number;
  /** Published again and stored anew (not acked as a duplicate). */
  restored: number;
  compacted: number;
  /** Found missing in the last completed run. */
  lastMissing: number;
  /** End of the last completed run (ms since epoch); 0 before the first. */
  lastRunAt: number;
  lastError: string | undefined;
}

export interface RunResult {
  checked: number;
  confirmed: number;
  missing: number;
  restored: number;
  compacted: number;
  /** Whether this run reached the end of the records to check (the next starts over). */
  wrapped: boolean;
}

export interface Reconciler {
  start(): void;
  /** One run now (waits for a run in progress instead of overlapping it). */
  runOnce(): Promise<RunResult>;
  stop(): Promise<void>;
  stats(): ReconcileStats;
}

interface PubAck {
  seq?: number;
  duplicate?: boolean;
  error?: { description?: string };
}

const decoder = new TextDecoder();

export function createReconciler(opts: ReconcilerOptions): Reconciler {
  const { ledger, nc, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const concurrency = opts.concurrency ?? 64;
  const stats: ReconcileStats = {
    runs: 0,
    failedRuns: 0,
    checked: 0,
    confirmed: 0,
    missing: 0,
    restored: 0,
    compacted: 0,
    lastMissing: 0,
    lastRunAt: 0,
    lastError: undefined,
  };
  let cursor = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<RunResult> | undefined;
  let running = false;

  const republish = async (rows: readonly PublishedRow[]) => {
    const acks: { seq: number; streamSeq: number }[] = [];
    let restored = 0;
    await eachLimited(rows, concurrency, async (row) => {
      // Never compacted while unconfirmed: a missing body is a broken invariant, not a skip.
      const body = ledger.body(row.seq);
      if (body === undefined) throw new Error(`outbox row ${row.seq} has no body to publish again`);
      const h = headers();
      h.set('Nats-Msg-Id', row.msgId);
      if (opts.sign) for (const [k, v] of opts.sign(row.subject, body)) h.set(k, v);
      const reply = await nc.request(row.subject, body, { headers: h, timeout: 10_000 });
      const ack = JSON.parse(decoder.decode(reply.data)) as PubAck;
      if (ack.error !== undefined || typeof ack.seq !== 'number')
        throw new Error(`re-publication refused: ${ack.error?.description ?? 'ack without seq'}`);
      acks.push({ seq: row.seq, streamSeq: ack.seq });
      if (ack.duplicate !== true) restored += 1;
    });
    return { acks, restored };
  };

  const run = async (): Promise<RunResult> => {
    const now = clock.now();
    const rows = ledger.unconfirmed({
      afterSeq: cursor,
      publishedBefore: new Date(now.getTime() - opts.settleMs).toISOString(),
      limit: opts.batch,
    });
    const wrapped = rows.length < opts.batch;
    const { found, missing } = await checkInStream(nc, rows, { concurrency });
    const at = clock.now().toISOString();
    ledger.confirm(
      found.map((f) => ({ seq: f.row.seq, streamSeq: f.streamSeq })),
      at,
    );
    let restored = 0;
    if (missing.length > 0) {
      logger.warn(
        { missing: missing.length, first: missing.slice(0, 5).map((r) => r.eventId) },
        '对账：流中缺少已接收的记录，重新发布 (reconcile: accepted records missing from the stream; publishing them again)',
      );
      const out = await republish(missing);
      // Their new place is checked again once it has settled, like any publication.
      ledger.republished(out.acks, clock.now().toISOString());
      restored = out.restored;
    }
    cursor = wrapped ? 0 : (rows.at(-1)?.seq ?? 0);
    const cutoff = new Date(now.getTime() - opts.retentionMs).toISOString();
    const compacted = ledger.compact(cutoff, clock.now().toISOString(), opts.batch);
    return {
      checked: rows.length,
      confirmed: found.length,
      missing: missing.length,
      restored,
      compacted,
      wrapped,
    };
  };

  const runOnce = (): Promise<RunResult> => {
    if (current) return current.catch(() => undefined).then(() => runOnce());
    current = run()
      .then(
        (r) => {
          stats.runs += 1;
          stats.checked += r.checked;
          stats.confirmed += r.confirmed;
          stats.missing += r.missing;
          stats.restored += r.restored;
          stats.compacted += r.compacted;
          stats.lastMissing = r.missing;
          stats.lastRunAt = Date.now();
          stats.lastError = undefined;
          return r;
        },
        (err: unknown) => {
          stats.failedRuns += 1;
          const message = (err as Error).message;
          if (stats.lastError !== message)
            logger.warn({ err }, '对账失败，下次重试 (reconcile run failed; retried next period)');
          stats.lastError = message;
          throw err;
        },
      )
      .finally(() => {
        current = undefined;
      });
    return current;
  };

  const tick = () => {
    if (!running) return;
    runOnce()
      .catch(() => undefined)
      .finally(() => {
        if (running) timer = setTimeout(tick, opts.intervalMs);
      });
  };

  return {
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(tick, opts.intervalMs);
    },
    runOnce,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current?.catch(() => undefined);
    },
    stats: () => ({ ...stats }),
  };
}
