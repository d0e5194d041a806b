/**
 * Events back from the read model's own timeline: what the coordination state is rebuilt
 * from when a projector opens a file (no stream read needed). The payload is stored as the
 * JSON of the decoded payload, so a JSON round trip gives the rules what they saw live.
 */
import type { HubEvent } from '@hub/domain';
import type { SqliteDb } from './open.js';
import type { TimelineTable } from './schema.js';

/** The timeline columns an event is rebuilt from. */
export type TimelineEventRow = Pick<
  TimelineTable,
  | 'seq'
  | 'event_id'
  | 'uscc'
  | 'business_name'
  | 'agency'
  | 'event_type'
  | 'occurred_at'
  | 'recorded_at'
  | 'correlation_id'
  | 'source_system'
  | 'source_record_id'
  | 'revision'
  | 'payload_json'
>;

export function eventOfTimelineRow(r: TimelineEventRow): HubEvent {
  return {
    eventId: r.event_id,
    agency: r.agency,
    business: { uscc: r.uscc, ...(r.business_name !== null ? { name: r.business_name } : {}) },
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    source: { system: r.source_system, recordId: r.source_record_id, revision: Number(r.revision) },
    schemaVersion: 1,
    ...(r.correlation_id !== null ? { correlationId: r.correlation_id } : {}),
    type: r.event_type,
    payload: JSON.parse(r.payload_json) as unknown,
  } as HubEvent;
}

/** The timeline up to `lastSeq` in stream order, one event at a time (no big arrays). */
export function* timelineEvents(
  sqlite: SqliteDb,
  lastSeq: number,
  where = '',
  params: unknown[] = [],
): Generator<HubEvent> {
  const stmt = sqlite.prepare(
    `SELECT seq, event_id, uscc, business_name, agency, event_type, occurred_at, recorded_at,
            correlation_id, source_system, source_record_id, revision, payload_json
       FROM timeline WHERE seq <= ? ${where} ORDER BY seq`,
  );
  for (const row of stmt.iterate(lastSeq, ...params)) yield eventOfTimelineRow(row as TimelineEventRow);
}
