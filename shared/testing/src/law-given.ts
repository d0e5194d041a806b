/**
 * Event builders for the legal rules' specs (given/when/then): a case step by step, a 两法衔接
 * transfer, clock ticks and calendar versions. Each returns a HubEvent parsed through
 * `parseHubEvent`; ids count up, times are explicit (China time is fine: `+08:00`).
 *
 * @example
 * const g = givenLaw();
 * const { alerts } = whenLaw([g.calendar(), g.opened('GSJ', 'C-1', T0), g.decided('GSJ', 'C-1', T1), g.tick(T9)]);
 */
import {
  BUILT_IN_CALENDARS,
  DEFAULT_LAW_SETTINGS,
  HUB_OFFICE_USCC,
  evolveLaw,
  initialLawState,
  parseHubEvent,
  withUsccCheck,
  type CalendarInput,
  type ClockView,
  type HubEvent,
  type LawSettings,
  type LawState,
  type LegalAlert,
  type AlertWithdrawn,
} from '@hub/domain';

export const LAW_BUSINESS = withUsccCheck('91350100M00020012');

export function givenLaw(uscc = LAW_BUSINESS) {
  let n = 0;
  const nextId = () => `00000000-0000-7000-9000-${String(++n).padStart(12, '0')}`;
  const event = (agency: string, at: string, body: Record<string, unknown>, who = uscc): HubEvent => {
    const id = nextId();
    const r = parseHubEvent({
      eventId: id,
      agency,
      business: { uscc: who },
      occurredAt: at,
      recordedAt: at,
      source: { system: 'spec', recordId: id },
      ...body,
    });
    if (!r.ok) throw new Error(`invalid example event: ${JSON.stringify(r.issues)}`);
    return r.value;
  };
  /** The same event recorded later than it happened (a department's batch upload). */
  const recordedAt = (e: HubEvent, at: string): HubEvent => ({
    ...e,
    recordedAt: new Date(at).toISOString(),
  });
  const officers = [
    { certificateNo: 'GSJ-0001', name: '张明' },
    { certificateNo: 'GSJ-0002', name: '李华' },
  ];
  return {
    event,
    recordedAt,
    calendar: (
      input: CalendarInput = BUILT_IN_CALENDARS[BUILT_IN_CALENDARS.length - 1]!,
      at = '2025-11-05T00:00:00+08:00',
    ) => event('ZWH', at, { calendarVersionPublished: input }, HUB_OFFICE_USCC),
    tick: (at: string) => event('ZWH', at, { clockTicked: { clock: 'spec' } }, HUB_OFFICE_USCC),
    opened: (agency: string, caseId: string, at: string, extra: Record<string, unknown> = {}) =>
      event(agency, at, { penaltyCaseOpened: { caseId, matterCodes: ['D6-GSJ-001'], officers, ...extra } }),
    notice: (agency: string, caseId: string, at: string, hearingRightsNotified = true) =>
      event(agency, at, {
        penaltyNoticeServed: { caseId, proposedAmountFen: '500000', hearingRightsNotified },
      }),
    hearingRequested: (agency: string, caseId: string, at: string) =>
      event(agency, at, { statementRequested: { caseId, hearingRequested: true } }),
    hearing: (agency: string, caseId: string, at: string) => event(agency, at, { hearingHeld: { caseId } }),
    review: (agency: string, caseId: string, at: string, approved = true) =>
      event(agency, at, { legalReviewCompleted: { caseId, approved } }),
    discussion: (agency: string, caseId: string, at: string) =>
      event(agency, at, { collectiveDiscussionHeld: { caseId } }),
    decided: (agency: string, caseId: string, at: string, extra: Record<string, unknown> = {}) =>
      event(agency, at, {
        penaltyDecided: {
          caseId,
          decisionNo: `${agency}罚决〔2026〕${caseId}号`,
          violationCode: 'V-1',
          legalBasisArticles: ['《广告法》第五十五条'],
          amountFen: '500000',
          ...extra,
        },
      }),
    served: (agency: string, caseId: string, at: string) =>
      event(agency, at, { decisionServed: { caseId, decisionNo: `${agency}罚决〔2026〕${caseId}号` } }),
    published: (agency: string, caseId: string, at: string) =>
      event(agency, at, { decisionPublished: { caseId, decisionNo: `${agency}罚决〔2026〕${caseId}号` } }),
    paid: (reporter: string, agency: string, caseId: string, at: string, amountFen = '500000') =>
      event(reporter, at, {
        paymentReceived: {
          caseId,
          decisionNo: `${agency}罚决〔2026〕${caseId}号`,
          decidingAgency: agency,
          amountFen,
        },
      }),
    reported: (agency: string, caseId: string, transferNo: string, at: string) =>
      event(agency, at, {
        transferReportMade: { caseId, transferNo, suspectedOffence: '生产、销售伪劣产品罪' },
      }),
    approved: (agency: string, caseId: string, transferNo: string, at: string) =>
      event(agency, at, { transferApproved: { caseId, transferNo } }),
    refused: (agency: string, caseId: string, transferNo: string, at: string) =>
      event(agency, at, { transferRefused: { caseId, transferNo, reason: '不构成犯罪' } }),
    handedOver: (agency: string, caseId: string, transferNo: string, at: string) =>
      event(agency, at, {
        caseTransferredToPolice: {
          caseId,
          transferNo,
          policeAgency: 'GAJ',
          transferLetterRef: 'YS-1',
          investigationReportRef: 'DC-1',
        },
      }),
    filed: (caseId: string, transferNo: string, at: string) =>
      event('GAJ', at, { policeCaseFiled: { caseId, transferNo, policeCaseNo: 'LA-1' } }),
    retracted: (e: HubEvent, at: string) =>
      event(
        e.agency,
        at,
        { eventRetracted: { retractedEventId: e.eventId, reason: '误报' } },
        e.business.uscc,
      ),
  };
}

export interface LawOutcome {
  state: LawState;
  alerts: LegalAlert[];
  withdrawn: AlertWithdrawn[];
  /** Latest view of every clock, by clock id. */
  clocks: Map<string, ClockView>;
}

/** Applies events in order from a fresh state, collecting every alert, withdrawal and clock. */
export function whenLaw(
  events: HubEvent[],
  settings: LawSettings = DEFAULT_LAW_SETTINGS,
  state: LawState = initialLawState(),
): LawOutcome {
  const out: LawOutcome = { state, alerts: [], withdrawn: [], clocks: new Map() };
  for (const e of events) {
    const r = evolveLaw(state, e, settings);
    out.alerts.push(...r.alerts);
    out.withdrawn.push(...r.withdrawn);
    r.clocks.forEach((c) => out.clocks.set(c.clockId, c));
  }
  return out;
}

export const rulesOf = (alerts: readonly LegalAlert[]): string[] => alerts.map((a) => a.details.rule).sort();
