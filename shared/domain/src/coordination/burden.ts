/**
 * §5 inspection burden: routine visits to one business across all agencies per calendar
 * period (China time). A joint inspection is one visit (进一次门). More than the configured
 * maximum raises one alert per business and period.
 */
import { alertIdOf } from './alerts.js';
import { inspectionMember, iso, refOf, sortedUnique, type AlertDraft, type RuleContext } from './context.js';
import type { CoordinationSettings } from './settings.js';
import { isRoutine } from './state.js';
import type { BusinessState, InspectionRecord } from './types.js';

const CST_MS = 8 * 3_600_000;

export interface Period {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The calendar period (UTC+8) containing a time.
 *
 * @example
 * periodOf(Date.parse('2026-03-31T17:00:00Z'), 'quarter').key; // '2026-Q2' (01:00 on 1 April in China)
 */
export function periodOf(at: number, kind: CoordinationSettings['burdenPeriod']): Period {
  const d = new Date(at + CST_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const [from, months, key] =
    kind === 'year'
      ? [0, 12, String(y)]
      : kind === 'quarter'
        ? [m - (m % 3), 3, `${y}-Q${Math.floor(m / 3) + 1}`]
        : [m, 1, `${y}-${String(m + 1).padStart(2, '0')}`];
  return { key, start: Date.UTC(y, from, 1) - CST_MS, end: Date.UTC(y, from + months, 1) - CST_MS };
}

export function periodFromKey(key: string): Period {
  const [y = '0', rest] = key.split('-');
  const year = Number(y);
  if (rest === undefined) return periodOf(Date.UTC(year, 0, 1), 'year');
  if (rest.startsWith('Q')) return periodOf(Date.UTC(year, (Number(rest.slice(1)) - 1) * 3, 1), 'quarter');
  return periodOf(Date.UTC(year, Number(rest) - 1, 1), 'month');
}

export interface BurdenFigure {
  readonly period: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** All completed visits, a joint inspection counted once. */
  readonly visits: number;
  readonly routineVisits: number;
  readonly agencies: readonly string[];
  readonly inspections: readonly InspectionRecord[];
}

/** Visits to a business in one period: the figure shown in its profile. */
export function burdenIn(b: BusinessState, p: Period, s: CoordinationSettings): BurdenFigure {
  const inspections = [...b.inspections.values()]
    .filter(
      (r) => r.done !== undefined && r.cancelled === undefined && r.done.at >= p.start && r.done.at < p.end,
    )
    .sort((x, y) => x.done!.at - y.done!.at || (x.key < y.key ? -1 : 1));
  const unit = (r: InspectionRecord) =>
    r.done!.jointInspectionId ? `J:${r.done!.jointInspectionId}` : r.key;
  return {
    period: p.key,
    periodStart: iso(p.start),
    periodEnd: iso(p.end),
    visits: new Set(inspections.map(unit)).size,
    routineVisits: new Set(inspections.filter((r) => isRoutine(r.done!.reason, s)).map(unit)).size,
    agencies: sortedUnique(inspections.map((r) => r.agency)),
    inspections,
  };
}

export function burdenDraftsFor(ctx: RuleContext, b: BusinessState, p: Period): AlertDraft[] {
  const max = ctx.settings.burdenMaxRoutineVisits;
  if (max === 0) return [];
  const f = burdenIn(b, p, ctx.settings);
  if (f.routineVisits <= max) return [];
  const routine = f.inspections.filter((r) => isRoutine(r.done!.reason, ctx.settings));
  return [
    {
      members: routine.map(inspectionMember),
      recheck: `period:${p.key}`,
      at: Math.max(...routine.map((r) => r.done!.at)),
      body: {
        kind: 'inspection_burden',
        alertId: alertIdOf('inspection_burden', [`B:${b.uscc}`, `P:${p.key}`], ctx.sha256),
        uscc: b.uscc,
        agencies: sortedUnique(routine.map((r) => r.agency)),
        causedBy: sortedUnique(routine.map((r) => r.done!.eventId)),
        summary: {
          zh: `检查频次过高：${p.key} 期间该经营主体已接受常规检查 ${f.routineVisits} 次，超过上限 ${max} 次`,
          en: `Inspection burden: ${f.routineVisits} routine visits in ${p.key}, above the maximum of ${max}`,
        },
        details: {
          period: p.key,
          periodStart: f.periodStart,
          periodEnd: f.periodEnd,
          visits: f.routineVisits,
          max,
          inspections: routine.map((r) => refOf(r, 'completed')),
        },
      },
    },
  ];
}

export const burdenDrafts = (ctx: RuleContext, b: BusinessState, r: InspectionRecord): AlertDraft[] =>
  r.done === undefined || r.cancelled !== undefined || !isRoutine(r.done.reason, ctx.settings)
    ? []
    : burdenDraftsFor(ctx, b, periodOf(r.done.at, ctx.settings.burdenPeriod));
