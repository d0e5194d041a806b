/**
 * A business's history across agencies, from the read model's `timeline` table, in occurred-at
 * order (then stream sequence). Store-level and HTTP-free, so benchmarks and the audit tools can
 * call it directly.
 *
 * "As of" T answers what the hub showed at T: only events recorded at or before T, and an event
 * counts as corrected or retracted only if that correction was recorded at or before T.
 */
import type { Kysely } from 'kysely';
import type { ReadModelDatabase, TimelineStatus } from '@hub/read-model';

export interface HistoryPosition {
  occurredAt: string;
  seq: number;
}

export interface HistoryOptions {
  agencies?: readonly string[] | undefined;
  eventTypes?: readonly string[] | undefined;
  /** Inclusive bounds on occurred_at, UTC ISO. */
  from?: string | undefined;
  to?: string | undefined;
  /** UTC ISO: answer as the hub stood at this time. */
  asOf?: string | undefined;
  /** Rows after this position (the last row of the previous page). */
  after?: HistoryPosition | undefined;
  limit: number;
}

export interface HistoryEvent {
  seq: number;
  eventId: string;
  agency: string;
  eventType: string;
  occurredAt: string;
  recordedAt: string;
  correlationId: string | null;
  source: { system: string; recordId: string; revision: number };
  subjectRef: string | null;
  targetEventId: string | null;
  businessName: string | null;
  status: TimelineStatus;
  supersededByEventId: string | null;
  supersededAt: string | null;
  payload: Record<string, unknown>;
}

export interface HistoryPage {
  events: HistoryEvent[];
  /** Position of the last event when more follow; undefined on the last page. */
  next: HistoryPosition | undefined;
}

/** An event of the history with its payload as stored: JSON text, not parsed. */
export type HistoryRow = Omit<HistoryEvent, 'payload'> & { payloadJson: string };

export interface HistoryRowPage {
  events: HistoryRow[];
  next: HistoryPosition | undefined;
}

/**
 * One page of a business's history.
 *
 * @example
 * const page = await getHistory(db, '91350100M000100Y43', { limit: 50 });
 * const more = page.next && (await getHistory(db, uscc, { limit: 50, after: page.next }));
 */
export async function getHistory(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
  opts: HistoryOptions,
): Promise<HistoryPage> {
  const page = await getHistoryRows(db, uscc, opts);
  return {
    events: page.events.map(({ payloadJson, ...e }) => ({
      ...e,
      payload: JSON.parse(payloadJson) as Record<string, unknown>,
    })),
    next: page.next,
  };
}

/**
 * The same page with each payload as the JSON text stored: an answer that shows a payload as it
 * is can carry the text without parsing and serialising it again.
 */
export async function getHistoryRows(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
  opts: HistoryOptions,
): Promise<HistoryRowPage> {
  let q = db
    .selectFrom('timeline')
    .select([
      'seq',
      'event_id',
      'agency',
      'event_type',
      'occurred_at',
      'recorded_at',
      'correlation_id',
      'source_system',
      'source_record_id',
      'revision',
      'subject_ref',
      'target_event_id',
      'business_name',
      'payload_json',
      'status',
      'superseded_by_event_id',
      'superseded_at',
    ])
    .where('uscc', '=', uscc);
  if (opts.agencies?.length) q = q.where('agency', 'in', opts.agencies);
  if (opts.eventTypes?.length) q = q.where('event_type', 'in', opts.eventTypes);
  if (opts.from !== undefined) q = q.where('occurred_at', '>=', opts.from);
  if (opts.to !== undefined) q = q.where('occurred_at', '<=', opts.to);
  if (opts.asOf !== undefined) q = q.where('recorded_at', '<=', opts.asOf);
  const after = opts.after;
  if (after) {
    // The plain bound lets the index seek; the tuple comparison breaks ties on the sequence.
    q = q
      .where('occurred_at', '>=', after.occurredAt)
      .where((eb) => eb(eb.refTuple('occurred_at', 'seq'), '>', eb.tuple(after.occurredAt, after.seq)));
  }
  const rows = await q
    .orderBy('occurred_at')
    .orderBy('seq')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  const events = page.map((r): HistoryRow => ({
    seq: Number(r.seq),
    eventId: r.event_id,
    agency: r.agency,
    eventType: r.event_type,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    correlationId: r.correlation_id,
    source: { system: r.source_system, recordId: r.source_record_id, revision: Number(r.revision) },
    subjectRef: r.subject_ref,
    targetEventId: r.target_event_id,
    businessName: r.business_name,
    status: r.status,
    supersededByEventId: r.superseded_by_event_id,
    supersededAt: r.superseded_at,
    payloadJson: r.payload_json,
  }));
  if (opts.asOf !== undefined) await applyAsOf(db, events, opts.asOf);
  const last = events[events.length - 1];
  return {
    events,
    next: rows.length > opts.limit && last ? { occurredAt: last.occurredAt, seq: last.seq } : undefined,
  };
}

/**
 * Status as of T. Only rows superseded now can have been superseded then; for those, the latest
 * correction or retraction recorded by T (in stream order) decides, or none: active.
 */
async function applyAsOf(db: Kysely<ReadModelDatabase>, events: HistoryRow[], asOf: string): Promise<void> {
  const superseded = events.filter((e) => e.status !== 'active');
  if (superseded.length === 0) return;
  const corrections = await db
    .selectFrom('corrections')
    .select(['event_id', 'kind', 'target_event_id', 'recorded_at'])
    .where(
      'target_event_id',
      'in',
      superseded.map((e) => e.eventId),
    )
    .where('recorded_at', '<=', asOf)
    .orderBy('seq')
    .execute();
  const latest = new Map(corrections.map((c) => [c.target_event_id, c]));
  for (const e of superseded) {
    const c = latest.get(e.eventId);
    e.status = c ? c.kind : 'active';
    e.supersededByEventId = c ? c.event_id : null;
    e.supersededAt = c ? c.recorded_at : null;
  }
}

/** Whether the hub holds any event about the business (recorded by `asOf` when given). */
export async function hasHistory(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
  asOf?: string,
): Promise<boolean> {
  let q = db.selectFrom('timeline').select('seq').where('uscc', '=', uscc);
  if (asOf !== undefined) q = q.where('recorded_at', '<=', asOf);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}
