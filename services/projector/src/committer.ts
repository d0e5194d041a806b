/**
 * The committer: holds decoded items and commits them, many per SQLite transaction with the
 * stream position (`runBatch`), by natural batching: whatever it holds is committed as soon
 * as the consumer says nothing worth waiting for is in the stream (a few events at most: live
 * traffic in flight), and at the latest when a batch is full. Under load that makes large
 * transactions (what arrives while one commits is the next batch); when the stream is quiet,
 * one event commits at once.
 *
 * If the consumer said more was coming and nothing comes (NATS went away mid-read), what is
 * held is committed after `maxWaitMs`.
 *
 * @example
 * const committer = createCommitter({ store, batchSize: 10_000, onCommitted: (r) => notify(r) });
 * committer.add(items, more);
 */
import { silentLogger, type Logger } from '@hub/platform';
import type { ReadModelStore } from '@hub/read-model';
import { isDiskFull, runBatch, type BatchHook, type BatchItem, type BatchResult } from './batch.js';

export interface CommitterOptions {
  store: ReadModelStore;
  /** Events per transaction at most. @default 10000 */
  batchSize?: number;
  /** Commit what is held at the latest this long after `more` promised a next slice. @default 100 */
  maxWaitMs?: number;
  /** Derived projections in the batch's transaction (alerts). */
  hook?: BatchHook | undefined;
  /** After each commit, with what it applied. */
  onCommitted(result: BatchResult): void;
  /** The database failed (not a bad message: those are dead-lettered). Nothing commits after. */
  onFailed(err: unknown): void;
  logger?: Logger;
}

export interface Committer {
  /** Takes items in stream order; `more`: the consumer knows the stream holds more already. */
  add(items: readonly BatchItem[], more: boolean): void;
  /** Commits everything held now. */
  flush(): void;
  held(): number;
  failed(): unknown;
  /** Since when (ms) the disk has been full, while it is: items wait, nothing is lost. */
  diskFullSince(): number | undefined;
  close(): void;
}

/** A full disk is retried this often, without a restart. */
const DISK_RETRY_MS = 1000;

export function createCommitter(opts: CommitterOptions): Committer {
  const log = opts.logger ?? silentLogger();
  const batchSize = opts.batchSize ?? 10_000;
  const maxWaitMs = opts.maxWaitMs ?? 100;
  let held: BatchItem[] = [];
  let failure: unknown;
  let timer: NodeJS.Timeout | undefined;
  let diskFullSince: number | undefined;
  let diskRetry: NodeJS.Timeout | undefined;

  /** False when the batch could not be committed (it is held again, or all failed). */
  const commit = (items: BatchItem[]): boolean => {
    if (items.length === 0 || failure !== undefined) return false;
    let result: BatchResult;
    try {
      result = runBatch(opts.store, items, log, opts.hook);
    } catch (err) {
      if (isDiskFull(err)) {
        // Not a bad message and not the end: the batch waits at the front for space; the
        // consumer stops once too much is held, as for any slow commit.
        held = items.concat(held);
        if (diskFullSince === undefined) {
          log.error({ err }, '磁盘已满，投影暂停 (disk full: projecting paused until space returns)');
          diskFullSince = Date.now();
        }
        diskRetry ??= setTimeout(() => {
          diskRetry = undefined;
          flush();
        }, DISK_RETRY_MS);
        return false;
      }
      failure = err;
      held = [];
      opts.onFailed(err);
      return false;
    }
    if (diskFullSince !== undefined) {
      log.warn('磁盘空间已恢复，投影继续 (disk space is back; projecting again)');
      diskFullSince = undefined;
    }
    opts.onCommitted(result);
    return true;
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (held.length > 0 && failure === undefined) {
      const batch = held.length <= batchSize ? held : held.slice(0, batchSize);
      held = held.length <= batchSize ? [] : held.slice(batchSize);
      if (!commit(batch)) break;
    }
  };

  return {
    add(items, more) {
      if (failure !== undefined) return;
      for (const item of items) held.push(item);
      if (diskFullSince !== undefined) return; // the retry timer commits, oldest first
      while (held.length >= batchSize) {
        const batch = held.slice(0, batchSize);
        held = held.slice(batchSize);
        if (!commit(batch)) return;
      }
      if (!more) flush();
      else if (held.length > 0 && timer === undefined) timer = setTimeout(flush, maxWaitMs);
    },
    flush,
    held: () => held.length,
    failed: () => failure,
    diskFullSince: () => diskFullSince,
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (diskRetry) clearTimeout(diskRetry);
      diskRetry = undefined;
    },
  };
}
