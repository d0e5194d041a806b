/**
 * The deciders: from a case's or a transfer's steps, every rule it breaks now. Pure; a step
 * counts as "before the decision" by its occurred-at, whatever order the events arrived in.
 */
import { shanghaiDayOf } from './calendar.js';
import { calendarNotes, clockView, type ClockSpec } from './clocks.js';
import type { LegalRuleCode } from './rules.js';
import type { ClockView, Entity, LawSettings, LawState, LegalAlertKind, Step } from './types.js';

export interface Finding {
  readonly kind: LegalAlertKind;
  readonly rule: LegalRuleCode;
  readonly agencies: readonly string[];
  readonly causedBy: readonly Step[];
  /** When the breach happened (for `retrospective`). */
  readonly breachAt: number;
  readonly decisionNo?: string | undefined;
  readonly clock?: ClockView | undefined;
  readonly notes?: readonly { zh: string; en: string }[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const first = (steps: readonly Step[], ...types: string[]) => steps.find((s) => types.includes(s.type));
const all = (steps: readonly Step[], ...types: string[]) => steps.filter((s) => types.includes(s.type));
const last = (steps: readonly Step[], ...types: string[]) => all(steps, ...types).at(-1);

/** Sanctions that make a decision hearing-class whatever the amount (第六十三条). */
const HEARING_SANCTIONS = /吊销|责令停产停业|责令关闭|限制从业|降低资质等级|没收较大数额/;

/** 罚没: the fine plus confiscated income and property, in fen. */
export const decidedTotalFen = (p: Readonly<Record<string, unknown>>): number =>
  num(p.amountFen) + num(p.confiscatedIncomeFen) + num(p.confiscatedPropertyFen);
export const paidTotalFen = decidedTotalFen;

export interface Evaluation {
  readonly findings: Finding[];
  readonly clocks: ClockView[];
}

export function evaluateCase(state: LawState, e: Entity, settings: LawSettings): Evaluation {
  const findings: Finding[] = [];
  const clocks: ClockView[] = [];
  const s = [...e.steps].sort((a, b) => a.at - b.at);
  const opened = first(s, 'penaltyCaseOpened');
  const decision = last(s, 'penaltyDecided');
  const agency = e.agency;
  const own = [agency];

  if (!opened) {
    const step = s[0];
    if (step)
      findings.push({
        kind: 'procedure',
        rule: 'UNKNOWN_CASE',
        agencies: own,
        causedBy: [step],
        breachAt: step.at,
      });
  } else {
    findings.push(...limitation(opened, decision, agency, settings));
  }

  if (decision) {
    const p = decision.payload;
    const decisionNo = str(p.decisionNo);
    const before = s.filter((x) => x.at <= decision.at);
    const f = (rule: LegalRuleCode, cause: Step[] = [decision]) =>
      findings.push({
        kind: 'procedure',
        rule,
        agencies: own,
        causedBy: cause,
        breachAt: decision.at,
        decisionNo,
      });
    const notices = all(before, 'penaltyNoticeServed');
    if (notices.length === 0) f('NOTICE_MISSING');
    const changed = last(s, 'decisionChanged');
    const amount =
      changed && typeof changed.payload.newAmountFen === 'number'
        ? changed.payload.newAmountFen
        : num(p.amountFen);
    const sanctions = Array.isArray(p.otherSanctions) ? (p.otherSanctions as string[]) : [];
    const hearingClass =
      p.major === true ||
      amount >= settings.hearingThresholdFen ||
      sanctions.some((x) => HEARING_SANCTIONS.test(x));
    if (
      hearingClass &&
      notices.length > 0 &&
      !notices.some((n) => n.payload.hearingRightsNotified === true)
    ) {
      f('HEARING_RIGHTS_NOT_NOTIFIED', [notices[0]!, decision]);
    }
    const requested = all(before, 'statementRequested').find((x) => x.payload.hearingRequested === true);
    if (requested && !first(before, 'hearingHeld')) f('HEARING_NOT_HELD', [requested, decision]);
    if (p.major === true) {
      if (!before.some((x) => x.type === 'legalReviewCompleted' && x.payload.approved === true))
        f('LEGAL_REVIEW_MISSING');
      if (!first(before, 'collectiveDiscussionHeld')) f('COLLECTIVE_DISCUSSION_MISSING');
    }
    const revoked = s.find(
      (x) =>
        x.type === 'decisionRevoked' ||
        (x.type === 'decisionReviewConcluded' && x.payload.outcome === 'REVIEW_OUTCOME_REVOKED'),
    );
    const specs: ClockSpec[] = [
      { kind: 'service', start: decision, end: first(s, 'decisionServed'), stopped: revoked, agency },
      { kind: 'publication', start: decision, end: first(s, 'decisionPublished'), stopped: revoked, agency },
    ];
    for (const spec of specs) {
      const c = clockView(state, e, spec, settings);
      clocks.push(c);
      if (c.status === 'late' || c.status === 'overdue') {
        findings.push({
          kind: 'procedure',
          rule: c.rule,
          agencies: own,
          causedBy: spec.end ? [decision, spec.end] : [decision],
          breachAt: Date.parse(c.dueAt),
          decisionNo,
          clock: c,
          notes: calendarNotes(c),
        });
      }
    }
    const payments = all(s, 'paymentReceived');
    const selfPaid = payments.find((x) => x.agency === agency);
    if (selfPaid) f('PAYMENT_BY_DECIDING_AGENCY', [selfPaid]);
    const decided = decidedTotalFen(p) - num(p.amountFen) + amount;
    const paid = payments.reduce((sum, x) => sum + paidTotalFen(x.payload), 0);
    if (paid > decided) f('PAYMENT_EXCEEDS_FINE', payments);
  } else {
    const orphan = first(s, 'paymentReceived', 'decisionServed', 'decisionPublished');
    if (orphan) {
      findings.push({
        kind: 'procedure',
        rule: 'UNKNOWN_DECISION',
        agencies: own,
        causedBy: [orphan],
        breachAt: orphan.at,
      });
    }
    const selfPaid = all(s, 'paymentReceived').find((x) => x.agency === agency);
    if (selfPaid) {
      findings.push({
        kind: 'procedure',
        rule: 'PAYMENT_BY_DECIDING_AGENCY',
        agencies: own,
        causedBy: [selfPaid],
        breachAt: selfPaid.at,
      });
    }
  }
  return { findings, clocks };
}

/** The same calendar day `years` later (29 February → 28 February). */
function addYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  const md = day.slice(5);
  if (md === '02-29') return `${y}-02-28`;
  return `${y}-${md}`;
}

function limitation(
  opened: Step,
  decision: Step | undefined,
  agency: string,
  settings: LawSettings,
): Finding[] {
  const end =
    str(decision?.payload.violationTo) ??
    str(opened.payload.violationTo) ??
    str(decision?.payload.violationFrom) ??
    str(opened.payload.violationFrom);
  if (!end) return [];
  const harm = opened.payload.harmsLifeHealthOrFinance === true;
  const years = harm ? settings.limitationYearsHarm : settings.limitationYears;
  const lastDay = addYears(shanghaiDayOf(end), years);
  if (shanghaiDayOf(opened.atIso) <= lastDay) return [];
  return [
    {
      kind: 'limitation',
      rule: 'LIMITATION_EXPIRED',
      agencies: [agency],
      causedBy: [opened],
      // The breach is opening the case out of time: an alert about the past only if recorded late.
      breachAt: opened.at,
      notes: [
        {
          zh: `违法行为终了于 ${shanghaiDayOf(end)}，追责时效 ${years} 年，至 ${lastDay} 届满；立案于 ${shanghaiDayOf(opened.atIso)}`,
          en: `violation ended ${shanghaiDayOf(end)}; ${years}-year limitation ended ${lastDay}; case opened ${shanghaiDayOf(opened.atIso)}`,
        },
      ],
    },
  ];
}

const POLICE_DECISIONS = ['policeCaseFiled', 'policeDeclinedTransfer'];

export function evaluateTransfer(state: LawState, e: Entity, settings: LawSettings): Evaluation {
  const findings: Finding[] = [];
  const clocks: ClockView[] = [];
  const s = [...e.steps].sort((a, b) => a.at - b.at);
  const report = first(s, 'transferReportMade');
  const decision = first(s, 'transferApproved', 'transferRefused');
  const handover = first(s, 'caseTransferredToPolice');
  const police =
    first(s, ...POLICE_DECISIONS) ??
    s.find((x) => x.type === 'policeAcceptedTransfer' && str(x.payload.policeCaseNo) !== undefined);
  const policeAgency = str(handover?.payload.policeAgency) ?? police?.agency ?? 'GAJ';
  const overdue = (spec: ClockSpec, responsible: string) => {
    const c = clockView(state, e, spec, settings);
    clocks.push(c);
    if (c.status === 'late' || c.status === 'overdue') {
      findings.push({
        kind: 'transfer_deadline',
        rule: c.rule,
        agencies: [...new Set([responsible, 'JCY'])].sort(),
        causedBy: spec.end ? [spec.start, spec.end] : [spec.start],
        breachAt: Date.parse(c.dueAt),
        clock: c,
        notes: calendarNotes(c),
      });
    }
  };
  if (report)
    overdue({ kind: 'transfer_decision', start: report, end: decision, agency: e.agency }, e.agency);
  if (decision?.type === 'transferApproved') {
    overdue({ kind: 'handover', start: decision, end: handover, agency: e.agency }, e.agency);
  }
  if (handover)
    overdue({ kind: 'police_decision', start: handover, end: police, agency: policeAgency }, policeAgency);
  if (handover && decision?.type === 'transferRefused') {
    findings.push({
      kind: 'procedure',
      rule: 'TRANSFER_AFTER_REFUSAL',
      agencies: [e.agency],
      causedBy: [decision, handover],
      breachAt: handover.at,
    });
  }
  const policeStep = first(s, 'policeAcceptedTransfer', ...POLICE_DECISIONS);
  if (policeStep && !handover) {
    findings.push({
      kind: 'procedure',
      rule: 'POLICE_DECISION_BEFORE_TRANSFER',
      agencies: [policeStep.agency],
      causedBy: [policeStep],
      breachAt: policeStep.at,
    });
  }
  return { findings, clocks };
}
