/**
 * The hash chain's one hook into the projection: every message the projector consumes —
 * applied, duplicate or dead-lettered — gets its link (`@hub/read-model` chain.ts) in the
 * same transaction as its rows, so the chain covers every sequence up to the position and a
 * later `hub dlq retry` changes no link.
 *
 * It also decides what a repeated event id is: a duplicate is ignored only when its bytes are
 * the bytes already chained for that id. Other bytes under the same id — a re-publish under
 * another `Nats-Msg-Id`, or after the duplicate window, that changed anything, even a field the
 * timeline does not keep — are dead-lettered as `conflicting_duplicate`.
 */
import { nextChainLink, type ReadModelStore } from '@hub/read-model';
import type { BatchState } from './projection/batch-state.js';
import { recordDeadLetter, type Outcome } from './projection/apply.js';
import type { Rejection, StreamMessage } from './projection/decode.js';

export function chainMessage(
  store: ReadModelStore,
  state: BatchState,
  msg: StreamMessage,
  outcome: Outcome,
): Outcome {
  const head = store.chainHead();
  // A message at or below the head is already chained (a dead letter applied again by retry).
  if (head && head.seq >= msg.seq) return outcome;
  const link = nextChainLink(head, msg.seq, msg.data);
  store.putChainLink(link);
  if (outcome.kind !== 'duplicate') return outcome;
  const first = store.timelineByEventId(outcome.eventId);
  const firstLink = first && store.chainLink(first.seq);
  if (!first || !firstLink || firstLink.event_hash === link.event_hash) return outcome;
  const rejection: Rejection = {
    reason: 'conflicting_duplicate',
    detail:
      `事件编号 ${outcome.eventId} 已用于字节不同的事件 (event id already applied with other bytes: ` +
      `first at stream sequence ${first.seq}, sha256 ${firstLink.event_hash}; this one ${link.event_hash})`,
    eventId: outcome.eventId,
    agency: first.agency,
    uscc: first.uscc,
  };
  recordDeadLetter(store, state, msg, rejection);
  return { kind: 'dead', rejection };
}
