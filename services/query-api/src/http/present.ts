/**
 * Shaping records for a reader: agency and event-type names added, personal data masked unless
 * the reader is the supervision office or the agency that recorded it.
 */
import { AGENCIES, EVENT_TYPE_NAMES, type EventType } from '@hub/domain';
import { maskPersonalData } from '../auth/masking.js';
import { seesPersonalDataOf, type Principal } from '../auth/roles.js';
import type { HistoryEvent, HistoryRow } from '../store/history.js';

export const agencyName = (code: string): string => AGENCIES[code]?.name ?? code;

/** Masks `record[field]` for readers who may not see the recording agency's personal data. */
export function maskFor<R extends { agency: string }, K extends keyof R>(
  principal: Principal | undefined,
  record: R,
  field: K,
): R & { masked: boolean } {
  if (principal && seesPersonalDataOf(principal, record.agency)) return { ...record, masked: false };
  // Masked under its own key, so that a `complainant` is recognised as one.
  const { value, masked } = maskPersonalData({ [field]: record[field] });
  return { ...record, [field]: value[field as string], masked };
}

export function presentEvent(principal: Principal | undefined, e: HistoryEvent) {
  const { payload, masked } = maskFor(principal, { agency: e.agency, payload: e.payload }, 'payload');
  return { ...presentFields(e, masked), payload };
}

/** Keys whose values masking may change: a payload whose text has none is shown as it is. */
const MASKABLE_KEYS = ['"idNumber"', '"phone"', '"complainant"'];

/**
 * `JSON.stringify(presentEvent(principal, event))` for an event whose payload is still its stored
 * JSON text: when nothing in it is masked for this reader the text goes into the answer as it is,
 * neither parsed nor serialised again (a fifth of the CPU of a history page, docs/benchmarks.md).
 */
export function presentEventJson(principal: Principal | undefined, row: HistoryRow): string {
  const { payloadJson, ...e } = row;
  const asIs =
    (principal !== undefined && seesPersonalDataOf(principal, e.agency)) ||
    !MASKABLE_KEYS.some((k) => payloadJson.includes(k));
  if (!asIs) {
    const payload = JSON.parse(payloadJson) as Record<string, unknown>;
    return JSON.stringify(presentEvent(principal, { ...e, payload }));
  }
  const head = JSON.stringify(presentFields(e, false));
  return `${head.slice(0, -1)},"payload":${payloadJson}}`;
}

function presentFields(e: Omit<HistoryEvent, 'payload'>, masked: boolean) {
  return {
    seq: e.seq,
    eventId: e.eventId,
    agency: e.agency,
    agencyName: agencyName(e.agency),
    eventType: e.eventType,
    eventTypeName: EVENT_TYPE_NAMES[e.eventType as EventType] ?? e.eventType,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    correlationId: e.correlationId,
    source: e.source,
    subjectRef: e.subjectRef,
    targetEventId: e.targetEventId,
    status: e.status,
    supersededByEventId: e.supersededByEventId,
    supersededAt: e.supersededAt,
    masked,
  };
}
