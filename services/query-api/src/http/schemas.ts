/**
 * Response bodies as zod schemas: the single source of the OpenAPI document's components.
 * (Requests are validated by the parameter schemas in params.ts.) Strict, so the tests that parse
 * real answers with them catch a field the documentation does not name.
 */
import { z } from 'zod';
import { EVENT_TYPES } from '@hub/shared';

export const registry = z.registry<{ id: string }>();
const named = <T extends z.ZodType>(id: string, schema: T): T => {
  registry.add(schema, { id });
  return schema;
};

const time = z.string().meta({ format: 'date-time', example: '2026-03-02T02:00:00.000Z' });
const nullableTime = time.nullable();
const cursor = z
  .string()
  .nullable()
  .meta({ description: '下一页游标，没有更多时为 null (next page cursor; null on the last page)' });

export const FieldIssueSchema = named(
  'FieldIssue',
  z.strictObject({ field: z.string().meta({ example: 'uscc' }), message: z.string() }),
);

export const ProblemSchema = named(
  'Problem',
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      detail: z.string(),
      errors: z.array(FieldIssueSchema).optional(),
    })
    .meta({ description: 'RFC 9457 problem+json; messages in Chinese with English alongside' }),
);

const person = named(
  'Person',
  z
    .object({ name: z.string().optional(), idNumber: z.string().optional(), phone: z.string().optional() })
    .meta({
      description:
        '自然人信息；除记录部门和监督办公室外脱敏 (masked except for the recording agency and the supervision office)',
    }),
);

export const HistoryItemSchema = named(
  'HistoryItem',
  z.strictObject({
    seq: z.number().int().meta({ description: 'JetStream 流序号 (stream sequence)' }),
    eventId: z.string(),
    agency: z.string(),
    agencyName: z.string(),
    eventType: z.enum(EVENT_TYPES),
    eventTypeName: z.string(),
    occurredAt: time,
    recordedAt: time,
    correlationId: z.string().nullable(),
    source: z.strictObject({ system: z.string(), recordId: z.string(), revision: z.number().int() }),
    subjectRef: z.string().nullable(),
    targetEventId: z.string().nullable(),
    status: z.enum(['active', 'corrected', 'retracted']),
    supersededByEventId: z.string().nullable(),
    supersededAt: nullableTime,
    masked: z
      .boolean()
      .meta({ description: '载荷中的个人信息已脱敏 (personal data in the payload was masked)' }),
    payload: z
      .record(z.string(), z.unknown())
      .meta({ description: '事件内容，规范 JSON (the payload, canonical JSON)' }),
  }),
);

export const HistoryPageSchema = named(
  'HistoryPage',
  z.strictObject({
    uscc: z.string(),
    name: z.string().nullable(),
    asOf: nullableTime,
    limit: z.number().int(),
    items: z.array(HistoryItemSchema),
    nextCursor: cursor,
  }),
);

export const BusinessSummarySchema = named(
  'BusinessSummary',
  z.strictObject({
    uscc: z.string(),
    name: z.string().nullable(),
    address: z.string().nullable(),
    agencies: z.array(z.string()),
    firstSeenAt: time,
    lastEventAt: time,
    eventCount: z.number().int(),
    inspectionCount: z.number().int(),
    penaltyCaseCount: z.number().int(),
    complaintCount: z.number().int(),
    transferCount: z.number().int(),
    deadLetterCount: z.number().int(),
  }),
);

export const SearchPageSchema = named(
  'BusinessSearchPage',
  z.strictObject({
    q: z.string(),
    items: z.array(BusinessSummarySchema.extend({ match: z.enum(['code', 'name-prefix', 'name']) })),
    nextCursor: cursor,
  }),
);

const inspection = named(
  'Inspection',
  z.strictObject({
    agency: z.string(),
    inspectionId: z.string(),
    uscc: z.string(),
    reason: z.string().nullable(),
    status: z.string(),
    plannedFor: nullableTime,
    startedAt: nullableTime,
    completedAt: nullableTime,
    cancelledAt: nullableTime,
    result: z.string().nullable(),
    matterCodes: z.array(z.string()),
    jointInspectionId: z.string().nullable(),
  }),
);

const penaltyCase = named(
  'PenaltyCase',
  z.strictObject({
    agency: z.string(),
    caseId: z.string(),
    uscc: z.string(),
    stage: z.string(),
    openedAt: nullableTime,
    decidedAt: nullableTime,
    decisionNo: z.string().nullable(),
    violationCode: z.string().nullable(),
    legalBasisArticles: z.array(z.string()),
    amountFen: z.number().int().nullable(),
    otherSanctions: z.array(z.string()),
    major: z.boolean(),
    paidFen: z.number().int(),
    servedAt: nullableTime,
    publishedAt: nullableTime,
    revokedAt: nullableTime,
    transferredAt: nullableTime,
    matterCodes: z.array(z.string()),
    partyPerson: person.nullable(),
    masked: z.boolean(),
  }),
);

export const TransferSchema = named(
  'Transfer',
  z.strictObject({
    agency: z.string(),
    caseId: z.string(),
    transferNo: z.string(),
    uscc: z.string(),
    policeAgency: z.string(),
    transferredAt: time,
    status: z.enum(['transferred', 'accepted', 'declined']),
    decidedAt: nullableTime,
    policeCaseNo: z.string().nullable(),
    declineReason: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    waitingDays: z.number().int().nullable(),
    overdue: z
      .boolean()
      .meta({ description: '公安超过3日未决定 (police undecided for more than 3 days at `at`)' }),
  }),
);

export const ComplaintSchema = named(
  'Complaint',
  z.strictObject({
    agency: z.string(),
    complaintId: z.string(),
    uscc: z.string(),
    receivedAt: time,
    channel: z.string().nullable(),
    summary: z.string(),
    matterCodes: z.array(z.string()),
    anonymous: z.boolean(),
    complainant: person.nullable(),
    masked: z.boolean(),
  }),
);

export const ProfileSchema = named(
  'BusinessProfile',
  z.strictObject({
    business: BusinessSummarySchema,
    agencies: z.array(
      z.strictObject({
        agency: z.string(),
        agencyName: z.string(),
        eventCount: z.number().int(),
        lastOccurredAt: time,
      }),
    ),
    recentInspections: z.array(inspection),
    penaltyCases: z.array(penaltyCase),
    transfers: z.array(TransferSchema),
    recentComplaints: z.array(ComplaintSchema),
  }),
);

export const PublishedDecisionsPageSchema = named(
  'PublishedDecisionsPage',
  z.strictObject({
    items: z.array(
      z.strictObject({
        agency: z.string(),
        agencyName: z.string(),
        caseId: z.string(),
        decisionNo: z.string().nullable(),
        uscc: z.string(),
        businessName: z.string().nullable(),
        violationCode: z.string().nullable(),
        legalBasisArticles: z.array(z.string()),
        amountFen: z.number().int().nullable(),
        otherSanctions: z.array(z.string()),
        decidedAt: nullableTime,
        publishedAt: time,
      }),
    ),
    nextCursor: cursor,
  }),
);

export const TransfersPageSchema = named(
  'TransfersPage',
  z.strictObject({ at: time, items: z.array(TransferSchema), nextCursor: cursor }),
);

export const ComplaintsPageSchema = named(
  'ComplaintsPage',
  z.strictObject({ items: z.array(ComplaintSchema), nextCursor: cursor }),
);

export const AgencyListSchema = named(
  'AgencyList',
  z.strictObject({
    items: z.array(
      z.strictObject({
        code: z.string(),
        name: z.string(),
        en: z.string(),
        kind: z.string(),
        domains: z.array(z.number().int()),
      }),
    ),
  }),
);

export const FiguresSchema = named(
  'AgencyFigures',
  z.strictObject({
    agency: z.string(),
    agencyName: z.string(),
    period: z.strictObject({ from: z.string(), to: z.string() }),
    at: time,
    inspections: z.strictObject({
      completed: z.number().int(),
      byReason: z.record(z.string(), z.number().int()),
      joint: z.number().int(),
      cancelled: z.number().int(),
    }),
    duplicates: z.strictObject({
      flagged: z.number().int().nullable(),
      share: z.number().nullable(),
      note: z.string().optional(),
    }),
    penaltyCases: z.strictObject({
      opened: z.number().int(),
      byStage: z.record(z.string(), z.number().int()),
      decided: z.number().int(),
      medianDaysToDecision: z.number().nullable(),
    }),
    transfers: z.strictObject({ sent: z.number().int(), waitingOnPoliceOver3Days: z.number().int() }),
    complaints: z.strictObject({ received: z.number().int() }),
  }),
);

export const ActivitySchema = named(
  'AgencyActivity',
  z.strictObject({
    agency: z.string(),
    period: z.strictObject({ from: z.string(), to: z.string() }),
    totals: z.record(z.string(), z.number().int()),
    days: z.array(z.strictObject({ day: z.string(), eventType: z.string(), count: z.number().int() })),
  }),
);

export const MattersSchema = named(
  'MatterCatalogue',
  z.strictObject({
    version: z.string(),
    items: z.array(
      z.strictObject({
        code: z.string().meta({ example: 'D6-GSJ-001' }),
        name: z.string(),
        en: z.string(),
        legalBasis: z.string(),
        domain: z.number().int(),
        leadAgency: z.string(),
        cooperatingAgencies: z.array(z.string()),
      }),
    ),
  }),
);

export const AccessLogPageSchema = named(
  'AccessLogPage',
  z.strictObject({
    items: z.array(
      z.strictObject({
        id: z.number().int(),
        at: time,
        tokenId: z.string(),
        subject: z.string().nullable(),
        roles: z.array(z.string()),
        uscc: z.string(),
        resource: z.enum(['history', 'profile']),
        query: z.string().nullable(),
        status: z.number().int(),
      }),
    ),
    nextCursor: cursor,
  }),
);

export const HealthSchema = named(
  'Health',
  z.strictObject({
    status: z.enum(['ok', 'unavailable']),
    ok: z.boolean(),
    checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), detail: z.string().optional() })),
  }),
);
