/** Records shared by the profile and the lists: penalty cases, transfers, complaints. */
import { z } from 'zod';
import { PersonSchema, named, nullableTime, time } from './common.js';

export const PenaltyCaseSchema = named(
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
    partyPerson: PersonSchema.nullable(),
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
    complainant: PersonSchema.nullable(),
    masked: z.boolean(),
  }),
);
