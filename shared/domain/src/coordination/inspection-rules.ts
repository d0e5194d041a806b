/**
 * The inspection rules (issue 5 §2, §5): duplicate routine inspections, the quiet period after
 * a joint inspection, and inspection burden per period. Each returns the alerts holding now
 * that involve the given inspection; the evolver raises the new ones.
 */
import { alertIdOf } from './alerts.js';
import {
  agencyName,
  describeRef,
  inspectionMember,
  iso,
  pairWindowMs,
  refOf,
  sortedUnique,
  windowDays,
  type AlertDraft,
  type RuleContext,
} from './context.js';
import { burdenDrafts } from './burden.js';
import { DAY_MS } from './settings.js';
import { isRoutine, sameJoint } from './state.js';
import type { BusinessState, InspectionRecord, InspectionStage } from './types.js';

/** A completed, not cancelled, routine inspection: the kind that can be a duplicate. */
export const countsAsRoutineVisit = (
  ctx: RuleContext,
  r: InspectionRecord,
): r is InspectionRecord & { done: InspectionStage } =>
  r.done !== undefined && r.cancelled === undefined && isRoutine(r.done.reason, ctx.settings);

export interface JointVisit {
  readonly jointInspectionId: string;
  readonly start: number;
  readonly members: readonly InspectionRecord[];
}

/** Completed joint inspections of a business, keyed by joint inspection id. */
export function jointVisits(b: BusinessState): Map<string, JointVisit> {
  const out = new Map<string, { jointInspectionId: string; start: number; members: InspectionRecord[] }>();
  for (const r of b.inspections.values()) {
    const j = r.done?.jointInspectionId;
    if (r.done === undefined || r.cancelled !== undefined || !j) continue;
    const v = out.get(j) ?? { jointInspectionId: j, start: r.done.at, members: [] };
    v.start = Math.min(v.start, r.done.at);
    v.members.push(r);
    out.set(j, v);
  }
  return out;
}

/** True when `at` falls inside the quiet period after joint visit `j`. */
export const inQuietPeriod = (ctx: RuleContext, j: JointVisit, at: number): boolean =>
  at > j.start && at <= j.start + ctx.settings.quietPeriodDays * DAY_MS;

/** A pair between a joint inspection member and a later visit in its quiet period is the quiet rule's, not a duplicate. */
function coveredByQuietPeriod(
  ctx: RuleContext,
  joints: Map<string, JointVisit>,
  a: InspectionStage,
  b: InspectionStage,
) {
  const check = (member: InspectionStage, other: InspectionStage) => {
    const j = member.jointInspectionId ? joints.get(member.jointInspectionId) : undefined;
    return (
      j !== undefined &&
      other.jointInspectionId !== member.jointInspectionId &&
      inQuietPeriod(ctx, j, other.at)
    );
  };
  return check(a, b) || check(b, a);
}

/** §2: routine inspections of one business by two agencies, or twice by one, within the window. */
export function duplicateDrafts(ctx: RuleContext, b: BusinessState, r: InspectionRecord): AlertDraft[] {
  if (!countsAsRoutineVisit(ctx, r)) return [];
  const joints = jointVisits(b);
  const out: AlertDraft[] = [];
  for (const o of b.inspections.values()) {
    if (o.key === r.key || !countsAsRoutineVisit(ctx, o) || sameJoint(r.done, o.done)) continue;
    const windowMs = pairWindowMs(ctx, r.done, o.done);
    if (Math.abs(r.done.at - o.done.at) > windowMs || coveredByQuietPeriod(ctx, joints, r.done, o.done))
      continue;
    const [first, second] =
      r.done.at < o.done.at || (r.done.at === o.done.at && r.key < o.key) ? [r, o] : [o, r];
    const refs = [refOf(first, 'completed'), refOf(second, 'completed')] as const;
    const sameAgency = r.agency === o.agency;
    const days = windowMs / DAY_MS;
    out.push({
      members: [inspectionMember(first), inspectionMember(second)],
      recheck: inspectionMember(r),
      at: Math.max(r.done.at, o.done.at),
      body: {
        kind: 'duplicate_inspection',
        alertId: alertIdOf(
          'duplicate_inspection',
          [`B:${b.uscc}`, inspectionMember(first), inspectionMember(second)],
          ctx.sha256,
        ),
        uscc: b.uscc,
        agencies: sortedUnique([r.agency, o.agency]),
        causedBy: sortedUnique([first.done.eventId, second.done.eventId]),
        summary: {
          zh: `重复检查：${describeRef(refs[0])} 与 ${describeRef(refs[1])} 在${days}日内对同一经营主体开展常规检查，应合并为联合检查（进一次门、查多项事）`,
          en: `Duplicate inspection: ${refs[0].agency} ${refs[0].inspectionId} and ${refs[1].agency} ${refs[1].inspectionId} inspected the same business within ${days} days${sameAgency ? ' (same agency twice)' : ''}`,
        },
        details: { inspections: refs, windowDays: days, sameAgency },
      },
    });
  }
  return out;
}

/** §5: a routine visit inside the quiet period after a joint inspection it was not part of, without a reason. */
export function quietPeriodDrafts(
  ctx: RuleContext,
  b: BusinessState,
  x: InspectionRecord,
  onlyJoint?: string,
): AlertDraft[] {
  if (!countsAsRoutineVisit(ctx, x) || x.done.quietPeriodReason) return [];
  const out: AlertDraft[] = [];
  for (const j of jointVisits(b).values()) {
    if (onlyJoint !== undefined && j.jointInspectionId !== onlyJoint) continue;
    if (x.done.jointInspectionId === j.jointInspectionId || !inQuietPeriod(ctx, j, x.done.at)) continue;
    const ref = refOf(x, 'completed');
    const jointAgencies = sortedUnique(j.members.map((m) => m.agency));
    const quietUntil = iso(j.start + ctx.settings.quietPeriodDays * DAY_MS);
    out.push({
      members: [inspectionMember(x), ...j.members.map(inspectionMember)],
      recheck: inspectionMember(x),
      at: x.done.at,
      body: {
        kind: 'quiet_period',
        alertId: alertIdOf(
          'quiet_period',
          [`B:${b.uscc}`, inspectionMember(x), `J:${j.jointInspectionId}`],
          ctx.sha256,
        ),
        uscc: b.uscc,
        agencies: sortedUnique([x.agency, ...jointAgencies]),
        causedBy: sortedUnique([x.done.eventId, ...j.members.map((m) => m.done!.eventId)]),
        summary: {
          zh: `静默期内检查：${describeRef(ref)} 在联合检查 ${j.jointInspectionId}（${jointAgencies.map(agencyName).join('、')}，${iso(j.start).slice(0, 10)}）后${ctx.settings.quietPeriodDays}日静默期内开展常规检查，且未记录理由`,
          en: `Quiet period: ${x.agency} ${x.inspectionId} made a routine visit within ${ctx.settings.quietPeriodDays} days after joint inspection ${j.jointInspectionId} (${jointAgencies.join(', ')}) without recording a reason`,
        },
        details: {
          inspection: ref,
          jointInspectionId: j.jointInspectionId,
          jointAgencies,
          jointAt: iso(j.start),
          quietUntil,
          quietPeriodDays: ctx.settings.quietPeriodDays,
        },
      },
    });
  }
  return out;
}

/** Every alert a completed inspection takes part in, including late joint members making earlier visits quiet-period violations. */
export function completionDrafts(ctx: RuleContext, b: BusinessState, r: InspectionRecord): AlertDraft[] {
  const drafts = [...duplicateDrafts(ctx, b, r), ...quietPeriodDrafts(ctx, b, r), ...burdenDrafts(ctx, b, r)];
  const joint = r.done?.jointInspectionId;
  if (joint) for (const x of b.inspections.values()) drafts.push(...quietPeriodDrafts(ctx, b, x, joint));
  return drafts;
}

export { windowDays };
