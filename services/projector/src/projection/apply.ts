/**
 * Applies one stream message to every read model table, inside the caller's transaction.
 * Expected failures (bad messages, corrections that do not fit) become dead letters and
 * are returned, never thrown: one poison event must not stop the others.
 */
import type { EventType, HubEvent, PayloadOf } from '@hub/domain';
import type { ReadModelStore, TimelineTable } from '@hub/read-model';
import type { BatchState } from './batch-state.js';
import { decodeStreamMessage, type Decoded, type Rejection, type StreamMessage } from './decode.js';
import { applyToEntity, removeEntity } from './entities.js';
import { entityKeys, factOf, sameKey, shanghaiDay, subjectRef, type EntityKey, type Fact } from './facts.js';

export type Outcome =
  | { kind: 'applied'; event: HubEvent }
  | { kind: 'duplicate'; eventId: string }
  | { kind: 'dead'; rejection: Rejection };

export function applyMessage(
  store: ReadModelStore,
  state: BatchState,
  msg: StreamMessage,
  decoded: Decoded = decodeStreamMessage(msg),
): Outcome {
  const outcome = decoded.ok
    ? applyEvent(store, state, decoded.event, msg.seq)
    : ({ kind: 'dead', rejection: decoded } as const);
  if (outcome.kind === 'dead') recordDeadLetter(store, state, msg, outcome.rejection);
  return outcome;
}

export function recordDeadLetter(
  store: ReadModelStore,
  state: BatchState,
  msg: StreamMessage,
  r: Rejection,
): void {
  const old = store.get('dead_letters', { seq: msg.seq });
  store.put('dead_letters', {
    seq: msg.seq,
    subject: msg.subject,
    reason: r.reason,
    detail: r.detail,
    event_id: r.eventId ?? null,
    uscc: r.uscc ?? null,
    agency: r.agency ?? null,
    stream_time: msg.time,
    retried: old ? old.retried + 1 : 0,
  });
  if (r.uscc) state.touchBusiness(r.uscc);
}

export function applyEvent(store: ReadModelStore, state: BatchState, event: HubEvent, seq: number): Outcome {
  let target: TimelineTable | undefined;
  if (event.type === 'eventCorrected' || event.type === 'eventRetracted') {
    // Checked against the read model before anything is written: asked first.
    if (store.isApplied(event.eventId)) return duplicateOf(store, event);
    const checked = checkCorrection(store, event);
    if (!checked.ok) return { kind: 'dead', rejection: checked.rejection };
    target = checked.target;
  }
  const payload = event.payload as Readonly<Record<string, unknown>>;
  // Any other event asks "already applied?" by inserting: one statement instead of two.
  const inserted = store.insertTimeline({
    seq,
    event_id: event.eventId,
    uscc: event.business.uscc,
    business_name: event.business.name ?? null,
    agency: event.agency,
    event_type: event.type,
    occurred_at: event.occurredAt,
    recorded_at: event.recordedAt,
    correlation_id: event.correlationId ?? null,
    source_system: event.source.system,
    source_record_id: event.source.recordId,
    revision: event.source.revision,
    subject_ref: target ? target.subject_ref : subjectRef(event.type, payload),
    target_event_id: target?.event_id ?? null,
    payload_json: JSON.stringify(payload),
    status: 'active',
    superseded_by_event_id: null,
    superseded_at: null,
  });
  if (!inserted) return duplicateOf(store, event);
  state.touchBusiness(event.business.uscc, {
    name: event.business.name,
    address: event.business.address,
    agency: event.agency,
    occurredAt: event.occurredAt,
  });
  state.activity(event.agency, shanghaiDay(event.occurredAt), event.type, 1);
  if (target) {
    supersede(store, state, event, seq, target);
  } else {
    const fact = factOf(event, seq);
    for (const key of entityKeys(fact)) {
      if (applyToEntity(store, key, fact)) state.entityCreated(fact.uscc, key.family);
    }
  }
  return { kind: 'applied', event };
}

/**
 * Beyond JetStream's dedup window the same event can arrive again: it is applied once. The same
 * id with other content is not the same event: refused, never silently dropped.
 */
function duplicateOf(store: ReadModelStore, event: HubEvent): Outcome {
  const applied = store.timelineByEventId(event.eventId);
  if (applied && contentOfRow(applied) !== contentOfEvent(event)) {
    const detail = `事件编号 ${event.eventId} 已用于内容不同的事件 (event id already applied with other content; first at stream sequence ${applied.seq})`;
    const ids = { eventId: event.eventId, agency: event.agency, uscc: event.business.uscc };
    return { kind: 'dead', rejection: { reason: 'conflicting_duplicate', detail, ...ids } };
  }
  return { kind: 'duplicate', eventId: event.eventId };
}

/** What the timeline keeps of an event, as one string: equal for the same event only. */
const contentOfRow = (r: TimelineTable): string =>
  JSON.stringify([
    r.agency,
    r.uscc,
    r.business_name,
    r.event_type,
    r.occurred_at,
    r.recorded_at,
    r.correlation_id,
    r.source_system,
    r.source_record_id,
    r.revision,
    r.payload_json,
  ]);

const contentOfEvent = (e: HubEvent): string =>
  JSON.stringify([
    e.agency,
    e.business.uscc,
    e.business.name ?? null,
    e.type,
    e.occurredAt,
    e.recordedAt,
    e.correlationId ?? null,
    e.source.system,
    e.source.recordId,
    e.source.revision,
    JSON.stringify(e.payload),
  ]);

type Checked = { ok: true; target: TimelineTable } | { ok: false; rejection: Rejection };

function checkCorrection(store: ReadModelStore, event: HubEvent): Checked {
  const ids = { eventId: event.eventId, agency: event.agency, uscc: event.business.uscc };
  const bad = (detail: string): Checked => ({
    ok: false,
    rejection: { reason: 'invalid_correction', detail, ...ids },
  });
  const targetId =
    event.type === 'eventCorrected'
      ? event.payload.correctedEventId
      : (event.payload as PayloadOf<'eventRetracted'>).retractedEventId;
  const target = store.timelineByEventId(targetId);
  if (!target) {
    const detail = `更正/撤回的目标事件不存在 (target event ${targetId} is not in the read model)`;
    return { ok: false, rejection: { reason: 'correction_target_unknown', detail, ...ids } };
  }
  if (target.event_type === 'eventCorrected' || target.event_type === 'eventRetracted') {
    return bad(
      '不能更正或撤回一条更正/撤回 (a correction or retraction cannot itself be corrected or retracted)',
    );
  }
  if (target.agency !== event.agency) return bad(`只能更正本部门的事件 (target belongs to ${target.agency})`);
  if (target.uscc !== event.business.uscc)
    return bad('目标事件属于另一企业 (target is about another business)');
  if (target.status === 'retracted') return bad('目标事件已撤回 (target was already retracted)');
  if (event.type === 'eventCorrected') {
    const replacement = event.payload.replacement;
    if (!(target.event_type in replacement)) {
      return bad(`更正内容应与原事件同类型 (replacement must be a ${target.event_type})`);
    }
    const type = target.event_type as EventType;
    const before = entityKeys({ type, agency: target.agency, payload: parsePayload(target.payload_json) });
    const after = entityKeys({
      type,
      agency: target.agency,
      payload: replacement[type] as Record<string, unknown>,
    });
    if (before.length !== after.length || before.some((k, i) => !sameKey(k, after[i]!))) {
      return bad(
        '更正不能改变案件、检查或投诉编号 (a correction cannot change the case, inspection or complaint id)',
      );
    }
  }
  return { ok: true, target };
}

const parsePayload = (json: string): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;

/** The fact a timeline row stands for now: its latest correction applied; none when retracted. */
export function effectiveFact(store: ReadModelStore, row: TimelineTable): Fact | undefined {
  if (row.status === 'retracted') return undefined;
  let payload = parsePayload(row.payload_json);
  let occurredAt = row.occurred_at;
  if (row.status === 'corrected' && row.superseded_by_event_id) {
    const correction = store.timelineByEventId(row.superseded_by_event_id);
    const replacement =
      correction && (parsePayload(correction.payload_json).replacement as Record<string, unknown>);
    if (replacement) {
      payload = replacement[row.event_type] as Record<string, unknown>;
      occurredAt = typeof replacement.occurredAt === 'string' ? replacement.occurredAt : occurredAt;
    }
  }
  const type = row.event_type as EventType;
  return {
    seq: row.seq,
    eventId: row.event_id,
    agency: row.agency,
    uscc: row.uscc,
    type,
    occurredAt,
    payload,
  };
}

function supersede(
  store: ReadModelStore,
  state: BatchState,
  event: HubEvent,
  seq: number,
  target: TimelineTable,
): void {
  const before = effectiveFact(store, target);
  const kind = event.type === 'eventCorrected' ? 'corrected' : 'retracted';
  store.put('timeline', {
    ...target,
    status: kind,
    superseded_by_event_id: event.eventId,
    superseded_at: event.recordedAt,
  });
  const reason = (event.payload as { reason: string }).reason;
  store.put('corrections', {
    event_id: event.eventId,
    kind,
    target_event_id: target.event_id,
    agency: event.agency,
    uscc: event.business.uscc,
    reason,
    recorded_at: event.recordedAt,
    seq,
  });
  const after = effectiveFact(store, { ...target, status: kind, superseded_by_event_id: event.eventId });
  if (before) state.activity(before.agency, shanghaiDay(before.occurredAt), before.type, -1);
  if (after) state.activity(after.agency, shanghaiDay(after.occurredAt), after.type, 1);
  // Recompute every entity the event touched, from its remaining facts in stream order.
  const keys = [...(before ? entityKeys(before) : []), ...(after ? entityKeys(after) : [])];
  const done: EntityKey[] = [];
  for (const key of keys) {
    const owner =
      key.agency ??
      (key.police ? store.findTransfer(key.ref, key.transferNo ?? '', key.police)?.agency : undefined);
    if (owner === undefined) continue;
    const resolved = { ...key, agency: owner, police: undefined };
    if (done.some((k) => sameKey(k, resolved))) continue;
    done.push(resolved);
    recompute(store, event.business.uscc, resolved);
  }
  state.recount(event.business.uscc);
}

/** Rebuilds one entity from its business's remaining facts (an entity belongs to one business). */
function recompute(store: ReadModelStore, uscc: string, key: EntityKey & { agency: string }): void {
  removeEntity(store, key);
  for (const row of store.timelineBySubjectRef(uscc, key.ref)) {
    const fact = effectiveFact(store, row);
    if (!fact) continue;
    for (const k of entityKeys(fact)) {
      const matches =
        k.family === key.family &&
        k.ref === key.ref &&
        k.transferNo === key.transferNo &&
        (k.agency === key.agency || (k.agency === undefined && k.police !== undefined));
      if (matches) applyToEntity(store, k.agency === undefined ? k : key, fact);
    }
  }
}
