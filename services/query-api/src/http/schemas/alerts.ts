/** Alerts (issue 5) and the pre-visit check: response schemas. */
import { z } from 'zod';
import { ALERT_KINDS } from '@hub/domain';
import { cursor, named, nullableTime, time } from './common.js';

const json = z.record(z.string(), z.unknown());

export const AlertSchema = named(
  'Alert',
  z.strictObject({
    alertId: z.string().meta({ description: 'sha256 of the kind and its causes (stable across rebuilds)' }),
    kind: z.enum(ALERT_KINDS),
    kindName: z.strictObject({ zh: z.string(), en: z.string() }),
    uscc: z.string(),
    status: z.enum(['open', 'acknowledged', 'resolved', 'withdrawn']),
    raisedAt: time.meta({ description: 'recordedAt of the event that raised it' }),
    raisedSeq: z.number().int(),
    raisedByEventId: z.string(),
    agencies: z.array(z.string()),
    matterCodes: z.array(z.string()),
    summary: z.strictObject({ zh: z.string(), en: z.string() }),
    causedBy: z.array(z.string()),
    details: json.meta({ description: 'per kind; plan_overlap carries the joint-inspection proposal' }),
    acknowledged: z
      .strictObject({ by: z.string().nullable(), agency: z.string().nullable(), at: time })
      .nullable(),
    resolved: z
      .strictObject({
        by: z.string().nullable(),
        agency: z.string().nullable(),
        reason: z.string().nullable(),
        at: time,
      })
      .nullable(),
    withdrawn: z
      .strictObject({ reason: z.string().nullable(), byEventId: z.string().nullable(), at: time })
      .nullable(),
    jointInspection: z
      .looseObject({ id: z.string(), status: z.string().nullable() })
      .nullable()
      .meta({ description: 'suggested → proposed → accepted | declined (plan_overlap only)' }),
  }),
);

export const AlertsPageSchema = named(
  'AlertsPage',
  z.strictObject({ items: z.array(AlertSchema), nextCursor: cursor }),
);

export const InspectionCheckSchema = named(
  'InspectionCheck',
  z.strictObject({
    clear: z.boolean().meta({ description: '可以开展 clear to go' }),
    conflicts: z.array(json),
    proposal: json.nullable().meta({ description: '联合检查建议 proposed joint inspection' }),
    recentActivity: z.array(json),
    asOfSeq: z.number().int().meta({ description: 'read model position the answer was computed at' }),
  }),
);

export const BurdenSchema = named(
  'InspectionBurden',
  z.strictObject({
    period: z.string(),
    periodStart: time,
    periodEnd: nullableTime,
    visits: z.number().int(),
    routineVisits: z.number().int(),
    agencies: z.array(z.string()),
    limit: z.number().int().meta({
      description:
        '每期常规检查次数上限，超过即预警 (routine visits per period above which an alert is raised)',
    }),
  }),
);

export const QuietPeriodSchema = named(
  'QuietPeriod',
  z
    .strictObject({
      jointInspectionId: z.string(),
      agencies: z.array(z.string()),
      jointAt: time,
      quietUntil: time,
    })
    .meta({ description: '联合检查后的静默期 (quiet period after a joint inspection, in force now)' }),
);
