/**
 * Settings of the coordination rules, parsed once with zod (e.g. from the projector's config)
 * and passed to every call. Every field has a default, so `parseCoordinationSettings({})` is the
 * documented default configuration.
 *
 * @example
 * const settings = parseCoordinationSettings({ duplicateWindowDaysByDomain: { 1: 14 } });
 * settings.duplicateWindowDays; // 30
 */
import { z } from 'zod';
import { configError } from '../errors.js';
import type { DomainNo } from '../agencies.js';

const days = (max: number) => z.number().int().min(0).max(max);

export const coordinationSettingsSchema = z.strictObject({
  /** Two routine inspections of one business closer than this are duplicates (§2). Default 30. */
  duplicateWindowDays: days(366).default(30),
  /** Per-domain override of the window, keyed by domain number 1–6 (综合执法大队). */
  duplicateWindowDaysByDomain: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6']), days(366)).default({}),
  /** A REFERRAL (其他机关移送) inspection counts as routine when true. Default false: exempt. */
  referralIsRoutine: z.boolean().default(false),
  /** Days after a joint inspection during which a further routine visit needs a reason (§5). Default 90. */
  quietPeriodDays: days(366).default(90),
  /** Period over which inspection burden is counted, in China time (UTC+8). Default quarter. */
  burdenPeriod: z.enum(['month', 'quarter', 'year']).default('quarter'),
  /** More routine visits than this in one period raise an alert; 0 turns the rule off. Default 4. */
  burdenMaxRoutineVisits: z.number().int().min(0).max(1000).default(4),
  /** How long penalty decisions are kept for the 一事不再罚 check. Default 1830 (5 years, art. 36). */
  penaltyRetentionDays: days(3660).default(1830),
  /** Full sweep of expired state every this many applied events (bounded memory). Default 10000. */
  sweepEvery: z.number().int().min(1).default(10_000),
});

export type CoordinationSettings = Readonly<z.output<typeof coordinationSettingsSchema>>;
export type CoordinationSettingsInput = z.input<typeof coordinationSettingsSchema>;

/** Validates settings; throws CONFIG_INVALID naming the field. */
export function parseCoordinationSettings(input: unknown = {}): CoordinationSettings {
  const r = coordinationSettingsSchema.safeParse(input);
  if (!r.success) {
    throw configError(
      '协同规则配置无效 (invalid coordination settings)',
      r.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(settings)',
        message: i.message,
      })),
    );
  }
  return Object.freeze(r.data);
}

export const DEFAULT_COORDINATION_SETTINGS: CoordinationSettings = parseCoordinationSettings({});

export const DAY_MS = 86_400_000;

/** The duplicate window of a domain, in days. */
export const windowDaysOf = (s: CoordinationSettings, domain: DomainNo | undefined): number =>
  (domain === undefined ? undefined : s.duplicateWindowDaysByDomain[String(domain) as '1']) ??
  s.duplicateWindowDays;

/** Longest duplicate window of any domain: how far back an inspection can still matter. */
export const maxWindowDays = (s: CoordinationSettings): number =>
  Math.max(s.duplicateWindowDays, ...Object.values(s.duplicateWindowDaysByDomain).map((d) => d ?? 0));

const PERIOD_DAYS = { month: 31, quarter: 92, year: 366 } as const;

/** Inspections are kept this long after their last date; enough for every inspection rule. */
export const inspectionRetentionMs = (s: CoordinationSettings): number =>
  (Math.max(maxWindowDays(s), s.quietPeriodDays, PERIOD_DAYS[s.burdenPeriod]) + maxWindowDays(s)) * DAY_MS;
