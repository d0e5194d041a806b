/**
 * Shaping records for a reader: agency and event-type names added, personal data masked unless
 * the reader is the supervision office or the agency that recorded it.
 */
import { AGENCIES, EVENT_TYPE_NAMES, type EventType } from '@hub/domain';
import { maskPersonalData } from '../auth/masking.js';
import { seesPersonalDataOf, type Principal } from '../auth/roles.js';
import type { HistoryEvent } from '../store/history.js';

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
    payload,
  };
}
