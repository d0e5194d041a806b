/**
 * The projector: reads ENF_EVENTS from the stored position and applies many events per SQLite
 * transaction (position included); only in `live` mode does it perform side effects
 * (dead-letter and alert notifications). Three stages, each in its own module:
 *
 *   consumer (consumer.ts) ─slice, more?─▶ decode stage (decode-stage.ts) ─items, more?─▶ committer (committer.ts)
 *
 * This file wires them to the read model file, its writer lock, the alerts and the waiters.
 *
 * @example
 * const projector = createProjector({ nc, readModelPath: 'var/read-model/read-model.sqlite' });
 * await projector.start();
 * await projector.catchUp(); // resolves once the stream's current end is applied
 * await projector.stop();
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, HubError, type CoordinationSettingsInput } from '@hub/domain';
import { createKeyRegistry, silentLogger, type Logger } from '@hub/platform';
import { openReadModelFile, type SqliteDb, createReadModelStore, type ReadModelStore } from '@hub/read-model';
import { acquireWriterLock, type WriterLock } from './writer-lock.js';
import type { BatchResult } from './batch.js';
import { createDeadLetterNotifier, type DeadLetterNotifier } from './dead-letters.js';
import { retryDeadLetter, type RetryResult } from './retry.js';
import { attachAlerts, type AttachedAlerts } from './alerts/attach.js';
import { createStreamConsumer, type StreamConsumer } from './consumer.js';
import { createDecodeStage, type DecodeStage } from './decode-stage.js';
import { createKeySync, type KeySync } from './key-sync.js';
import type { SignatureCheck } from './projection/decode.js';
import { createCommitter, type Committer } from './committer.js';
import { createStallWatch } from './stall.js';

export type ProjectorMode = 'live' | 'rebuild' | 'replay';
export type SignaturePolicy = 'required' | 'allow-unsigned' | 'off';

export interface ProjectorOptions {
  nc: NatsConnection;
  readModelPath: string;
  logger?: Logger;
  /** Side effects (dead-letter and alert notifications) happen only in `live`. @default 'live' */
  mode?: ProjectorMode;
  /** Events per transaction at most. @default 10000 */
  batchSize?: number;
  /**
   * Commit what is held at the latest this long after the consumer said more was waiting but
   * nothing came (otherwise a batch commits as soon as nothing more is waiting). @default 100
   */
  maxWaitMs?: number;
  /** Stop before the first message past this sequence or stream time (audit replay). */
  until?: { seq?: number | undefined; time?: string | undefined } | undefined;
  /** Called after each commit (e.g. a progress bar). */
  onBatch?: (batch: CommittedBatch) => void;
  /** Stop consuming above this many messages waiting for the worker. @default max(4 × batchSize, 20000) */
  maxBufferedEvents?: number;
  /** Decode and check messages on a worker thread (two cores, two stages). @default false */
  decodeInWorker?: boolean;
  /** Called after each commit in live mode only: where downstream notifications belong. */
  sideEffects?: ((batch: CommittedBatch) => Promise<void>)[];
  /** Coordination rule settings; part of what a rebuild must reproduce. @default {} */
  coordination?: CoordinationSettingsInput | undefined;
  /**
   * Event signatures: `required` (the service's default) dead-letters a missing or bad one as
   * `bad_signature`; `allow-unsigned` is the migration switch (a bad signature is still refused);
   * `off` checks none (tests and benches that publish unsigned bytes). @default 'off'
   */
  signatures?: SignaturePolicy | undefined;
  /**
   * Live side effects (dead-letter notices, alert delivery) happen only while this answers true:
   * a standby over PostgreSQL publishes nothing. @default always
   */
  publishing?: () => boolean;
  /** Restart consumption when the stream holds more and nothing arrives for this long. @default 5000 */
  restartAfterMs?: number;
  /** `health()` fails when the stream holds more and the position has not moved for this long. @default 15000 */
  stallMs?: number;
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
  /** Times consumption was started again (NATS reconnected, or nothing arrived while behind). */
  consumerRestarts: number;
}

export interface Projector {
  readonly path: string;
  readonly mode: ProjectorMode;
  start(): Promise<void>;
  /** Commits what it holds, stops consuming, releases the file. */
  stop(): Promise<void>;
  position(): number;
  stats(): ProjectorStats;
  /** Resolves when `seq` is applied (or the `until` bound was reached). */
  waitForSeq(seq: number): Promise<void>;
  /** Resolves when the stream's last sequence, as of now, is applied; returns that sequence. */
  catchUp(): Promise<number>;
  refreshStreamInfo(): Promise<number>;
  retryDeadLetter(seq: number): Promise<RetryResult>;
  /** Publishes what this data folder has not yet announced (a standby that became active). */
  resumePublishing(): void;
  /** Records notices up to `seq` as published by another projector (a standby's). */
  assumePublishedUpTo(seq: number): void;
  health(): { ok: boolean; detail?: string };
}

export function createProjector(opts: ProjectorOptions): Projector {
  const log = opts.logger ?? silentLogger();
  const mode = opts.mode ?? 'live';
  const batchSize = opts.batchSize ?? 10_000;
  const stats: ProjectorStats = {
    streamLastSeq: 0,
    appliedSeq: 0,
    eventsApplied: 0,
    duplicates: 0,
    deadLetters: 0,
    batches: 0,
    consumerPauses: 0,
    consumerRestarts: 0,
  };
  let sqlite: SqliteDb | undefined;
  let store: ReadModelStore | undefined;
  let lock: WriterLock | undefined;
  let notifier: DeadLetterNotifier | undefined;
  let alerts: AttachedAlerts | undefined;
  let consumer: StreamConsumer | undefined;
  let decode: DecodeStage | undefined;
  let signatures: SignatureCheck | undefined;
  let signaturesSync: KeySync['sync'] | undefined;
  let committer: Committer | undefined;
  let watch: NodeJS.Timeout | undefined;
  let failed: unknown;
  const stall = createStallWatch(opts.stallMs ?? 15_000);
  const waiters: { seq: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  // Memory bound with the worker: the consumer cannot be slowed, so it is stopped and started again.
  const highWater = opts.maxBufferedEvents ?? Math.max(4 * batchSize, 20_000);
  const buffered = () => (decode?.pending() ?? 0) + (committer?.held() ?? 0);
  const ended = () => consumer?.ended() === true && buffered() === 0;

  const settle = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (failed !== undefined) w.reject(failed);
      else if (stats.appliedSeq >= w.seq || ended()) w.resolve();
      else continue;
      waiters.splice(i, 1);
    }
  };

  const fail = (err: unknown) => {
    failed ??= err;
    log.error({ err }, '读模型写入失败，投影停止 (read model write failed, projector stopped)');
    void consumer?.stop();
    settle();
  };

  const committed = (result: BatchResult) => {
    stats.appliedSeq = result.lastSeq;
    stats.eventsApplied += result.events.length;
    stats.duplicates += result.duplicates;
    stats.deadLetters += result.deadLetters.length;
    stats.batches += 1;
    stats.streamLastSeq = Math.max(stats.streamLastSeq, result.lastSeq);
    const batch: CommittedBatch = { ...result, mode };
    opts.onBatch?.(batch);
    if (mode === 'live') {
      if (opts.publishing?.() ?? true) {
        notifier?.notify(result.deadLetters);
        alerts?.afterCommit();
      }
      for (const effect of opts.sideEffects ?? []) {
        effect(batch).catch((err: unknown) => log.error({ err }, 'side effect failed'));
      }
    }
    if (consumer?.paused() && buffered() < highWater / 2) consumer.resume();
    stall.observe(stats.appliedSeq, streamLast(), Date.now());
    settle();
  };

  /** The stream's last sequence while it is below what the read model applied (lost writes). */
  let streamShortOf: number | undefined;
  const streamLast = () => Math.max(stats.streamLastSeq, consumer?.streamLastSeq() ?? 0);

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
      alerts = attachAlerts({ ...opts, sqlite, store, position: stats.appliedSeq, mode, log });
      if (mode === 'live') {
        notifier = createDeadLetterNotifier({ nc: opts.nc, store, readModelPath: opts.readModelPath, log });
        if (opts.publishing?.() ?? true) notifier.resendUnpublished();
      }
      await projector.refreshStreamInfo().catch(() => 0);
      const c = createCommitter({
        store,
        batchSize,
        maxWaitMs: opts.maxWaitMs ?? 100,
        hook: alerts.hook,
        onCommitted: committed,
        onFailed: fail,
        logger: log,
      });
      committer = c;
      if ((opts.signatures ?? 'off') !== 'off') {
        const check: SignatureCheck = {
          registry: createKeyRegistry(),
          allowUnsigned: opts.signatures === 'allow-unsigned',
        };
        const keys = createKeySync({ nc: opts.nc, registry: check.registry });
        await keys.start();
        signatures = check;
        signaturesSync = keys.sync;
      }
      const d = createDecodeStage({
        worker: opts.decodeInWorker ?? false,
        ...(signatures && signaturesSync ? { signatures: { check: signatures, sync: signaturesSync } } : {}),
        onItems: (items, more) => {
          c.add(items, more);
          settle();
        },
        onError: fail,
      });
      decode = d;
      consumer = createStreamConsumer({
        nc: opts.nc,
        from: stats.appliedSeq + 1,
        until: opts.until,
        pullSize: batchSize,
        withSignatures: signatures !== undefined,
        ...(opts.restartAfterMs !== undefined ? { restartAfterMs: opts.restartAfterMs } : {}),
        logger: log,
        onSlice: (msgs, more) => {
          d.push(msgs, more);
          if (!consumer?.paused() && buffered() > highWater) {
            stats.consumerPauses += 1;
            consumer?.pause();
          }
        },
        onEnd: () => {
          // A bounded replay: what is held is all there will be.
          void d.idle().then(() => {
            c.flush();
            settle();
          });
        },
      });
      consumer.sawStreamEnd(stats.streamLastSeq);
      try {
        await consumer.start();
      } catch (err) {
        await projector.stop(); // give the file and its lock back
        throw err;
      }
      if (mode === 'live') {
        // The stream's end, for the lag and the stall check (messages say it only while they come).
        watch = setInterval(() => {
          void projector
            .refreshStreamInfo()
            .catch(() => 0)
            .then(() => stall.observe(stats.appliedSeq, streamLast(), Date.now()));
        }, 2000);
        watch.unref();
      }
      log.info({ path: opts.readModelPath, mode, from: stats.appliedSeq + 1 }, 'projector started');
    },
    async stop() {
      if (watch) clearInterval(watch);
      watch = undefined;
      await consumer?.stop();
      await decode?.idle();
      committer?.flush();
      committer?.close();
      await decode?.close();
      await notifier?.close();
      // A clean stop stores the coordination rules' state, so the next start need not fold the timeline through them.
      await alerts?.close(failed === undefined && sqlite ? stats.appliedSeq : undefined);
      lock?.release();
      sqlite?.close();
      sqlite = undefined;
      store = undefined;
      failed ??= new HubError('INTERNAL', '投影已停止 (projector stopped)');
      settle();
    },
    position: () => stats.appliedSeq,
    stats: () => ({
      ...stats,
      streamLastSeq: streamLast(),
      consumerRestarts: consumer?.restarts() ?? 0,
    }),
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
      const short = info.state.last_seq < stats.appliedSeq;
      if (short && streamShortOf === undefined) {
        log.error(
          { streamLastSeq: info.state.last_seq, appliedSeq: stats.appliedSeq },
          '事件流短于读模型：服务器丢失了已确认的写入？ (the stream ends before what the read model applied: lost acknowledged writes?)',
        );
      }
      streamShortOf = short ? info.state.last_seq : undefined;
      stats.streamLastSeq = Math.max(stats.appliedSeq, info.state.last_seq);
      consumer?.sawStreamEnd(info.state.last_seq);
      return info.state.last_seq;
    },
    async retryDeadLetter(seq) {
      if (!store) throw new HubError('INTERNAL', '投影未启动 (projector not started)');
      const result = await retryDeadLetter({ nc: opts.nc, store, seq, log, signatures });
      if (mode === 'live' && result.deadLetter && (opts.publishing?.() ?? true))
        notifier?.notify([result.deadLetter]);
      return result;
    },
    resumePublishing() {
      notifier?.resendUnpublished();
      alerts?.afterCommit();
    },
    assumePublishedUpTo(seq) {
      notifier?.assumeSentUpTo(Math.min(seq, stats.appliedSeq));
      alerts?.assumeDeliveredUpTo(Math.min(seq, stats.appliedSeq));
    },
    health() {
      if (failed !== undefined && sqlite)
        return { ok: false, detail: failed instanceof Error ? failed.message : 'failed' };
      if (opts.nc.isClosed()) return { ok: false, detail: 'NATS 连接已关闭 (NATS connection closed)' };
      if (!sqlite) return { ok: false, detail: '投影未运行 (projector not running)' };
      if (streamShortOf !== undefined) {
        return {
          ok: false,
          detail: `事件流止于 ${streamShortOf}，读模型已应用到 ${stats.appliedSeq}：先运行 hub reconcile 补回，再 hub rebuild (the stream ends at ${streamShortOf}, before the read model's ${stats.appliedSeq}: run hub reconcile, then hub rebuild)`,
        };
      }
      const full = committer?.diskFullSince();
      if (full !== undefined) {
        return {
          ok: false,
          detail: `磁盘已满，投影暂停，腾出空间后自动继续 (disk full since ${new Date(full).toISOString()}: paused, resumes by itself once space returns)`,
        };
      }
      const now = Date.now();
      stall.observe(stats.appliedSeq, streamLast(), now);
      if (stall.stalled(now)) {
        const s = Math.round(stall.stalledFor(now) / 1000);
        return {
          ok: false,
          detail: `投影停滞：${s} 秒无进展，${stall.lag()} 个事件待处理 (stalled: no progress for ${s} s with ${stall.lag()} events waiting)`,
        };
      }
      return { ok: true };
    },
  };
  return projector;
}
