/**
 * The projector: reads ENF_EVENTS with an ordered consumer from the stored position, applies
 * many events per SQLite transaction (position included), and only in `live` mode performs
 * side effects (dead-letter notifications now, alert notifications later).
 *
 * @example
 * const projector = createProjector({ nc, readModelPath: 'var/read-model/read-model.sqlite' });
 * await projector.start();
 * await projector.catchUp(); // resolves once the stream's current end is applied
 * await projector.stop();
 */
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, HubError, type CoordinationSettingsInput } from '@hub/domain';
import { silentLogger, type Logger } from '@hub/platform';
import { openReadModelFile, type SqliteDb, createReadModelStore, type ReadModelStore } from '@hub/read-model';
import { acquireWriterLock, type WriterLock } from './writer-lock.js';
import { isDiskFull, runBatch, type BatchItem, type BatchResult } from './batch.js';
import type { Decoded, StreamMessage } from './projection/decode.js';
import { createDecoder, type Decoder } from './decoder.js';
import { createDeadLetterNotifier, type DeadLetterNotifier } from './dead-letters.js';
import { retryDeadLetter, type RetryResult } from './retry.js';
import { attachAlerts, type AttachedAlerts } from './alerts/attach.js';

export type ProjectorMode = 'live' | 'rebuild' | 'replay';

export interface ProjectorOptions {
  nc: NatsConnection;
  readModelPath: string;
  logger?: Logger;
  /** Side effects (dead-letter and alert notifications) happen only in `live`. @default 'live' */
  mode?: ProjectorMode;
  /** Events per transaction at most. @default 10000 */
  batchSize?: number;
  /** Flush after this long without a new message. @default 20 */
  idleFlushMs?: number;
  /** Commit a partial batch at the latest this long after its oldest event was decoded. @default 500 */
  maxLatencyMs?: number;
  /** Stop before the first message past this sequence or stream time (audit replay). */
  until?: { seq?: number | undefined; time?: string | undefined } | undefined;
  /** Called after each commit (e.g. a progress bar). */
  onBatch?: (batch: CommittedBatch) => void;
  /** Stop consuming above this many buffered messages. @default max(4 × batchSize, 20000) */
  maxBufferedEvents?: number;
  /** Decode and check messages on a worker thread (two cores, two stages). @default false */
  decodeInWorker?: boolean;
  /** Called after each commit in live mode only: where downstream notifications belong. */
  sideEffects?: ((batch: CommittedBatch) => Promise<void>)[];
  /** Coordination rule settings (issue 5); part of what a rebuild must reproduce. @default {} */
  coordination?: CoordinationSettingsInput | undefined;
}

export interface CommittedBatch extends BatchResult {
  readonly mode: ProjectorMode;
}

export interface ProjectorStats {
  streamLastSeq: number;
  appliedSeq: number;
  eventsApplied: number;
  duplicates: number;
  deadLetters: number;
  batches: number;
  /** Times the consumer was stopped because too much was buffered (and started again). */
  consumerPauses: number;
}

export interface Projector {
  readonly path: string;
  readonly mode: ProjectorMode;
  start(): Promise<void>;
  /** Flushes what it holds, stops consuming, releases the file. */
  stop(): Promise<void>;
  position(): number;
  stats(): ProjectorStats;
  /** Resolves when `seq` is applied (or the `until` bound was reached). */
  waitForSeq(seq: number): Promise<void>;
  /** Resolves when the stream's last sequence, as of now, is applied; returns that sequence. */
  catchUp(): Promise<number>;
  refreshStreamInfo(): Promise<number>;
  retryDeadLetter(seq: number): Promise<RetryResult>;
  health(): { ok: boolean; detail?: string };
}

export function createProjector(opts: ProjectorOptions): Projector {
  const log = opts.logger ?? silentLogger();
  const mode = opts.mode ?? 'live';
  const batchSize = opts.batchSize ?? 10_000;
  const idleMs = opts.idleFlushMs ?? 20;
  const maxLatencyMs = opts.maxLatencyMs ?? 500;
  const stats: ProjectorStats = {
    streamLastSeq: 0,
    appliedSeq: 0,
    eventsApplied: 0,
    duplicates: 0,
    deadLetters: 0,
    batches: 0,
    consumerPauses: 0,
  };
  let sqlite: SqliteDb | undefined;
  let store: ReadModelStore | undefined;
  let lock: WriterLock | undefined;
  let messages: ConsumerMessages | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let notifier: DeadLetterNotifier | undefined;
  let alerts: AttachedAlerts | undefined;
  let decoder: Decoder | undefined;
  // Three stages: raw messages (chunk) → decoding on the worker (queue) → decoded, waiting
  // for the next transaction (ready). All in stream order.
  const chunkSize = Math.min(1000, batchSize);
  let chunk: StreamMessage[] = [];
  const queue: { msgs: StreamMessage[]; decoded: Promise<Decoded[]> }[] = [];
  let queued = 0;
  let ready: BatchItem[] = [];
  let draining: Promise<void> | undefined;
  let firstAt = 0;
  let lastAt = 0;
  let readyAt = 0;
  let lastReceived = 0;
  let running = false;
  let paused = false;
  let reachedEnd = false;
  let failed: unknown;
  const waiters: { seq: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const buffered = () => chunk.length + queued + ready.length;
  // Memory bound: the consumer cannot be slowed, so it is stopped and started again.
  const highWater = opts.maxBufferedEvents ?? Math.max(4 * batchSize, 20_000);

  const settle = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (failed !== undefined) w.reject(failed);
      else if (stats.appliedSeq >= w.seq || (reachedEnd && buffered() === 0)) w.resolve();
      else continue;
      waiters.splice(i, 1);
    }
  };

  const fail = (err: unknown) => {
    failed ??= err;
    log.error({ err }, '读模型写入失败，投影停止 (read model write failed, projector stopped)');
    void messages?.close();
    messages = undefined;
  };

  // Disk full: the batch goes back to the front and is tried again a second later; the
  // consumer stops once too much is buffered, and starts again when the batch goes through.
  let diskFullSince: number | undefined;
  let diskRetryAt = 0;
  const applyReady = () => {
    if (ready.length === 0 || !store || failed !== undefined) return;
    if (diskFullSince !== undefined && Date.now() < diskRetryAt) return;
    const batch = ready;
    ready = [];
    try {
      const result = runBatch(store, batch, log, alerts?.hook);
      stats.appliedSeq = result.lastSeq;
      stats.eventsApplied += result.events.length;
      stats.duplicates += result.duplicates;
      stats.deadLetters += result.deadLetters.length;
      stats.batches += 1;
      stats.streamLastSeq = Math.max(stats.streamLastSeq, result.lastSeq);
      const committed: CommittedBatch = { ...result, mode };
      opts.onBatch?.(committed);
      if (mode === 'live') {
        notifier?.notify(result.deadLetters);
        alerts?.afterCommit();
        for (const effect of opts.sideEffects ?? []) {
          effect(committed).catch((err: unknown) => log.error({ err }, 'side effect failed'));
        }
      }
      if (diskFullSince !== undefined) {
        log.warn('磁盘空间已恢复，投影继续 (disk space is back; projecting again)');
        diskFullSince = undefined;
      }
    } catch (err) {
      if (isDiskFull(err)) {
        ready = batch.concat(ready);
        if (diskFullSince === undefined) {
          log.error({ err }, '磁盘已满，投影暂停 (disk full: projecting paused until space returns)');
          diskFullSince = Date.now();
        }
        diskRetryAt = Date.now() + 1000;
        return;
      }
      fail(err); // not a poison event (those are dead-lettered): the database itself failed
    }
  };

  const drain = async () => {
    await Promise.resolve(); // yield once, so `draining` is assigned before it is cleared below
    while (queue.length > 0 && failed === undefined) {
      const head = queue[0]!;
      let decoded: Decoded[];
      try {
        decoded = await head.decoded;
      } catch (err) {
        fail(err);
        break;
      }
      queue.shift();
      queued -= head.msgs.length;
      if (ready.length === 0) readyAt = Date.now();
      head.msgs.forEach((msg, i) => ready.push({ msg, decoded: decoded[i] }));
      // Full batches here; partial ones from the ticker once the stream goes quiet.
      if (ready.length >= batchSize) applyReady();
      if (paused && running && !reachedEnd && buffered() < highWater / 2) void resume();
      settle();
    }
    draining = undefined;
    settle();
  };

  const dispatch = () => {
    if (chunk.length === 0 || !decoder) return;
    const msgs = chunk;
    chunk = [];
    queue.push({ msgs, decoded: decoder.decode(msgs) });
    queued += msgs.length;
    draining ??= drain();
  };

  const onMessage = (m: JsMsg) => {
    if (m.seq <= lastReceived || reachedEnd) return; // a restarted consumer may overlap
    const time = m.time.toISOString();
    const beyond =
      (opts.until?.seq !== undefined && m.seq > opts.until.seq) ||
      (opts.until?.time !== undefined && time > opts.until.time);
    if (beyond) {
      reachedEnd = true;
      void messages?.close();
      messages = undefined;
      dispatch();
      settle();
      return;
    }
    lastReceived = m.seq;
    stats.streamLastSeq = Math.max(stats.streamLastSeq, m.seq + m.info.pending);
    const now = Date.now();
    if (chunk.length === 0) firstAt = now;
    lastAt = now;
    chunk.push({ seq: m.seq, subject: m.subject, data: m.data, time });
    if (chunk.length >= chunkSize) dispatch();
    if (!paused && buffered() > highWater) {
      paused = true;
      stats.consumerPauses += 1;
      void messages?.close();
      messages = undefined;
    }
  };

  const consumeFrom = async (seq: number) => {
    const consumer = await jetstream(opts.nc).consumers.get(EVENTS_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: seq,
    });
    messages = await consumer.consume({
      max_messages: Math.max(1000, Math.min(batchSize, 10_000)),
      callback: onMessage,
    });
  };

  const resume = async () => {
    paused = false;
    try {
      await consumeFrom(lastReceived + 1);
    } catch (err) {
      fail(err);
    }
  };

  const projector: Projector = {
    path: opts.readModelPath,
    mode,
    async start() {
      const opened = await openReadModelFile(opts.readModelPath);
      sqlite = opened.sqlite;
      try {
        lock = acquireWriterLock(sqlite, opts.readModelPath);
      } catch (err) {
        sqlite.close();
        sqlite = undefined;
        throw err;
      }
      store = createReadModelStore(sqlite, opened.db);
      stats.appliedSeq = store.position();
      stats.streamLastSeq = stats.appliedSeq;
      alerts = attachAlerts({ ...opts, sqlite, position: stats.appliedSeq, mode, log });
      if (mode === 'live') {
        notifier = createDeadLetterNotifier({ nc: opts.nc, store, readModelPath: opts.readModelPath, log });
        notifier.resendUnpublished();
      }
      if (opts.until?.seq !== undefined && stats.appliedSeq >= opts.until.seq) reachedEnd = true;
      await projector.refreshStreamInfo().catch(() => 0);
      decoder = createDecoder({ worker: opts.decodeInWorker ?? false });
      running = true;
      lastReceived = stats.appliedSeq;
      try {
        if (!reachedEnd) await consumeFrom(stats.appliedSeq + 1);
      } catch (err) {
        await projector.stop(); // give the file and its lock back
        throw err;
      }
      ticker = setInterval(
        () => {
          const now = Date.now();
          const quiet = now - lastAt >= idleMs;
          if (chunk.length > 0 && (quiet || now - firstAt >= maxLatencyMs)) dispatch();
          if (queue.length === 0 && ready.length > 0 && (quiet || now - readyAt >= maxLatencyMs)) {
            applyReady();
            settle();
          }
          if (paused && running && !reachedEnd && !draining && buffered() < highWater / 2) void resume();
        },
        Math.max(5, Math.min(idleMs, 50)),
      );
      log.info({ path: opts.readModelPath, mode, from: stats.appliedSeq + 1 }, 'projector started');
    },
    async stop() {
      running = false;
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      await messages?.close();
      messages = undefined;
      dispatch();
      await draining;
      applyReady();
      await decoder?.close();
      await notifier?.close();
      await alerts?.close();
      lock?.release();
      sqlite?.close();
      sqlite = undefined;
      store = undefined;
      failed ??= new HubError('INTERNAL', '投影已停止 (projector stopped)');
      settle();
    },
    position: () => stats.appliedSeq,
    stats: () => ({ ...stats }),
    waitForSeq(seq) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ seq, resolve, reject });
        settle();
      });
    },
    async catchUp() {
      const last = await projector.refreshStreamInfo();
      const target = Math.min(last, opts.until?.seq ?? Number.POSITIVE_INFINITY);
      await projector.waitForSeq(target);
      return stats.appliedSeq;
    },
    async refreshStreamInfo() {
      const jsm = await jetstreamManager(opts.nc);
      const info = await jsm.streams.info(EVENTS_STREAM);
      stats.streamLastSeq = Math.max(stats.appliedSeq, info.state.last_seq);
      return info.state.last_seq;
    },
    async retryDeadLetter(seq) {
      if (!store) throw new HubError('INTERNAL', '投影未启动 (projector not started)');
      const result = await retryDeadLetter({ nc: opts.nc, store, seq, log });
      if (mode === 'live' && result.deadLetter) notifier?.notify([result.deadLetter]);
      return result;
    },
    health: () =>
      diskFullSince !== undefined && failed === undefined
        ? {
            ok: false,
            detail: `磁盘已满，投影暂停，腾出空间后自动继续 (disk full since ${new Date(diskFullSince).toISOString()}: paused, resumes by itself once space returns)`,
          }
        : failed !== undefined && sqlite
          ? { ok: false, detail: failed instanceof Error ? failed.message : 'failed' }
          : opts.nc.isClosed()
            ? { ok: false, detail: 'NATS 连接已关闭 (NATS connection closed)' }
            : !sqlite
              ? { ok: false, detail: '投影未运行 (projector not running)' }
              : { ok: true },
  };
  return projector;
}
