/**
 * The committer: holds decoded items and commits them, many per SQLite transaction with the
 * stream position (`runBatch`), by natural batching: whatever it holds is committed as soon
 * as the consumer says nothing more is waiting in the stream, and at the latest when a batch
 * is full. Under load that makes large transactions (what arrives while one commits is the
 * next batch); when the stream is quiet, one event commits at once.
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
import { runBatch, type BatchHook, type BatchItem, type BatchResult } from './batch.js';

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
  close(): void;
}

export function createCommitter(opts: CommitterOptions): Committer {
  const log = opts.logger ?? silentLogger();
  const batchSize = opts.batchSize ?? 10_000;
  const maxWaitMs = opts.maxWaitMs ?? 100;
  let held: BatchItem[] = [];
  let failure: unknown;
  let timer: NodeJS.Timeout | undefined;

  const commit = (items: BatchItem[]) => {
    if (items.length === 0 || failure !== undefined) return;
    let result: BatchResult;
    try {
      result = runBatch(opts.store, items, log, opts.hook);
    } catch (err) {
      failure = err;
      held = [];
      opts.onFailed(err);
      return;
    }
    opts.onCommitted(result);
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (held.length > 0 && failure === undefined) {
      const batch = held.length <= batchSize ? held : held.slice(0, batchSize);
      held = held.length <= batchSize ? [] : held.slice(batchSize);
      commit(batch);
    }
  };

  return {
    add(items, more) {
      if (failure !== undefined) return;
      for (const item of items) held.push(item);
      while (held.length >= batchSize) {
        const batch = held.slice(0, batchSize);
        held = held.slice(batchSize);
        commit(batch);
      }
      if (!more) flush();
      else if (held.length > 0 && timer === undefined) timer = setTimeout(flush, maxWaitMs);
    },
    flush,
    held: () => held.length,
    failed: () => failure,
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
