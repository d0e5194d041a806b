/**
 * The rules an event must keep beyond its shape (zod, events.ts): who may report what, the
 * matter catalogue, the officer registry, times. Pure: "now" and the departments are passed in.
 *
 * Two callers, one set of rules:
 * - `checkEventRules`: an agency service accepting a record (422 when broken), "now" from its
 *   clock, and the departments it fronts.
 * - `checkStreamedEventRules`: the projector, for every event read from the stream (direct
 *   publishers bypass the services): the event's times against its own recorded-at, and the
 *   recorded-at against the stream's timestamp of the message (no wall clock: a rebuild
 *   decides the same). It leaves out what belongs to one service (its
 *   departments, the offices' event types) and what depends on versioned reference data
 *   rather than on the event (the matter catalogue and the officer registry: a rebuild under a
 *   later catalogue must not refuse events that were right when recorded); it adds that the
 *   recorded-at is not in the future.
 */
import { AGENCIES, isAgencyCode } from './agencies.js';
import { findMatter, mayEnforce } from './catalogue/index.js';
import { OFFICE_EVENT_TYPES } from './event-types.js';
import type { FieldIssue, HubEvent, SubmittedEvent } from './events.js';
import { checkOfficer } from './officers/index.js';

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

export interface StreamRuleContext {
  /** JetStream's timestamp of the message (RFC 3339), the projector's only "now". */
  readonly streamTime: string;
  /** Tolerated difference between an event's times and its recorded-at. Default 5 min. */
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
  out.push(...checkReporter(event, ctx.agencies));
  out.push(...checkMatters(event));
  out.push(...checkOfficers(event, true));
  out.push(...checkTimes(event, ctx.now.getTime() + (ctx.futureSkewMs ?? DEFAULT_SKEW_MS)));
  return out;
}

/**
 * The rules an event read from the stream must keep: every rule of `checkEventRules` that
 * needs neither the accepting service nor reference data; "now" is the event's recorded-at,
 * itself at most RECORDED_AHEAD_MS (90 days) past the stream's timestamp of the message.
 *
 * @example
 * const broken = checkStreamedEventRules(event, { streamTime: msg.time });
 * if (broken.length > 0) deadLetter('rule_violation', broken);
 */
export function checkStreamedEventRules(event: HubEvent, ctx: StreamRuleContext): RuleIssue[] {
  const out: RuleIssue[] = [];
  out.push(...checkReporter(event, undefined));
  out.push(...checkOfficers(event, false));
  // The event's times against its own recorded-at, as the gateway checks them against its clock
  // (not for the offices' own events: a calendar version is announced before it takes effect)…
  if (!OFFICE_EVENT_TYPES.has(event.type))
    out.push(...checkTimes(event, Date.parse(event.recordedAt) + (ctx.futureSkewMs ?? DEFAULT_SKEW_MS)));
  // …and the recorded-at against the stream's clock, with room for back-filled or generated data.
  if (Date.parse(event.recordedAt) > Date.parse(ctx.streamTime) + RECORDED_AHEAD_MS) {
    out.push(
      issue(
        'TIME_IN_FUTURE',
        'recordedAt',
        `记录时间远晚于消息进入事件流的时间 (recorded long after the message reached the stream at ${ctx.streamTime}): ${event.recordedAt}`,
      ),
    );
  }
  return out;
}

/** How far a publisher's recorded-at may run ahead of the stream's own clock. */
export const RECORDED_AHEAD_MS = 90 * 24 * 3600_000;

const DEFAULT_SKEW_MS = 5 * 60_000;

/** `agencies` undefined: the rules of the event alone, not those of one service. */
function checkReporter(event: SubmittedEvent, agencies: readonly string[] | undefined): RuleIssue[] {
  const { agency, type } = event;
  if (!isAgencyCode(agency))
    return [issue('UNKNOWN_AGENCY', 'agency', `未知的执法部门 (unknown agency): ${agency}`)];
  if (agencies !== undefined && NOT_ACCEPTED.has(type)) {
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
    if (agencies !== undefined && !agencies.includes(deciding)) {
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
  if (agencies !== undefined && !agencies.includes(agency)) {
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

/** `registry`: also check each officer against the officer registry (reference data). */
function checkOfficers(event: SubmittedEvent, registry: boolean): RuleIssue[] {
  if (!NEEDS_TWO_OFFICERS.has(event.type)) return [];
  const officers = (event.payload as { officers: { certificateNo: string; name: string }[] }).officers;
  const out: RuleIssue[] = [];
  if (registry) {
    officers.forEach((o, i) => {
      const check = checkOfficer(o, event.occurredAt);
      if (!check.ok)
        out.push(issue(OFFICER_RULE[check.reason], `${event.type}.officers.${i}`, check.message));
    });
  }
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

/** `limit`: the latest instant (ms) an event's times may name. */
function checkTimes(event: SubmittedEvent, limit: number): RuleIssue[] {
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
