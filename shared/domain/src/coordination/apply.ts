/**
 * Facts into records: each tracked event updates one inspection, case or decision record and
 * is indexed by its id, so a retraction or correction can undo exactly what it did.
 */
import type { HubEvent, InspectionReason, PayloadOf } from '../events.js';
import { businessOf } from './state.js';
import type {
  BusinessState,
  CoordinationState,
  EventIndexEntry,
  InspectionRecord,
  InspectionStage,
} from './types.js';

export type TrackedType = EventIndexEntry['type'];

/** What the rules record of an event (or of a correction's replacement standing in for the original); not the projector's `Fact` of its tables. */
export interface RecordFact {
  readonly eventId: string;
  readonly agency: string;
  readonly uscc: string;
  readonly occurredAt: number;
  readonly type: TrackedType;
  readonly payload: PayloadOf<TrackedType>;
}

export const TRACKED: ReadonlySet<string> = new Set<TrackedType>([
  'inspectionPlanned',
  'inspectionCompleted',
  'inspectionCancelled',
  'penaltyCaseOpened',
  'penaltyDecided',
  'decisionRevoked',
]);

/** A reconsideration or lawsuit that revoked the decision (复议/诉讼撤销) counts as its revocation. */
const revokedByReview = (e: HubEvent): RecordFact | undefined => {
  if (e.type !== 'decisionReviewConcluded' || e.payload.outcome !== 'REVIEW_OUTCOME_REVOKED')
    return undefined;
  const { caseId, decisionNo } = e.payload;
  const reason = e.payload.reason ?? '复议/诉讼撤销';
  return {
    eventId: e.eventId,
    agency: e.agency,
    uscc: e.business.uscc,
    occurredAt: Date.parse(e.occurredAt),
    type: 'decisionRevoked',
    payload: { caseId, decisionNo, reason },
  };
};

export const recordFactOf = (e: HubEvent): RecordFact | undefined =>
  e.type === 'decisionReviewConcluded'
    ? revokedByReview(e)
    : TRACKED.has(e.type)
      ? {
          eventId: e.eventId,
          agency: e.agency,
          uscc: e.business.uscc,
          occurredAt: Date.parse(e.occurredAt),
          type: e.type as TrackedType,
          payload: e.payload as PayloadOf<TrackedType>,
        }
      : undefined;

const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

function inspection(b: BusinessState, agency: string, inspectionId: string): InspectionRecord {
  const key = `${agency}/${inspectionId}`;
  let r = b.inspections.get(key);
  if (r === undefined) {
    r = { key, agency, inspectionId, plan: undefined, done: undefined, cancelled: undefined };
    b.inspections.set(key, r);
  }
  return r;
}

/** Applies a fact; returns the business and the member key (`I:`/`D:`/`C:`) it touched. */
export function applyFact(state: CoordinationState, f: RecordFact): { b: BusinessState; member: string } {
  const b = businessOf(state, f.uscc);
  const index = (key: string) =>
    state.events.set(f.eventId, {
      uscc: f.uscc,
      agency: f.agency,
      type: f.type,
      key,
      occurredAt: f.occurredAt,
      originalId: f.eventId,
    });
  switch (f.type) {
    case 'inspectionPlanned':
    case 'inspectionCompleted': {
      const p = f.payload as PayloadOf<'inspectionPlanned'> & Partial<PayloadOf<'inspectionCompleted'>>;
      const r = inspection(b, f.agency, p.inspectionId);
      const stage: InspectionStage = {
        eventId: f.eventId,
        reason: p.reason as InspectionReason,
        matterCodes: [...p.matterCodes],
        jointInspectionId: p.jointInspectionId || undefined,
        quietPeriodReason: p.quietPeriodReason || undefined,
        // The visit's time: planned-for, or when it started, else when it was completed.
        at: f.type === 'inspectionPlanned' ? Date.parse(p.plannedFor) : (ms(p.startedAt) ?? f.occurredAt),
      };
      if (f.type === 'inspectionPlanned') r.plan = stage;
      else r.done = stage;
      index(r.key);
      return { b, member: `I:${r.key}` };
    }
    case 'inspectionCancelled': {
      const p = f.payload as PayloadOf<'inspectionCancelled'>;
      const r = inspection(b, f.agency, p.inspectionId);
      r.cancelled = { at: f.occurredAt, eventId: f.eventId };
      index(r.key);
      return { b, member: `I:${r.key}` };
    }
    case 'penaltyCaseOpened': {
      const p = f.payload as PayloadOf<'penaltyCaseOpened'>;
      const key = `${f.agency}/${p.caseId}`;
      b.cases.set(key, {
        key,
        agency: f.agency,
        caseId: p.caseId,
        openedAt: f.occurredAt,
        eventId: f.eventId,
        from: ms(p.violationFrom),
        to: ms(p.violationTo),
      });
      index(key);
      return { b, member: `C:${key}` };
    }
    case 'penaltyDecided': {
      const p = f.payload as PayloadOf<'penaltyDecided'>;
      const key = `${f.agency}/${p.caseId}`;
      b.decisions.set(key, {
        key,
        agency: f.agency,
        caseId: p.caseId,
        decisionNo: p.decisionNo,
        violationCode: p.violationCode,
        articles: [...p.legalBasisArticles],
        from: ms(p.violationFrom),
        to: ms(p.violationTo),
        at: f.occurredAt,
        eventId: f.eventId,
        revokedBy: undefined,
      });
      index(key);
      return { b, member: `D:${key}` };
    }
    case 'decisionRevoked': {
      const p = f.payload as PayloadOf<'decisionRevoked'>;
      const key = `${f.agency}/${p.caseId}`;
      const d = b.decisions.get(key);
      if (d !== undefined && d.decisionNo === p.decisionNo) d.revokedBy = f.eventId;
      index(key);
      return { b, member: `D:${key}` };
    }
  }
}

/** Undoes what the indexed event did; returns the touched member key, or undefined. */
export function undoFact(
  state: CoordinationState,
  e: EventIndexEntry,
): { b: BusinessState; member: string } | undefined {
  const b = state.businesses.get(e.uscc);
  if (b === undefined) return undefined;
  const id = e.originalId;
  switch (e.type) {
    case 'inspectionPlanned':
    case 'inspectionCompleted':
    case 'inspectionCancelled': {
      const r = b.inspections.get(e.key);
      if (r === undefined) return undefined;
      if (e.type === 'inspectionPlanned' && r.plan?.eventId === id) r.plan = undefined;
      if (e.type === 'inspectionCompleted' && r.done?.eventId === id) r.done = undefined;
      if (e.type === 'inspectionCancelled' && r.cancelled?.eventId === id) r.cancelled = undefined;
      return { b, member: `I:${e.key}` };
    }
    case 'penaltyCaseOpened':
      if (b.cases.get(e.key)?.eventId === id) b.cases.delete(e.key);
      return { b, member: `C:${e.key}` };
    case 'penaltyDecided':
      if (b.decisions.get(e.key)?.eventId === id) b.decisions.delete(e.key);
      return { b, member: `D:${e.key}` };
    case 'decisionRevoked': {
      const d = b.decisions.get(e.key);
      if (d?.revokedBy === id) d.revokedBy = undefined;
      return { b, member: `D:${e.key}` };
    }
  }
}
