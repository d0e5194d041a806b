/**
 * What the coordination rules remember about each business, and the alerts they derive.
 * Times are epoch milliseconds inside the state and ISO strings in alerts.
 */
import type { InspectionReason } from '../events.js';

export const ALERT_KINDS = [
  'duplicate_inspection',
  'plan_overlap',
  'repeat_penalty',
  'inspection_burden',
  'quiet_period',
  // The legal rules (law/): procedure breaches, limitation, 两法衔接 clocks.
  'procedure',
  'limitation',
  'transfer_deadline',
] as const;
/** Also the `<kind>` token of `enf.alert.<kind>.<agency>`. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** An alert's lifecycle: raised open, then acknowledged, resolved, or withdrawn by a correction. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'withdrawn'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_KIND_NAMES: Readonly<Record<AlertKind, { zh: string; en: string }>> = {
  duplicate_inspection: { zh: '重复检查', en: 'duplicate inspection' },
  plan_overlap: { zh: '检查计划冲突', en: 'overlapping inspection plan' },
  repeat_penalty: { zh: '一事再罚', en: 'repeat penalty for one violation' },
  inspection_burden: { zh: '检查频次过高', en: 'inspection burden exceeded' },
  quiet_period: { zh: '联合检查静默期内检查', en: 'inspection inside a joint inspection quiet period' },
  procedure: { zh: '执法程序违规', en: 'penalty procedure breach' },
  limitation: { zh: '超过追责时效', en: 'beyond the limitation period' },
  transfer_deadline: { zh: '两法衔接超期', en: 'criminal transfer deadline missed' },
};

/** One stage (plan or completion) of an inspection, as its event stated it. */
export interface InspectionStage {
  readonly at: number;
  /** Id of the event that recorded the stage; a correction keeps the original id. */
  readonly eventId: string;
  readonly reason: InspectionReason;
  readonly matterCodes: readonly string[];
  readonly jointInspectionId: string | undefined;
  readonly quietPeriodReason: string | undefined;
}

export interface InspectionRecord {
  /** `<agency>/<inspectionId>`: inspection ids are unique within their agency. */
  readonly key: string;
  readonly agency: string;
  readonly inspectionId: string;
  plan: InspectionStage | undefined;
  done: InspectionStage | undefined;
  /** Set by InspectionCancelled: a cancelled inspection counts for no rule. */
  cancelled: { readonly at: number; readonly eventId: string } | undefined;
}

export interface CaseRecord {
  readonly key: string;
  readonly agency: string;
  readonly caseId: string;
  readonly openedAt: number;
  readonly eventId: string;
  /** Violation period as stated when the case was opened; a decision's own period wins. */
  readonly from: number | undefined;
  readonly to: number | undefined;
}

export interface DecisionRecord {
  /** `<agency>/<caseId>`: a later decision in the same case replaces the earlier one. */
  readonly key: string;
  readonly agency: string;
  readonly caseId: string;
  readonly decisionNo: string;
  readonly violationCode: string;
  readonly articles: readonly string[];
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly at: number;
  readonly eventId: string;
  /** Id of the DecisionRevoked event: a revoked decision is no basis for 一事不再罚. */
  revokedBy: string | undefined;
}

/** An alert already raised for a business: never raised twice, withdrawn at most once. */
export interface AlertMemo {
  readonly id: string;
  readonly kind: AlertKind;
  /** Record keys involved (`I:<agency>/<inspectionId>` or `D:<agency>/<caseId>`). */
  readonly members: readonly string[];
  readonly agencies: readonly string[];
  /** What to re-evaluate when a member changes: a member key, or `period:<key>` for burden. */
  readonly recheck: string;
  readonly at: number;
  withdrawn: boolean;
}

export interface BusinessState {
  readonly uscc: string;
  readonly inspections: Map<string, InspectionRecord>;
  readonly cases: Map<string, CaseRecord>;
  readonly decisions: Map<string, DecisionRecord>;
  readonly alerts: Map<string, AlertMemo>;
}

/** Where an applied event left its mark, so a retraction or correction can undo it. */
export interface EventIndexEntry {
  readonly uscc: string;
  readonly agency: string;
  readonly type:
    | 'inspectionPlanned'
    | 'inspectionCompleted'
    | 'inspectionCancelled'
    | 'penaltyCaseOpened'
    | 'penaltyDecided'
    | 'decisionRevoked';
  /** Record key without prefix. */
  readonly key: string;
  readonly occurredAt: number;
  /** The original event id this entry is for (corrections alias to it). */
  readonly originalId: string;
}

export interface CoordinationState {
  readonly businesses: Map<string, BusinessState>;
  readonly events: Map<string, EventIndexEntry>;
  /** Latest occurred-at seen: the rules' notion of "now", taken from the events, never a clock. */
  watermark: number;
  applied: number;
  /** Catalogue version in force, from the last CatalogueVersionPublished this build knows. */
  catalogueVersion: string;
  /** A scratch state that forgets nothing (retrospective checks); never serialized. */
  readonly keepAll?: true;
}
