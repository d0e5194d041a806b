/**
 * The rules an accepted record must keep (422 when broken), beyond its shape (400, zod in
 * @hub/shared): who may report what, the matter catalogue, the officer registry, times.
 * Pure: the instant "now" and the service's departments are passed in.
 */
import {
  AGENCIES,
  OFFICE_EVENT_TYPES,
  checkOfficer,
  findMatter,
  isAgencyCode,
  mayEnforce,
  type FieldIssue,
  type SubmittedEvent,
} from '@hub/domain';

/** A rule broken by a record: the field, a Chinese + English message, and a stable rule code. */
export interface RuleIssue extends FieldIssue {
  readonly rule: RuleCode;
}

export type RuleCode =
  | 'UNKNOWN_AGENCY'
  | 'AGENCY_NOT_IN_SERVICE'
  | 'EVENT_TYPE_NOT_ACCEPTED'
  | 'PAYMENT_BY_DECIDING_AGENCY'
  | 'PAYMENT_REPORTER_NOT_FINANCE'
  | 'FINANCE_REPORTS_ONLY_PAYMENTS'
  | 'UNKNOWN_MATTER'
  | 'MATTER_OUTSIDE_POWERS'
  | 'OFFICER_NOT_REGISTERED'
  | 'OFFICER_NAME_MISMATCH'
  | 'OFFICER_CERTIFICATE_EXPIRED'
  | 'OFFICER_CERTIFICATE_NOT_YET_VALID'
  | 'TOO_FEW_OFFICERS'
  | 'TIME_IN_FUTURE'
  | 'FINISH_BEFORE_START'
  | 'NOT_A_POLICE_AGENCY';

export interface RuleContext {
  /** The departments this service fronts. */
  readonly agencies: readonly string[];
  /** The instant of acceptance (from the Clock port). */
  readonly now: Date;
  /** Tolerated clock difference between a department's system and the hub. Default 5 min. */
  readonly futureSkewMs?: number;
}

/** Acts that need at least two certified officers (行政执法人员不得少于两人). */
const NEEDS_TWO_OFFICERS = new Set(['inspectionStarted', 'inspectionCompleted', 'penaltyCaseOpened']);
/** Acts whose matters must be within the recording agency's powers (执法主体 or 配合部门). */
const NEEDS_POWERS = new Set(['inspectionPlanned', 'inspectionCompleted', 'penaltyCaseOpened']);
/** The offices' own events (catalogue, calendar, ticks, 案卷评查 …): never through an agency service. */
const NOT_ACCEPTED: ReadonlySet<string> = OFFICE_EVENT_TYPES;

const issue = (rule: RuleCode, field: string, message: string): RuleIssue => ({ rule, field, message });

/** Every rule the event breaks; empty when it may be accepted. */
export function checkEventRules(event: SubmittedEvent, ctx: RuleContext): RuleIssue[] {
  const out: RuleIssue[] = [];
  out.push(...checkReporter(event, ctx));
  out.push(...checkMatters(event));
  out.push(...checkOfficers(event));
  out.push(...checkTimes(event, ctx));
  return out;
}

function checkReporter(event: SubmittedEvent, ctx: RuleContext): RuleIssue[] {
  const { agency, type } = event;
  if (!isAgencyCode(agency))
    return [issue('UNKNOWN_AGENCY', 'agency', `未知的执法部门 (unknown agency): ${agency}`)];
  if (NOT_ACCEPTED.has(type)) {
    return [
      issue(
        'EVENT_TYPE_NOT_ACCEPTED',
        type,
        `部门服务不受理此事件类型 (not accepted from departments): ${type}`,
      ),
    ];
  }
  const kind = AGENCIES[agency]?.kind;
  if (event.type === 'paymentReceived') {
    const deciding = event.payload.decidingAgency;
    const field = 'paymentReceived.decidingAgency';
    if (agency === deciding) {
      return [
        issue(
          'PAYMENT_BY_DECIDING_AGENCY',
          'agency',
          `缴罚分离：罚款缴纳应由财政部门或代收银行报送，不能由作出决定的 ${agency} 报送 (a payment is reported by the finance bureau or the bank, not by the deciding agency)`,
        ),
      ];
    }
    if (kind !== 'finance') {
      return [
        issue(
          'PAYMENT_REPORTER_NOT_FINANCE',
          'agency',
          `罚款缴纳只能由财政部门报送 (only the finance bureau reports payments), got ${agency}`,
        ),
      ];
    }
    if (!isAgencyCode(deciding))
      return [issue('UNKNOWN_AGENCY', field, `未知的决定机关 (unknown agency): ${deciding}`)];
    if (!ctx.agencies.includes(deciding)) {
      return [
        issue(
          'AGENCY_NOT_IN_SERVICE',
          field,
          `决定机关 ${deciding} 不属于本服务，请报送至其所属服务 (the deciding agency belongs to another service: ${AGENCIES[deciding]?.service ?? 'none'})`,
        ),
      ];
    }
    return [];
  }
  if (kind === 'finance') {
    return [
      issue(
        'FINANCE_REPORTS_ONLY_PAYMENTS',
        type,
        `财政部门只报送罚款缴纳 (the finance bureau reports only payments)`,
      ),
    ];
  }
  if (!ctx.agencies.includes(agency)) {
    return [
      issue(
        'AGENCY_NOT_IN_SERVICE',
        'agency',
        `${agency} (${AGENCIES[agency]?.name ?? ''}) 不属于本服务 (not a department of this service; its service: ${AGENCIES[agency]?.service ?? 'direct publisher'})`,
      ),
    ];
  }
  const out: RuleIssue[] = [];
  if (event.type === 'caseTransferredToPolice' && AGENCIES[event.payload.policeAgency]?.kind !== 'police') {
    out.push(
      issue(
        'NOT_A_POLICE_AGENCY',
        'caseTransferredToPolice.policeAgency',
        `移送对象应为公安机关 (must be a police agency): ${event.payload.policeAgency}`,
      ),
    );
  }
  if (
    (event.type === 'policeAcceptedTransfer' ||
      event.type === 'policeDeclinedTransfer' ||
      event.type === 'policeCaseFiled') &&
    kind !== 'police'
  ) {
    out.push(
      issue(
        'NOT_A_POLICE_AGENCY',
        'agency',
        `只有公安机关可受理移送 (only the police accept or decline transfers)`,
      ),
    );
  }
  if (event.type === 'jointInspectionProposed') {
    const { leadAgency, cooperatingAgencies } = event.payload;
    [leadAgency, ...cooperatingAgencies].forEach((a, i) => {
      if (!isAgencyCode(a)) {
        const field = i === 0 ? 'leadAgency' : `cooperatingAgencies.${i - 1}`;
        out.push(
          issue(
            'UNKNOWN_AGENCY',
            `jointInspectionProposed.${field}`,
            `未知的执法部门 (unknown agency): ${a}`,
          ),
        );
      }
    });
  }
  return out;
}

function mattersOf(event: SubmittedEvent): { field: string; code: string }[] {
  const at = (field: string, codes: readonly string[]) =>
    codes.map((code, i) => ({ field: `${field}.${i}`, code }));
  switch (event.type) {
    case 'inspectionPlanned':
    case 'penaltyCaseOpened':
    case 'complaintReceived':
    case 'jointInspectionProposed':
      return at(`${event.type}.matterCodes`, event.payload.matterCodes);
    case 'inspectionCompleted':
      return [
        ...at('inspectionCompleted.matterCodes', event.payload.matterCodes),
        ...event.payload.findings.map((f, i) => ({
          field: `inspectionCompleted.findings.${i}.matterCode`,
          code: f.matterCode,
        })),
      ];
    default:
      return [];
  }
}

function checkMatters(event: SubmittedEvent): RuleIssue[] {
  const out: RuleIssue[] = [];
  for (const { field, code } of mattersOf(event)) {
    const matter = findMatter(code);
    if (matter === undefined) {
      out.push(
        issue('UNKNOWN_MATTER', field, `执法事项目录中没有此事项 (unknown enforcement matter): ${code}`),
      );
    } else if (NEEDS_POWERS.has(event.type) && !mayEnforce(event.agency, code)) {
      out.push(
        issue(
          'MATTER_OUTSIDE_POWERS',
          field,
          `${event.agency} 不是事项「${matter.name}」的执法主体或配合部门 (matter outside the agency's powers; lead body: ${matter.leadAgency})`,
        ),
      );
    }
  }
  return out;
}

const OFFICER_RULE = {
  unregistered: 'OFFICER_NOT_REGISTERED',
  'name-mismatch': 'OFFICER_NAME_MISMATCH',
  expired: 'OFFICER_CERTIFICATE_EXPIRED',
  'not-yet-valid': 'OFFICER_CERTIFICATE_NOT_YET_VALID',
} as const;

function checkOfficers(event: SubmittedEvent): RuleIssue[] {
  if (!NEEDS_TWO_OFFICERS.has(event.type)) return [];
  const officers = (event.payload as { officers: { certificateNo: string; name: string }[] }).officers;
  const out: RuleIssue[] = [];
  officers.forEach((o, i) => {
    const check = checkOfficer(o, event.occurredAt);
    if (!check.ok) out.push(issue(OFFICER_RULE[check.reason], `${event.type}.officers.${i}`, check.message));
  });
  const distinct = new Set(officers.map((o) => o.certificateNo)).size;
  if (distinct < 2) {
    out.push(
      issue(
        'TOO_FEW_OFFICERS',
        `${event.type}.officers`,
        `执法人员不得少于两人，且须持有效执法证 (at least two certified officers must take part), got ${distinct}`,
      ),
    );
  }
  return out;
}

function checkTimes(event: SubmittedEvent, ctx: RuleContext): RuleIssue[] {
  const limit = ctx.now.getTime() + (ctx.futureSkewMs ?? 5 * 60_000);
  const out: RuleIssue[] = [];
  const future = (field: string, at: string | undefined) => {
    if (at !== undefined && Date.parse(at) > limit) {
      out.push(issue('TIME_IN_FUTURE', field, `时间不能晚于当前时间 (must not be in the future): ${at}`));
    }
  };
  const order = (fromField: string, from: string | undefined, toField: string, to: string | undefined) => {
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
      out.push(
        issue(
          'FINISH_BEFORE_START',
          toField,
          `结束时间早于开始时间 ${fromField} (finishes before it starts)`,
        ),
      );
    }
  };
  future('occurredAt', event.occurredAt);
  if (event.type === 'inspectionCompleted') {
    future('inspectionCompleted.startedAt', event.payload.startedAt);
    order('inspectionCompleted.startedAt', event.payload.startedAt, 'occurredAt', event.occurredAt);
  }
  if (event.type === 'penaltyCaseOpened' || event.type === 'penaltyDecided') {
    const p = event.payload;
    future(`${event.type}.violationFrom`, p.violationFrom);
    future(`${event.type}.violationTo`, p.violationTo);
    order(`${event.type}.violationFrom`, p.violationFrom, `${event.type}.violationTo`, p.violationTo);
  }
  return out;
}
