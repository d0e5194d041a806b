/**
 * One transaction: many messages, the aggregates, and the stream position together, so a
 * crash at any instant leaves the read model at a batch boundary. If applying throws (a bug,
 * not a bad message), the batch is run again with a savepoint per message and the one that
 * throws is dead-lettered as `projection_failed`; the others go on.
 */
import type { HubEvent } from '@hub/domain';
import type { Logger } from '@hub/platform';
import type { ReadModelStore, Row } from '@hub/read-model';
import { createBatchState } from './projection/batch-state.js';
import { applyMessage, recordDeadLetter, type Outcome } from './projection/apply.js';
import { chainMessage } from './chain.js';
import type { Decoded, StreamMessage } from './projection/decode.js';

/** A message and, when already decoded (on the worker), its result. */
export interface BatchItem {
  readonly msg: StreamMessage;
  readonly decoded?: Decoded | undefined;
}

export interface BatchResult {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly events: HubEvent[];
  readonly duplicates: number;
  readonly deadLetters: Row<'dead_letters'>[];
}

/** SQLite's "database or disk is full": the batch is kept and tried again, never dead-lettered. */
export const isDiskFull = (err: unknown): boolean =>
  (err as { code?: unknown }).code === 'SQLITE_FULL' || /database or disk is full/i.test(String(err));

/** Derived projections run in the batch's transaction after its events (alerts, issue 5). */
export type BatchHook = (events: readonly HubEvent[], position: number, lastSeq: number) => void;

export function runBatch(
  store: ReadModelStore,
  items: readonly BatchItem[],
  log: Logger,
  hook?: BatchHook,
): BatchResult {
  try {
    return store.transaction(() => applyAll(store, items, false, hook));
  } catch (err) {
    if (isDiskFull(err)) throw err; // not a poison message: the whole batch waits for space
    log.warn({ err, firstSeq: items[0]?.msg.seq }, 'batch failed; applying message by message');
    return store.transaction(() => applyAll(store, items, true, hook));
  }
}

function applyAll(
  store: ReadModelStore,
  items: readonly BatchItem[],
  careful: boolean,
  hook?: BatchHook,
): BatchResult {
  const state = createBatchState();
  const events: HubEvent[] = [];
  const deadSeqs: number[] = [];
  let duplicates = 0;
  for (const { msg, decoded } of items) {
    let outcome: Outcome;
    try {
      outcome = careful
        ? store.transaction(() => applyMessage(store, state, msg, decoded))
        : applyMessage(store, state, msg, decoded);
    } catch (err) {
      if (!careful || isDiskFull(err)) throw err;
      const detail = `投影出错 (projection failed): ${err instanceof Error ? err.message : String(err)}`;
      const rejection = { reason: 'projection_failed', detail } as const;
      recordDeadLetter(store, state, msg, rejection);
      outcome = { kind: 'dead', rejection };
    }
    outcome = chainMessage(store, state, msg, outcome);
    if (outcome.kind === 'applied') events.push(outcome.event);
    else if (outcome.kind === 'duplicate') duplicates += 1;
    else deadSeqs.push(msg.seq);
  }
  state.flush(store);
  const lastSeq = items[items.length - 1]?.msg.seq ?? store.position();
  hook?.(events, store.position(), lastSeq);
  if (lastSeq > store.position()) store.setPosition(lastSeq);
  return {
    firstSeq: items[0]?.msg.seq ?? lastSeq,
    lastSeq,
    events,
    duplicates,
    deadLetters: deadSeqs.map((seq) => store.get('dead_letters', { seq })!),
  };
}
