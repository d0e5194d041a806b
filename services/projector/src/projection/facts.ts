/**
 * A fact is an event in the form the entity projections see it: after corrections (the
 * replacement payload and occurred-at) and never a retracted one. Pure helpers.
 */
import type { EventType, HubEvent } from '@hub/domain';

export interface Fact {
  readonly seq: number;
  readonly eventId: string;
  readonly agency: string;
  readonly uscc: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type Family = 'inspection' | 'penalty' | 'transfer' | 'complaint';

/** Which row of which entity table a fact touches. */
export interface EntityKey {
  readonly family: Family;
  readonly ref: string;
  /** The owning agency; undefined for police decisions (found through the transfer). */
  readonly agency: string | undefined;
  readonly transferNo?: string;
  /** For police decisions: the deciding police agency. */
  readonly police?: string;
}

const INSPECTION = new Set<EventType>([
  'inspectionPlanned',
  'inspectionStarted',
  'inspectionCompleted',
  'inspectionCancelled',
]);
const PENALTY = new Set<EventType>([
  'penaltyCaseOpened',
  'penaltyNoticeServed',
  'statementRequested',
  'hearingHeld',
  'legalReviewCompleted',
  'collectiveDiscussionHeld',
  'penaltyDecided',
  'decisionServed',
  'paymentReceived',
  'decisionPublished',
  'decisionRevoked',
  'decisionChanged',
  'caseTransferredToPolice',
]);

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

export function entityKeys(fact: Pick<Fact, 'type' | 'agency' | 'payload'>): EntityKey[] {
  const p = fact.payload;
  if (INSPECTION.has(fact.type))
    return [{ family: 'inspection', ref: s(p.inspectionId), agency: fact.agency }];
  if (fact.type === 'complaintReceived')
    return [{ family: 'complaint', ref: s(p.complaintId), agency: fact.agency }];
  if (fact.type === 'policeAcceptedTransfer' || fact.type === 'policeDeclinedTransfer') {
    const key = {
      family: 'transfer',
      ref: s(p.caseId),
      agency: undefined,
      transferNo: s(p.transferNo),
    } as const;
    return [{ ...key, police: fact.agency }];
  }
  if (!PENALTY.has(fact.type)) return [];
  // 缴罚分离: the bank or finance bureau reports the payment; the case belongs to the decider.
  const owner = fact.type === 'paymentReceived' ? s(p.decidingAgency) : fact.agency;
  const keys: EntityKey[] = [{ family: 'penalty', ref: s(p.caseId), agency: owner }];
  if (fact.type === 'caseTransferredToPolice') {
    keys.push({ family: 'transfer', ref: s(p.caseId), agency: fact.agency, transferNo: s(p.transferNo) });
  }
  return keys;
}

export const sameKey = (a: EntityKey, b: EntityKey): boolean =>
  a.family === b.family && a.ref === b.ref && a.agency === b.agency && a.transferNo === b.transferNo;

/** The reference the timeline indexes an event by (inspection, case, complaint, …). */
export function subjectRef(type: EventType, payload: Readonly<Record<string, unknown>>): string | null {
  const ref =
    payload.inspectionId !== undefined && type.startsWith('inspection')
      ? payload.inspectionId
      : (payload.caseId ??
        payload.complaintId ??
        payload.jointInspectionId ??
        payload.alertId ??
        payload.version ??
        payload.inspectionId);
  return typeof ref === 'string' ? ref : null;
}

const dayOf = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

// Every applied event asks for its day; a canonical UTC time's Shanghai day depends only on its
// UTC date and hour, so the answer is kept per hour (a Date parse and format saved per event).
const dayByHour = new Map<string, string>();

/** YYYY-MM-DD in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiDay(iso: string): string {
  // Canonical UTC (`2026-03-01T15:59:59.000Z`, as every checked event holds): cached by hour.
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */)
    return dayOf(iso);
  const hour = iso.slice(0, 13);
  let day = dayByHour.get(hour);
  if (day === undefined) {
    if (dayByHour.size >= 100_000) dayByHour.clear();
    dayByHour.set(hour, (day = dayOf(iso)));
  }
  return day;
}

export const factOf = (event: HubEvent, seq: number): Fact => ({
  seq,
  eventId: event.eventId,
  agency: event.agency,
  uscc: event.business.uscc,
  type: event.type,
  occurredAt: event.occurredAt,
  payload: event.payload,
});
