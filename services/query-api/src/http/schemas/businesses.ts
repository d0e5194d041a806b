/** Businesses: search, profile, history. */
import { z } from 'zod';
import { BurdenSchema, QuietPeriodSchema } from './alerts.js';
import { EVENT_TYPES } from '@hub/domain';
import { cursor, named, nullableTime, time } from './common.js';
import { ComplaintSchema, PenaltyCaseSchema, TransferSchema } from './records.js';

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

const InspectionSchema = named(
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
    recentInspections: z.array(InspectionSchema),
    penaltyCases: z.array(PenaltyCaseSchema),
    transfers: z.array(TransferSchema),
    recentComplaints: z.array(ComplaintSchema),
    inspectionBurden: BurdenSchema,
    quietPeriod: QuietPeriodSchema.nullable(),
    alerts: z
      .strictObject({ unresolved: z.number().int(), total: z.number().int() })
      .meta({ description: '协同预警：未处理（open、acknowledged）与全部 (unresolved and all alerts)' }),
  }),
);
