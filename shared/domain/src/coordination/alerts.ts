/**
 * Alerts as the rules emit them. Ids are sha256 over the alert kind and what caused it, as the
 * events name it: the business and the records involved (`I:<agency>/<inspectionId>`,
 * `D:<agency>/<caseId>`, `J:<jointInspectionId>`, `P:<period>`), sorted. Replaying the same
 * events reproduces the same ids, so the projector publishes each alert exactly once; and a
 * department resending a revised record (a new event for the same inspection or case) does not
 * make a second alert. `causedBy` lists the event ids.
 */
import { PURE_PORTS, type Sha256 } from '../hash.js';
import type { InspectionReason } from '../events.js';
import type { AlertKind } from './types.js';
import type { LegalAlert } from '../law/types.js';

/** An inspection as named in an alert. */
export interface InspectionRef {
  readonly agency: string;
  readonly inspectionId: string;
  readonly eventId: string;
  readonly stage: 'planned' | 'completed';
  readonly reason: InspectionReason;
  readonly at: string;
  readonly matterCodes: readonly string[];
  readonly jointInspectionId?: string;
}

export interface DecisionRef {
  readonly agency: string;
  readonly caseId: string;
  readonly decisionNo: string;
  readonly eventId: string;
  readonly violationCode: string;
  readonly legalBasisArticles: readonly string[];
  readonly decidedAt: string;
  readonly caseOpenedAt: string | undefined;
  readonly violationFrom: string | undefined;
  readonly violationTo: string | undefined;
}

/** 联合检查建议: the payload of a JointInspectionProposed event, ready to publish. */
export interface JointInspectionProposal {
  readonly jointInspectionId: string;
  readonly leadAgency: string;
  readonly cooperatingAgencies: readonly string[];
  readonly matterCodes: readonly string[];
  readonly inspectionIds: readonly string[];
  readonly proposedFor: string;
  readonly alertId?: string;
}

interface AlertBase<K extends AlertKind, D> {
  readonly alertId: string;
  readonly kind: K;
  readonly uscc: string;
  /** Agencies concerned: publish to `enf.alert.<kind>.<agency>` for each. Sorted. */
  readonly agencies: readonly string[];
  /** Ids of the events that caused the alert, sorted. */
  readonly causedBy: readonly string[];
  /** Event whose application raised it, and that event's recorded-at. */
  readonly raisedByEventId: string;
  readonly raisedAt: string;
  readonly summary: { readonly zh: string; readonly en: string };
  readonly details: D;
}

export type DuplicateInspectionAlert = AlertBase<
  'duplicate_inspection',
  {
    inspections: readonly [InspectionRef, InspectionRef];
    windowDays: number;
    sameAgency: boolean;
    /** Found by a retrospective check (a record loaded after the state forgot its neighbours). */
    retrospective?: true;
  }
>;
export type PlanOverlapAlert = AlertBase<
  'plan_overlap',
  {
    plan: InspectionRef;
    conflicts: readonly InspectionRef[];
    windowDays: number;
    proposal: JointInspectionProposal;
  }
>;
export type RepeatPenaltyAlert = AlertBase<
  'repeat_penalty',
  {
    decisions: readonly [DecisionRef, DecisionRef];
    sameViolationCode: boolean;
    commonArticles: readonly string[];
    /** 先立案管辖 (art. 25): the agency whose case was opened first. */
    firstOpened: { agency: string; caseId: string; openedAt: string };
    /** Found by a retrospective check (a decision older than the state keeps). */
    retrospective?: true;
  }
>;
export type InspectionBurdenAlert = AlertBase<
  'inspection_burden',
  {
    period: string;
    periodStart: string;
    periodEnd: string;
    visits: number;
    max: number;
    inspections: readonly InspectionRef[];
  }
>;
export type QuietPeriodAlert = AlertBase<
  'quiet_period',
  {
    inspection: InspectionRef;
    jointInspectionId: string;
    jointAgencies: readonly string[];
    jointAt: string;
    quietUntil: string;
    quietPeriodDays: number;
  }
>;

/** What the coordination rules raise (the legal rules' alerts are `LegalAlert`, in law/). */
export type CoordinationAlert =
  DuplicateInspectionAlert | PlanOverlapAlert | RepeatPenaltyAlert | InspectionBurdenAlert | QuietPeriodAlert;

export type AlertRaised = CoordinationAlert | LegalAlert;

/**
 * An alert no longer holds because a fact it rested on was retracted, cancelled, revoked, corrected,
 * or superseded by a revised record (a new event for the same inspection or case).
 */
export interface AlertWithdrawn {
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly uscc: string;
  readonly agencies: readonly string[];
  readonly reason: 'retracted' | 'cancelled' | 'revoked' | 'corrected' | 'superseded';
  readonly byEventId: string;
}

/**
 * The id of an alert: sha256 of the kind and its sorted causes (through the hash port).
 *
 * @example
 * alertIdOf('duplicate_inspection', ['B:91350100M000100Y43', 'I:SYJ/S-1', 'I:GSJ/G-1']);
 * // the same id whatever the order of the causes
 */
export const alertIdOf = (
  kind: AlertKind,
  causes: readonly string[],
  sha256: Sha256 = PURE_PORTS.sha256,
): string => sha256([kind, ...[...causes].sort()].join('\n'));

/** A proposed joint inspection id, derived from what it was proposed for. */
export const jointInspectionIdOf = (seed: string, sha256: Sha256 = PURE_PORTS.sha256): string =>
  `JI-${sha256(seed).slice(0, 20)}`;
