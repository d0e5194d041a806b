/**
 * The events the bench sends: the same protobuf payloads everywhere (ceilings, peer, hub),
 * built from the shared sample events. Occurred-at times spread over a year in index order,
 * so an as-of replay has a meaningful middle.
 */
import { encodeCanonical, newEventId } from '@hub/platform';
import { eventSubject, isEventType, parseHubEvent, type EventType } from '@hub/domain';
import { SAMPLE_OFFICERS, sampleInspectionCompleted, sampleUscc } from '@hub/testing';

export interface BenchEvent {
  readonly subject: string;
  /** Nats-Msg-Id as the relay sets it: agency/record id/revision. */
  readonly msgId: string;
  readonly bytes: Uint8Array;
  readonly json: Record<string, unknown>;
}

const YEAR_START = Date.parse('2025-11-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The occurred-at of event i of n: evenly over the year, in order. */
export const occurredAtOf = (i: number, n: number): string =>
  new Date(YEAR_START + Math.floor((i / Math.max(1, n)) * YEAR_MS)).toISOString();

export const businessesFor = (events: number): number => Math.max(1000, Math.floor(events / 100));

/** Inspection i as a department submits it (canonical JSON, no id): unique record, business i mod B. */
export function submittedInspection(
  i: number,
  n: number,
  businesses = businessesFor(n),
): Record<string, unknown> {
  return sampleInspectionCompleted(i, {
    uscc: sampleUscc(i % businesses),
    occurredAt: occurredAtOf(i, n),
    recordId: `BENCH-INS-${i}`,
  });
}

/**
 * Event i of a mixed workload: per business visit a plan, a start, a completion, and every
 * third visit a complaint — several read models touched, as in the county's data.
 */
export function submittedMixed(i: number, n: number, businesses = businessesFor(n)): Record<string, unknown> {
  const visit = Math.floor(i / 4);
  const step = i % 4;
  const uscc = sampleUscc(visit % businesses);
  const occurredAt = occurredAtOf(i, n);
  const head = {
    agency: 'GSJ',
    business: { uscc, name: `示例商贸有限公司${visit % businesses}` },
    occurredAt,
    source: { system: 'gsj-case', recordId: `BENCH-${i}`, revision: 0 },
  };
  const inspectionId = `INS-B-${visit}`;
  const payload: Partial<Record<EventType, Record<string, unknown>>> =
    step === 0
      ? {
          inspectionPlanned: {
            inspectionId,
            reason: 'INSPECTION_REASON_RANDOM_SELECTION',
            matterCodes: ['D6-GSJ-001'],
            plannedFor: occurredAt,
          },
        }
      : step === 1
        ? { inspectionStarted: { inspectionId, officers: SAMPLE_OFFICERS } }
        : step === 2
          ? {
              inspectionCompleted: {
                inspectionId,
                reason: 'INSPECTION_REASON_RANDOM_SELECTION',
                result: 'INSPECTION_RESULT_NO_ISSUES',
                matterCodes: ['D6-GSJ-001'],
                officers: SAMPLE_OFFICERS,
              },
            }
          : visit % 3 === 0
            ? {
                complaintReceived: {
                  complaintId: `CMP-B-${visit}`,
                  channel: 'COMPLAINT_CHANNEL_HOTLINE',
                  summary: '群众反映经营场所存在安全隐患 (a resident reports a safety hazard)',
                  matterCodes: ['D6-GSJ-001'],
                },
              }
            : {
                inspectionCompleted: {
                  inspectionId: `${inspectionId}-F`,
                  reason: 'INSPECTION_REASON_FOLLOW_UP',
                  result: 'INSPECTION_RESULT_NO_ISSUES',
                  matterCodes: ['D6-GSJ-001'],
                  officers: SAMPLE_OFFICERS,
                },
              };
  return { ...head, ...payload };
}

const typeOf = (json: Record<string, unknown>): EventType => {
  const type = Object.keys(json).find(isEventType);
  if (type === undefined) throw new Error('event without a payload');
  return type;
};

/** A submitted event made into a stored one: id, recorded-at, protobuf bytes, subject. */
export function toBenchEvent(submitted: Record<string, unknown>): BenchEvent {
  const occurredAt = submitted.occurredAt as string;
  // As the gateway stores it: zod's default schema version is written into the envelope.
  const json: Record<string, unknown> = {
    schemaVersion: 1,
    ...submitted,
    eventId: newEventId(),
    recordedAt: new Date(Date.parse(occurredAt) + 3600_000).toISOString(),
  };
  const source = json.source as { system: string; recordId: string; revision?: number };
  const agency = json.agency as string;
  const uscc = (json.business as { uscc: string }).uscc;
  return {
    subject: eventSubject(agency, typeOf(json), uscc),
    msgId: `${agency}/${source.recordId}/${source.revision ?? 0}`,
    bytes: encodeCanonical(json),
    json,
  };
}

export function* benchEvents(
  n: number,
  make: (i: number, n: number) => Record<string, unknown> = submittedMixed,
): Generator<BenchEvent> {
  for (let i = 0; i < n; i++) yield toBenchEvent(make(i, n));
}

/** Fails loudly if the generators drift from the contract (a refused event would skew every figure). */
export function checkWorkload(): void {
  for (let i = 0; i < 8; i++) {
    for (const make of [submittedMixed, submittedInspection]) {
      const e = toBenchEvent(make(i, 8));
      const r = parseHubEvent(e.json);
      if (!r.ok) throw new Error(`bench workload event ${i} is invalid: ${JSON.stringify(r.issues)}`);
    }
  }
}
