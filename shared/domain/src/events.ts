/**
 * The canonical JSON form of enforcement.v1.Envelope, as zod schemas: the boundary through
 * which every event enters, over HTTP or read back from the stream.
 *
 * Shape only (types, required fields, formats, unknown fields). Rules that need context —
 * agency powers, officer certificates, the wall clock — live in the rules modules.
 */
import { z } from 'zod';
import { checkUscc } from './uscc.js';
import { EVENT_TYPES, isEventType, type EventType } from './event-types.js';
import { calendarIssues } from './law/calendar.js';
import { compileSchema, GIVE_UP, type Compiled } from './fast-parse.js';

/** A lone UTF-16 surrogate (half of a pair): JSON can carry it, UTF-8 and protobuf cannot. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Whether the text is well-formed Unicode, i.e. encodable as UTF-8 (`String#isWellFormed`). */
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);
const WELL_FORMED = {
  message:
    '含有孤立的 UTF-16 代理项，不是有效的 Unicode 文本，无法以 UTF-8 保存 (contains a lone UTF-16 surrogate: not valid Unicode, cannot be stored as UTF-8)',
};
const wellFormed = () => z.string().refine(isWellFormedText, WELL_FORMED);
const text = (max = 200) => wellFormed().trim().min(1, '不能为空 (must not be empty)').max(max);
const optText = (max = 2000) => wellFormed().max(max).optional();
const id = text(128);
const codes = z.array(text(64)).max(50);
// Repeated fields default to empty: proto3 cannot tell an empty list from a missing one.
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).default([]);

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-](\d\d):(\d\d))$/;
const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the text is an RFC 3339 timestamp of a real calendar instant (no 30 February). */
export function isRfc3339(text: string): boolean {
  // Runs for every timestamp of every event the projector reads: no arrays, no Date.
  const m = RFC3339.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  // Date.UTC reads years 0–99 as 1900–1999; the calendar check always did the same.
  const y = year < 100 ? year + 1900 : year;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  const offsetOk = m[8] === 'Z' || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return day <= daysInMonth && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59 && offsetOk;
}

/** RFC 3339 with a zone, e.g. 2026-03-01T09:30:00+08:00; normalised to UTC ISO. */
export const timestamp = z
  .string()
  .refine(isRfc3339, {
    message: '时间格式应为 RFC 3339，如 2026-03-01T09:30:00+08:00 (must be an RFC 3339 timestamp)',
  })
  // Already canonical (UTC, milliseconds) — as every event read back from the stream is — stays as is.
  .transform((s) => (CANONICAL_UTC.test(s) ? s : new Date(s).toISOString()));

/** int64 in canonical JSON: a decimal string, or a number. Fen amounts fit a double exactly. */
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,16}$/)])
  .transform((v) => Number(v))
  .refine((n) => Number.isSafeInteger(n), { message: '数值超出范围 (out of range)' });

/** Canonical JSON enums: the value name, or its number. */
const protoEnum = <T extends readonly [string, ...string[]]>(prefix: string, values: T) => {
  const names = values.map((v) => `${prefix}_${v}`) as unknown as readonly [string, ...string[]];
  return z.preprocess((v) => (typeof v === 'number' ? (names[v - 1] ?? v) : v), z.enum(names));
};

export const INSPECTION_REASONS = [
  'RANDOM_SELECTION',
  'ANNUAL_PLAN',
  'COMPLAINT',
  'FOLLOW_UP',
  'SPECIAL_CAMPAIGN',
  'REFERRAL',
] as const;
export type InspectionReason = `INSPECTION_REASON_${(typeof INSPECTION_REASONS)[number]}`;
export const inspectionReason = protoEnum('INSPECTION_REASON', INSPECTION_REASONS);

export const INSPECTION_RESULTS = ['NO_ISSUES', 'RECTIFICATION_ORDERED', 'CASE_OPENED', 'NOT_FOUND'] as const;
export const inspectionResult = protoEnum('INSPECTION_RESULT', INSPECTION_RESULTS);

export const COMPLAINT_CHANNELS = ['HOTLINE', 'ONLINE', 'LETTER', 'VISIT'] as const;
export const REVIEW_ROUTES = ['RECONSIDERATION', 'LITIGATION'] as const;
export const REVIEW_OUTCOMES = ['UPHELD', 'CHANGED', 'REVOKED', 'CONFIRMED_UNLAWFUL'] as const;
export type ReviewOutcome = `REVIEW_OUTCOME_${(typeof REVIEW_OUTCOMES)[number]}`;

export const uscc = z.string().superRefine((s, ctx) => {
  const check = checkUscc(s);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
});
/** The fast path's reading of the superRefine above (fast-parse.ts). */
const FAST_KNOWN: ReadonlyMap<z.ZodType, Compiled> = new Map([
  [uscc, (v: unknown) => (typeof v === 'string' && checkUscc(v).ok ? v : GIVE_UP)],
]);

const officer = z.strictObject({ certificateNo: text(64), name: text(50) });
const officers = list(officer, 20);
const person = z.strictObject({
  name: optText(50),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dX]$/, '身份证号码应为18位 (must be an 18-character identity number)')
    .optional(),
  phone: z
    .string()
    .regex(/^[\d+\- ]{5,20}$/, '电话号码格式错误 (invalid phone number)')
    .optional(),
});
const finding = z.strictObject({
  matterCode: text(64),
  description: optText(),
  violation: z.boolean().optional(),
});
const evidenceRef = z.strictObject({ kind: text(50), reference: text(500), description: optText() });
const seizedItem = z.strictObject({ name: text(200), quantity: optText(100), location: optText(200) });
/** 工作日历: shape here, dates checked by `calendarIssues` (refused with the wrong date). */
const calendarVersionSchema = z
  .strictObject({
    version: text(50),
    effectiveFrom: timestamp,
    years: z
      .array(
        z.strictObject({
          year: z.number().int().min(2000).max(2100),
          holidays: list(z.strictObject({ name: text(50), from: z.string(), to: z.string() }), 50),
          adjustedWorkdays: list(z.string(), 50),
        }),
      )
      .min(1)
      .max(20),
  })
  .superRefine((cal, ctx) => {
    for (const i of calendarIssues(cal)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });
const amountFen = int64.refine((n) => n >= 0, { message: '金额不能为负 (amount must not be negative)' });

export const PAYLOAD_SCHEMAS = {
  inspectionPlanned: z.strictObject({
    inspectionId: id,
    reason: inspectionReason,
    matterCodes: codes.min(1),
    plannedFor: timestamp,
    jointInspectionId: optText(128),
  }),
  inspectionStarted: z.strictObject({ inspectionId: id, officers }),
  inspectionCompleted: z.strictObject({
    inspectionId: id,
    reason: inspectionReason,
    result: inspectionResult,
    matterCodes: codes.min(1),
    findings: list(finding, 100),
    officers,
    startedAt: timestamp.optional(),
    jointInspectionId: optText(128),
    quietPeriodReason: optText(),
  }),
  inspectionCancelled: z.strictObject({ inspectionId: id, reason: optText() }),
  penaltyCaseOpened: z.strictObject({
    caseId: id,
    matterCodes: codes.min(1),
    facts: optText(5000),
    violationFrom: timestamp.optional(),
    violationTo: timestamp.optional(),
    officers,
    partyPerson: person.optional(),
    inspectionId: optText(128),
    harmsLifeHealthOrFinance: z.boolean().optional(),
  }),
  penaltyNoticeServed: z.strictObject({
    caseId: id,
    proposedAmountFen: amountFen.optional(),
    hearingRightsNotified: z.boolean().optional(),
  }),
  statementRequested: z.strictObject({ caseId: id, hearingRequested: z.boolean().optional() }),
  hearingHeld: z.strictObject({ caseId: id, presidingOfficer: optText(50), summary: optText(5000) }),
  legalReviewCompleted: z.strictObject({
    caseId: id,
    approved: z.boolean().default(false),
    reviewer: optText(50),
    opinion: optText(5000),
  }),
  collectiveDiscussionHeld: z.strictObject({ caseId: id, conclusion: optText(5000) }),
  penaltyDecided: z.strictObject({
    caseId: id,
    decisionNo: text(100),
    violationCode: text(64),
    legalBasisArticles: z.array(text(200)).min(1).max(20),
    // proto3 omits zero: a decision without a fine (警告 only) has no amount on the wire.
    amountFen: amountFen.default(0),
    otherSanctions: list(text(200), 20),
    violationFrom: timestamp.optional(),
    violationTo: timestamp.optional(),
    major: z.boolean().optional(),
    confiscatedIncomeFen: amountFen.optional(),
    confiscatedPropertyFen: amountFen.optional(),
  }),
  decisionServed: z.strictObject({ caseId: id, decisionNo: text(100) }),
  paymentReceived: z.strictObject({
    caseId: id,
    decisionNo: text(100),
    decidingAgency: text(16),
    amountFen,
    bank: optText(100),
    receiptNo: optText(100),
    confiscatedIncomeFen: amountFen.optional(),
    confiscatedPropertyFen: amountFen.optional(),
  }),
  decisionPublished: z.strictObject({ caseId: id, decisionNo: text(100), url: optText(500) }),
  decisionRevoked: z.strictObject({ caseId: id, decisionNo: text(100), reason: text(2000) }),
  decisionChanged: z.strictObject({
    caseId: id,
    decisionNo: text(100),
    newAmountFen: amountFen.optional(),
    otherSanctions: list(text(200), 20),
    reason: text(2000),
  }),
  decisionReviewConcluded: z.strictObject({
    caseId: id,
    decisionNo: text(100),
    route: protoEnum('REVIEW_ROUTE', REVIEW_ROUTES),
    outcome: protoEnum('REVIEW_OUTCOME', REVIEW_OUTCOMES),
    reviewBody: optText(200),
    reason: optText(2000),
    newAmountFen: amountFen.optional(),
  }),
  caseTransferredToPolice: z.strictObject({
    caseId: id,
    transferNo: text(100),
    policeAgency: text(16),
    transferLetterRef: text(500),
    investigationReportRef: text(500),
    seizedItems: list(seizedItem, 500),
    testReports: list(evidenceRef, 100),
    evidence: list(evidenceRef, 500),
    suspectedOffence: optText(500),
  }),
  policeAcceptedTransfer: z.strictObject({ caseId: id, transferNo: text(100), policeCaseNo: optText(100) }),
  policeDeclinedTransfer: z.strictObject({ caseId: id, transferNo: text(100), reason: text(2000) }),
  transferReportMade: z.strictObject({
    caseId: id,
    transferNo: text(100),
    suspectedOffence: optText(500),
    reportedBy: optText(50),
  }),
  transferApproved: z.strictObject({ caseId: id, transferNo: text(100), approvedBy: optText(50) }),
  transferRefused: z.strictObject({ caseId: id, transferNo: text(100), reason: text(2000) }),
  policeCaseFiled: z.strictObject({ caseId: id, transferNo: text(100), policeCaseNo: text(100) }),
  caseFilingSupervisionRequested: z.strictObject({
    caseId: id,
    transferNo: text(100),
    transferringAgency: text(16),
    policeAgency: text(16),
    reason: text(2000),
  }),
  conductComplaintReceived: z.strictObject({
    complaintId: id,
    aboutAgency: text(16),
    officerCertificateNo: optText(64),
    channel: protoEnum('COMPLAINT_CHANNEL', COMPLAINT_CHANNELS).optional(),
    summary: text(5000),
    complainant: person.optional(),
    anonymous: z.boolean().optional(),
  }),
  caseFileReviewed: z.strictObject({
    reviewId: id,
    caseAgency: text(16),
    caseId: id,
    score: z.number().int().min(0, '评分应为0–100 (score 0–100)').max(100, '评分应为0–100 (score 0–100)'),
    reviewer: optText(50),
    findings: list(text(2000), 100),
  }),
  complaintReceived: z.strictObject({
    complaintId: id,
    channel: protoEnum('COMPLAINT_CHANNEL', COMPLAINT_CHANNELS).optional(),
    summary: text(5000),
    matterCodes: codes.default([]),
    complainant: person.optional(),
    anonymous: z.boolean().optional(),
  }),
  // The replacement is checked against the payload schema of its own type in parseEnvelope.
  eventCorrected: z.strictObject({
    correctedEventId: z.uuid(),
    reason: text(2000),
    replacement: z.record(z.string(), z.unknown()),
  }),
  eventRetracted: z.strictObject({ retractedEventId: z.uuid(), reason: text(2000) }),
  jointInspectionProposed: z.strictObject({
    jointInspectionId: id,
    leadAgency: text(16),
    cooperatingAgencies: list(text(16), 30),
    matterCodes: codes.default([]),
    inspectionIds: list(id, 30),
    proposedFor: timestamp.optional(),
    alertId: optText(128),
  }),
  jointInspectionAccepted: z.strictObject({ jointInspectionId: id }),
  jointInspectionDeclined: z.strictObject({ jointInspectionId: id, reason: text(2000) }),
  catalogueVersionPublished: z.strictObject({
    version: text(50),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    matterCount: z.number().int().nonnegative(),
  }),
  alertAcknowledged: z.strictObject({ alertId: id, by: optText(100) }),
  alertResolved: z.strictObject({ alertId: id, by: optText(100), reason: text(2000) }),
  clockTicked: z.strictObject({ clock: text(64) }),
  calendarVersionPublished: calendarVersionSchema,
} satisfies Record<EventType, z.ZodType>;

export type PayloadOf<T extends EventType> = z.output<(typeof PAYLOAD_SCHEMAS)[T]>;
export type AnyPayload = { [T in EventType]: { type: T; payload: PayloadOf<T> } }[EventType];

const source = z.strictObject({
  system: text(64),
  recordId: text(128),
  revision: z.number().int().nonnegative().max(1_000_000).optional().default(0),
});
const business = z.strictObject({ uscc, name: optText(200), address: optText(500) });

/** The envelope fields other than the payload, as sent by a department. */
export const envelopeHeaderSchema = z.strictObject({
  eventId: z.uuid().optional(),
  agency: text(16),
  business,
  occurredAt: timestamp,
  recordedAt: timestamp.optional(),
  source,
  schemaVersion: z.number().int().min(1).max(1).optional().default(1),
  correlationId: optText(128),
});

const HEADER_KEYS: ReadonlySet<string> = new Set(Object.keys(envelopeHeaderSchema.shape));

/** An event as the hub holds it: the envelope with its payload under `type`/`payload`. */
export type HubEvent = Omit<z.output<typeof envelopeHeaderSchema>, 'eventId' | 'recordedAt'> & {
  eventId: string;
  recordedAt: string;
} & AnyPayload;

/** An event as a department submits it: no id or recorded-at yet. */
export type SubmittedEvent = z.output<typeof envelopeHeaderSchema> & AnyPayload;

export interface FieldIssue {
  /** Dotted path in canonical JSON, e.g. `business.uscc` or `inspectionCompleted.officers.0.name`. */
  readonly field: string;
  readonly message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const issuesOf = (error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] =>
  error.issues.map((i) => ({
    field: [...prefix, ...i.path].map(String).join('.') || '(body)',
    message: translate(i),
  }));

function translate(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `未知字段 (unknown field): ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return issue.input === undefined
        ? '必填字段缺失 (required field is missing)'
        : `类型错误，应为 ${issue.expected} (expected ${issue.expected})`;
    case 'invalid_value':
      return `取值无效，可选值 (must be one of): ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * Parses one event in canonical JSON: exactly one payload field, every field checked.
 *
 * @example
 * const r = parseSubmittedEvent(JSON.parse(body));
 * if (!r.ok) return problem(400, r.issues);
 */
export function parseSubmittedEvent(input: unknown): ParseResult<SubmittedEvent> {
  const fast = fastSubmittedEvent(input);
  return fast !== undefined ? { ok: true, value: fast } : parseSubmittedEventWithZod(input);
}

/** `parseSubmittedEvent` by zod alone: what the fast path is tested against. */
export function parseSubmittedEventWithZod(input: unknown): ParseResult<SubmittedEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ field: '(body)', message: '事件应为JSON对象 (an event must be a JSON object)' }],
    };
  }
  const record = input as Record<string, unknown>;
  // One pass over the keys: this runs for every event the projector reads.
  const headerInput: Record<string, unknown> = {};
  const types: EventType[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(record)) {
    if (HEADER_KEYS.has(key)) headerInput[key] = record[key];
    else if (isEventType(key)) types.push(key);
    else unknown.push(key);
  }
  const issues: FieldIssue[] = unknown.map((k) => ({
    field: k,
    message: `未知字段或事件类型 (unknown field or event type): ${k}`,
  }));
  if (types.length !== 1 && unknown.length === 0) {
    issues.push({
      field: '(payload)',
      message:
        types.length === 0
          ? `缺少事件内容，应恰有一个事件类型字段 (exactly one event type field is required, one of: ${EVENT_TYPES.join(', ')})`
          : `只能有一个事件类型字段 (only one event type field is allowed, got: ${types.join(', ')})`,
    });
  }
  const header = envelopeHeaderSchema.safeParse(headerInput);
  if (!header.success) issues.push(...issuesOf(header.error));
  const type = types[0];
  if (type === undefined || types.length !== 1) return { ok: false, issues };
  const payload = parsePayload(type, record[type], [type]);
  if (!payload.ok) issues.push(...payload.issues);
  if (issues.length > 0 || !header.success || !payload.ok) return { ok: false, issues };
  // header.data is zod's fresh output: extended in place rather than copied by a spread
  // (same keys in the same order; the spread cost more than the rest of this function).
  return { ok: true, value: Object.assign<object, AnyPayload>(header.data, payload.value) as SubmittedEvent };
}

// The schemas compiled into the fast path (fast-parse.ts), each on first use.
let fastHeader: Compiled | undefined;
const fastPayloads = new Map<EventType, Compiled>();

/**
 * The fast path of `parseSubmittedEvent`: the same result when the event is accepted, undefined
 * when the fast path cannot vouch for it (then zod decides and words the issues). A correction
 * (whose replacement is parsed in a second step) always goes to zod.
 */
export function fastSubmittedEvent(input: unknown): SubmittedEvent | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const record = input as Record<string, unknown>;
  const headerInput: Record<string, unknown> = {};
  let type: EventType | undefined;
  for (const key of Object.keys(record)) {
    if (HEADER_KEYS.has(key)) headerInput[key] = record[key];
    else if (type === undefined && isEventType(key)) type = key;
    else return undefined;
  }
  if (type === undefined || type === 'eventCorrected') return undefined;
  try {
    fastHeader ??= compileSchema(envelopeHeaderSchema, FAST_KNOWN);
    const header = fastHeader(headerInput);
    if (header === GIVE_UP) return undefined;
    let check = fastPayloads.get(type);
    if (check === undefined)
      fastPayloads.set(type, (check = compileSchema(PAYLOAD_SCHEMAS[type], FAST_KNOWN)));
    const payload = check(record[type] ?? {});
    if (payload === GIVE_UP) return undefined;
    return Object.assign(header as object, { type, payload }) as SubmittedEvent;
  } catch {
    return undefined; // zod decides
  }
}

/** Parses a payload of a known type; for a correction, its replacement too. */
export function parsePayload(
  type: EventType,
  input: unknown,
  path: (string | number)[] = [type],
): ParseResult<AnyPayload> {
  const parsed = PAYLOAD_SCHEMAS[type].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error, path) };
  if (type === 'eventCorrected') {
    const corrected = parsed.data as PayloadOf<'eventCorrected'>;
    const replacement = parseReplacement(corrected.replacement, [...path, 'replacement']);
    if (!replacement.ok) return replacement;
    return { ok: true, value: { type, payload: { ...corrected, replacement: replacement.value } } };
  }
  return { ok: true, value: { type, payload: parsed.data } as AnyPayload };
}

/** A correction's replacement: `{ occurredAt?, <eventType>: payload }`, checked like an event. */
function parseReplacement(
  input: Record<string, unknown>,
  path: (string | number)[],
): ParseResult<Record<string, unknown>> {
  const keys = Object.keys(input).filter((k) => k !== 'occurredAt');
  const type = keys[0];
  if (keys.length !== 1 || type === undefined || !isEventType(type) || type === 'eventCorrected') {
    return {
      ok: false,
      issues: [
        {
          field: path.join('.'),
          message: '更正内容应恰有一个事件类型字段 (the replacement needs exactly one event type field)',
        },
      ],
    };
  }
  const occurredAt = input.occurredAt === undefined ? undefined : timestamp.safeParse(input.occurredAt);
  if (occurredAt && !occurredAt.success)
    return { ok: false, issues: issuesOf(occurredAt.error, [...path, 'occurredAt']) };
  const payload = parsePayload(type, input[type], [...path, type]);
  if (!payload.ok) return payload;
  return {
    ok: true,
    value: { ...(occurredAt ? { occurredAt: occurredAt.data } : {}), [type]: payload.value.payload },
  };
}

/** Parses a stored or streamed event (with id and recorded-at). */
export function parseHubEvent(input: unknown): ParseResult<HubEvent> {
  const r = parseSubmittedEvent(input);
  if (!r.ok) return r;
  const { eventId, recordedAt } = r.value;
  const missing: FieldIssue[] = [];
  if (eventId === undefined)
    missing.push({ field: 'eventId', message: '必填字段缺失 (required field is missing)' });
  if (recordedAt === undefined) {
    missing.push({ field: 'recordedAt', message: '必填字段缺失 (required field is missing)' });
  }
  if (missing.length > 0) return { ok: false, issues: missing };
  return { ok: true, value: r.value as HubEvent };
}

/** Back to canonical JSON (payload under its type's field name). */
export function toCanonicalJson(event: HubEvent | SubmittedEvent): Record<string, unknown> {
  const { type, payload, ...header } = event;
  return { ...header, [type]: payload };
}
