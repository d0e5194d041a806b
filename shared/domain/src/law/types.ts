/**
 * What the legal rules remember and what they raise. A case or transfer is kept as its steps
 * (events, after corrections and retractions); every check is a pure function of the steps, the
 * calendars received and the last clock tick, so the same stream gives the same alerts.
 */
import type { AlertWithdrawn } from '../coordination/alerts.js';
import type { Deadline, WorkingCalendar } from './calendar.js';
import type { LegalRuleCode } from './rules.js';

export const LEGAL_ALERT_KINDS = ['procedure', 'limitation', 'transfer_deadline'] as const;
export type LegalAlertKind = (typeof LEGAL_ALERT_KINDS)[number];

export type ClockKind = 'service' | 'publication' | 'transfer_decision' | 'handover' | 'police_decision';

export const CLOCK_RULES: Readonly<Record<ClockKind, LegalRuleCode>> = {
  service: 'SERVICE_LATE',
  publication: 'PUBLICATION_LATE',
  transfer_decision: 'TRANSFER_DECISION_OVERDUE',
  handover: 'HANDOVER_OVERDUE',
  police_decision: 'POLICE_DECISION_OVERDUE',
};

/** One step of a case or transfer, as its event stated it (latest correction applied). */
export interface Step {
  readonly eventId: string;
  readonly type: string;
  readonly agency: string;
  readonly at: number;
  readonly atIso: string;
  readonly recordedAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface Entity {
  /** `case:<agency>/<caseId>` or `transfer:<uscc>/<caseId>/<transferNo>`. */
  readonly key: string;
  readonly family: 'case' | 'transfer';
  readonly uscc: string;
  readonly caseId: string;
  /** The case's (or the transferring) agency, when known. */
  agency: string;
  readonly transferNo: string | undefined;
  steps: Step[];
}

/** A legal clock as the hub shows it on a case or transfer. */
export interface ClockView {
  readonly clockId: string;
  readonly kind: ClockKind;
  readonly rule: LegalRuleCode;
  readonly article: string;
  readonly entityKey: string;
  readonly uscc: string;
  readonly agency: string;
  readonly caseId: string;
  readonly transferNo: string | undefined;
  readonly startedAt: string;
  readonly startedByEventId: string;
  readonly dueDay: string;
  readonly dueAt: string;
  readonly metAt: string | undefined;
  readonly status: 'open' | 'met' | 'late' | 'overdue' | 'stopped';
  /** Version of the working-day calendar in force at the act; undefined = none (Mon–Fri). */
  readonly calendarVersion: string | undefined;
  readonly fallbackYears: readonly number[];
}

export interface LegalAlertDetails {
  readonly rule: LegalRuleCode;
  readonly article: string;
  /** The missing or wrong step (an event type, or a field). */
  readonly missingStep: string | undefined;
  readonly caseId: string;
  readonly transferNo: string | undefined;
  readonly decisionNo: string | undefined;
  readonly clock: ClockView | undefined;
  /** About the past (found long after it happened): listed, never pushed as a live warning. */
  readonly retrospective: boolean;
  /** What the check assumed, e.g. Monday–Friday for a year the calendar does not know. */
  readonly notes: readonly { zh: string; en: string }[];
}

export interface LegalAlert {
  readonly alertId: string;
  readonly kind: LegalAlertKind;
  readonly uscc: string;
  readonly agencies: readonly string[];
  readonly causedBy: readonly string[];
  readonly raisedByEventId: string;
  readonly raisedAt: string;
  readonly summary: { readonly zh: string; readonly en: string };
  readonly details: LegalAlertDetails;
}

export interface LawState {
  readonly calendars: WorkingCalendar[];
  readonly entities: Map<string, Entity>;
  /** Event id → entity keys it is a step of (for retractions and corrections). */
  readonly events: Map<string, string[]>;
  /** Deadlines fixed when first computed (the calendar in force at the act). Key: clock id + start. */
  readonly deadlines: Map<string, Deadline & { calendarVersion: string | undefined }>;
  /** Alerts raised and not withdrawn, per entity. */
  readonly raised: Map<string, Map<string, LegalAlert>>;
  /** Open clocks not yet overdue at the last tick: clock id → entity key and due instant. */
  readonly pending: Map<string, { entityKey: string; dueMs: number }>;
  /** Last clock tick (epoch ms); 0 before the first. */
  now: number;
  nowIso: string;
}

export interface LawResult {
  readonly alerts: LegalAlert[];
  readonly withdrawn: AlertWithdrawn[];
  /** Clocks of the entities this event touched (for the read model). */
  readonly clocks: ClockView[];
}

export interface LawSettings {
  /** 较大数额罚款: a fine at or above this (fen) makes a decision hearing-class. */
  readonly hearingThresholdFen: number;
  readonly serviceWorkingDays: number;
  readonly publicationWorkingDays: number;
  readonly transferDecisionDays: number;
  readonly handoverHours: number;
  readonly policeDecisionDays: number;
  readonly limitationYears: number;
  readonly limitationYearsHarm: number;
  /** An alert raised more than this many days after the breach is retrospective. */
  readonly liveWindowDays: number;
}

export const DEFAULT_LAW_SETTINGS: LawSettings = Object.freeze({
  hearingThresholdFen: 5_000_000,
  serviceWorkingDays: 7,
  publicationWorkingDays: 7,
  transferDecisionDays: 3,
  handoverHours: 24,
  policeDecisionDays: 3,
  limitationYears: 2,
  limitationYearsHarm: 5,
  liveWindowDays: 30,
});

export const initialLawState = (): LawState => ({
  calendars: [],
  entities: new Map(),
  events: new Map(),
  deadlines: new Map(),
  raised: new Map(),
  pending: new Map(),
  now: 0,
  nowIso: '',
});
