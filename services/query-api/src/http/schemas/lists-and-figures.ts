/** Lists across businesses, agencies and their figures, the catalogue, the access log. */
import { z } from 'zod';
import { cursor, named, nullableTime, time } from './common.js';
import { ComplaintSchema, TransferSchema } from './records.js';

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
    transfers: z.strictObject({
      sent: z.number().int(),
      waitingOnPoliceOver3Days: z.number().int(),
      received: z
        .number()
        .int()
        .meta({ description: '移送给本部门的（公安）(addressed to this agency: the police)' }),
      receivedUndecidedOver3Days: z.number().int(),
    }),
    complaints: z.strictObject({ received: z.number().int() }),
    legal: z
      .strictObject({
        procedure: z.strictObject({
          decided: z.number().int(),
          breached: z.number().int(),
          compliance: z.number().nullable(),
        }),
        deadlines: z.record(
          z.string(),
          z.strictObject({
            met: z.number().int(),
            late: z.number().int(),
            overdue: z.number().int(),
            open: z.number().int(),
            stopped: z.number().int(),
            compliance: z.number().nullable(),
          }),
        ),
        reviews: z.strictObject({
          concluded: z.number().int(),
          corrected: z.number().int(),
          correctionRate: z.number().nullable(),
        }),
        caseFiles: z.strictObject({ reviewed: z.number().int(), meanScore: z.number().nullable() }),
        retrospective: z.strictObject({
          completed: z.number().int(),
          duplicates: z.number().int(),
          duplicateRate: z.number().nullable(),
        }),
      })
      .meta({ description: '法治考评 (definitions: docs/legal-rules.md §6)' }),
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
    title: z.string(),
    sha256: z.string().meta({
      description:
        '规范 JSON 的 sha256，与 catalogueVersionPublished 事件一致 (sha256 of the canonical JSON, as in the catalogue event)',
    }),
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
        resource: z.enum(['history', 'profile', 'inspection-check', 'evidence-export']),
        query: z.string().nullable(),
        status: z.number().int(),
      }),
    ),
    nextCursor: cursor,
  }),
);

export const ClocksPageSchema = named(
  'ClocksPage',
  z.strictObject({
    items: z.array(
      z.strictObject({
        clockId: z.string(),
        kind: z.string(),
        uscc: z.string(),
        agency: z.string(),
        caseId: z.string(),
        transferNo: z.string().nullable(),
        rule: z.string(),
        article: z.string(),
        startedAt: time,
        startedByEventId: z.string(),
        dueDay: z.string(),
        dueAt: time,
        metAt: nullableTime,
        status: z.string(),
        calendarVersion: z.string().nullable(),
        fallbackYears: z.array(z.number().int()),
      }),
    ),
    nextCursor: cursor,
  }),
);
