/**
 * §3: an InspectionPlanned overlapping another agency's plan or recent inspection of the same
 * business raises one alert for that plan, to every agency involved, with a joint-inspection
 * proposal. The same conflict search answers the pre-visit check.
 */
import { alertIdOf, type InspectionRef } from './alerts.js';
import {
  agencyName,
  describeRef,
  inspectionMember,
  iso,
  refOf,
  sortedUnique,
  windowDays,
  type AlertDraft,
  type RuleContext,
} from './context.js';
import { proposeJointInspection } from './joint-proposal.js';
import { DAY_MS } from './settings.js';
import { effective, isRoutine } from './state.js';
import type { BusinessState, InspectionRecord, InspectionStage } from './types.js';

export interface Conflict {
  readonly record: InspectionRecord;
  readonly ref: InspectionRef;
}

/**
 * Routine plans and completed routine inspections within the window of `probe`, not cancelled,
 * not of the same joint inspection. `sameAgency` picks the agency's own records instead of
 * other agencies'.
 */
export function conflictsWith(
  ctx: RuleContext,
  b: BusinessState,
  probe: { key?: string; agency: string; stage: InspectionStage },
  sameAgency = false,
): Conflict[] {
  const out: Conflict[] = [];
  for (const o of b.inspections.values()) {
    const eff = effective(o);
    if (o.key === probe.key || eff === undefined || o.cancelled !== undefined) continue;
    if ((o.agency === probe.agency) !== sameAgency || !isRoutine(eff.reason, ctx.settings)) continue;
    const joint = probe.stage.jointInspectionId;
    if (joint && eff.jointInspectionId === joint) continue;
    const windowMs = Math.max(windowDays(ctx, probe.stage), windowDays(ctx, eff)) * DAY_MS;
    if (Math.abs(eff.at - probe.stage.at) > windowMs) continue;
    out.push({ record: o, ref: refOf(o, o.done ? 'completed' : 'planned') });
  }
  return out.sort(
    (x, y) => Date.parse(x.ref.at) - Date.parse(y.ref.at) || (x.record.key < y.record.key ? -1 : 1),
  );
}

export function planOverlapDrafts(ctx: RuleContext, b: BusinessState, p: InspectionRecord): AlertDraft[] {
  const plan = p.plan;
  if (plan === undefined || p.cancelled !== undefined || !isRoutine(plan.reason, ctx.settings)) return [];
  const conflicts = conflictsWith(ctx, b, { key: p.key, agency: p.agency, stage: plan });
  if (conflicts.length === 0) return [];
  const alertId = alertIdOf('plan_overlap', [`B:${b.uscc}`, inspectionMember(p)], ctx.sha256);
  const ref = refOf(p, 'planned');
  const proposal = proposeJointInspection(
    ctx.catalogue,
    [p, ...conflicts.map((c) => c.record)].map((r) => ({
      agency: r.agency,
      inspectionId: r.inspectionId,
      matterCodes: effective(r)!.matterCodes,
    })),
    iso(plan.at),
    alertId,
    alertId,
    ctx.sha256,
  );
  const days = windowDays(ctx, plan);
  const others = sortedUnique(conflicts.map((c) => c.record.agency));
  return [
    {
      members: [inspectionMember(p), ...conflicts.map((c) => inspectionMember(c.record))],
      recheck: inspectionMember(p),
      at: plan.at,
      body: {
        kind: 'plan_overlap',
        alertId,
        uscc: b.uscc,
        agencies: sortedUnique([p.agency, ...others]),
        causedBy: sortedUnique([plan.eventId, ...conflicts.map((c) => c.ref.eventId)]),
        summary: {
          zh: `检查计划冲突：${describeRef(ref)} 与 ${conflicts.map((c) => describeRef(c.ref)).join('、')} 重叠，建议由${agencyName(proposal.leadAgency)}牵头开展联合检查，${proposal.cooperatingAgencies.map(agencyName).join('、') || '无'}配合`,
          en: `Overlapping plan: ${p.agency} ${p.inspectionId} overlaps ${conflicts.map((c) => `${c.ref.agency} ${c.ref.inspectionId}`).join(', ')}; proposed joint inspection led by ${proposal.leadAgency}${proposal.cooperatingAgencies.length > 0 ? ` with ${proposal.cooperatingAgencies.join(', ')} cooperating` : ''}`,
        },
        details: { plan: ref, conflicts: conflicts.map((c) => c.ref), windowDays: days, proposal },
      },
    },
  ];
}
