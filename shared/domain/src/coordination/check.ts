/**
 * Read-side answers from the coordination state: the pre-visit check (§3, `POST
 * /v1/checks/inspection`), a business's recent activity and its inspection burden (§5).
 */
import type { InspectionReason } from '../events.js';
import { PURE_PORTS, type DomainPorts } from '../hash.js';
import type { InspectionRef, JointInspectionProposal } from './alerts.js';
import { periodOf, burdenIn, type BurdenFigure } from './burden.js';
import { contextOf, iso, refOf, sortedUnique } from './context.js';
import { inQuietPeriod, jointVisits, type JointVisit } from './inspection-rules.js';
import { proposeJointInspection } from './joint-proposal.js';
import { conflictsWith } from './plan-rules.js';
import type { CoordinationSettings } from './settings.js';
import { effective, isRoutine } from './state.js';
import type { CoordinationState, InspectionStage } from './types.js';

export interface PlannedInspectionQuery {
  readonly uscc: string;
  readonly agency: string;
  readonly matterCodes: readonly string[];
  /** ISO time of the intended visit. */
  readonly date: string;
  /** Default RANDOM_SELECTION. Exempt reasons are always clear to go. */
  readonly reason?: InspectionReason;
  readonly jointInspectionId?: string;
}

export type CheckConflict =
  | { readonly kind: 'other_agency' | 'same_agency'; readonly inspection: InspectionRef }
  | {
      readonly kind: 'quiet_period';
      readonly jointInspectionId: string;
      readonly jointAgencies: readonly string[];
      readonly jointAt: string;
      readonly quietUntil: string;
    }
  | {
      readonly kind: 'burden';
      readonly period: string;
      readonly routineVisits: number;
      readonly max: number;
    };

export interface InspectionCheck {
  /** True when nothing stands against the visit: 可以开展 (clear to go). */
  readonly clear: boolean;
  readonly conflicts: readonly CheckConflict[];
  /** Present when other agencies' plans or visits conflict: one joint inspection instead. */
  readonly proposal: JointInspectionProposal | undefined;
  readonly recentActivity: readonly ActivityItem[];
}

export interface ActivityItem {
  readonly inspection: InspectionRef;
  /** Complaint, follow-up (and referral, by default) visits are exempt from the duplicate rules. */
  readonly exempt: boolean;
}

const DAY = 86_400_000;

/**
 * Answers before anything is planned: clear to go, or the conflicts and a joint inspection.
 *
 * @example
 * const r = checkPlannedInspection(state, { uscc, agency: 'SYJ', matterCodes: ['D1-SYJ-001'], date: '2026-05-10T09:00:00+08:00' }, settings);
 * if (!r.clear) show(r.conflicts, r.proposal);
 */
export function checkPlannedInspection(
  state: CoordinationState,
  q: PlannedInspectionQuery,
  settings: CoordinationSettings,
  ports: DomainPorts = PURE_PORTS,
): InspectionCheck {
  const ctx = contextOf(state, settings, ports);
  const at = Date.parse(q.date);
  const stage: InspectionStage = {
    at,
    eventId: '',
    reason: q.reason ?? 'INSPECTION_REASON_RANDOM_SELECTION',
    matterCodes: q.matterCodes,
    jointInspectionId: q.jointInspectionId || undefined,
    quietPeriodReason: undefined,
  };
  // What the inspector should know before going: everything recorded, plans up to a month past the visit.
  const recent = recentActivity(state, q.uscc, settings, { until: at + 30 * DAY });
  const b = state.businesses.get(q.uscc);
  if (b === undefined || !isRoutine(stage.reason, settings)) {
    return { clear: true, conflicts: [], proposal: undefined, recentActivity: recent };
  }
  const others = conflictsWith(ctx, b, { agency: q.agency, stage });
  const own = conflictsWith(ctx, b, { agency: q.agency, stage }, true);
  const conflicts: CheckConflict[] = [
    ...others.map((c) => ({ kind: 'other_agency' as const, inspection: c.ref })),
    ...own.map((c) => ({ kind: 'same_agency' as const, inspection: c.ref })),
  ];
  for (const j of jointVisits(b).values()) {
    if (j.jointInspectionId === stage.jointInspectionId || !inQuietPeriod(ctx, j, at)) continue;
    conflicts.push({
      kind: 'quiet_period',
      jointInspectionId: j.jointInspectionId,
      jointAgencies: sortedUnique(j.members.map((m) => m.agency)),
      jointAt: iso(j.start),
      quietUntil: iso(j.start + settings.quietPeriodDays * DAY),
    });
  }
  const f = burdenIn(b, periodOf(at, settings.burdenPeriod), settings);
  if (settings.burdenMaxRoutineVisits > 0 && f.routineVisits >= settings.burdenMaxRoutineVisits) {
    conflicts.push({
      kind: 'burden',
      period: f.period,
      routineVisits: f.routineVisits,
      max: settings.burdenMaxRoutineVisits,
    });
  }
  const proposal =
    others.length === 0
      ? undefined
      : proposeJointInspection(
          ctx.catalogue,
          [
            { agency: q.agency, inspectionId: undefined, matterCodes: q.matterCodes },
            ...others.map((c) => ({
              agency: c.record.agency,
              inspectionId: c.record.inspectionId,
              matterCodes: effective(c.record)!.matterCodes,
            })),
          ],
          iso(at),
          ['check', q.uscc, q.agency, iso(at), ...others.map((c) => c.ref.eventId)].join('\n'),
          undefined,
          ctx.sha256,
        );
  return { clear: conflicts.length === 0, conflicts, proposal, recentActivity: recent };
}

/** The business's inspections still in the state (not cancelled), newest first, exempt ones marked. */
export function recentActivity(
  state: CoordinationState,
  uscc: string,
  settings: CoordinationSettings,
  opts: { until?: number } = {},
): ActivityItem[] {
  const b = state.businesses.get(uscc);
  if (b === undefined) return [];
  const items: { at: number; item: ActivityItem }[] = [];
  for (const r of b.inspections.values()) {
    const eff = effective(r);
    if (eff === undefined || r.cancelled !== undefined || (opts.until !== undefined && eff.at > opts.until))
      continue;
    const exempt = !isRoutine(eff.reason, settings);
    items.push({ at: eff.at, item: { inspection: refOf(r, r.done ? 'completed' : 'planned'), exempt } });
  }
  return items.sort((x, y) => y.at - x.at).map((x) => x.item);
}

/** Visits across all agencies in the period containing `at` (a joint inspection counts once). */
export function inspectionBurden(
  state: CoordinationState,
  uscc: string,
  at: string,
  settings: CoordinationSettings,
): Omit<BurdenFigure, 'inspections'> {
  const p = periodOf(Date.parse(at), settings.burdenPeriod);
  const b = state.businesses.get(uscc);
  if (b === undefined) {
    return {
      period: p.key,
      periodStart: iso(p.start),
      periodEnd: iso(p.end),
      visits: 0,
      routineVisits: 0,
      agencies: [],
    };
  }
  const { inspections: _all, ...figure } = burdenIn(b, p, settings);
  return figure;
}

/** The quiet period after a joint inspection that is in force at `at` (the latest one), for the profile. */
export interface QuietPeriodFigure {
  readonly jointInspectionId: string;
  readonly agencies: readonly string[];
  readonly jointAt: string;
  readonly quietUntil: string;
}

export function quietPeriodAt(
  state: CoordinationState,
  uscc: string,
  at: string,
  settings: CoordinationSettings,
): QuietPeriodFigure | undefined {
  const b = state.businesses.get(uscc);
  if (b === undefined) return undefined;
  const ctx = contextOf(state, settings);
  const t = Date.parse(at);
  let latest: JointVisit | undefined;
  for (const j of jointVisits(b).values()) {
    if (inQuietPeriod(ctx, j, t) && (latest === undefined || j.start > latest.start)) latest = j;
  }
  if (latest === undefined) return undefined;
  return {
    jointInspectionId: latest.jointInspectionId,
    agencies: sortedUnique(latest.members.map((m) => m.agency)),
    jointAt: iso(latest.start),
    quietUntil: iso(latest.start + settings.quietPeriodDays * DAY),
  };
}
