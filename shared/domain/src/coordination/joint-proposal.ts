/**
 * 联合检查建议: when several agencies mean to visit one business, one joint inspection led by
 * the lead body (执法主体) of the matters involved, the others cooperating (配合部门).
 */
import type { Catalogue } from '../catalogue/index.js';
import { PURE_PORTS, type Sha256 } from '../hash.js';
import { jointInspectionIdOf, type JointInspectionProposal } from './alerts.js';
import { sortedUnique } from './context.js';

export interface Participant {
  readonly agency: string;
  readonly inspectionId: string | undefined;
  readonly matterCodes: readonly string[];
}

/**
 * The lead is the agency that is lead body of the most matters involved; ties go to the
 * agency involved earliest (the order of `participants`), then by code. A lead body not among
 * the participants can still win: the catalogue, not who planned first, decides jurisdiction.
 * With no catalogued matter, the first participant leads.
 *
 * @example
 * leadAgencyFor(catalogue, [{ agency: 'AJJ', matterCodes: ['D5-XFDD-001'] }, { agency: 'GSJ', matterCodes: ['D6-GSJ-001'] }]);
 * // 'XFDD' ties 'GSJ' with one matter each; 'GSJ' is involved, 'XFDD' is not, so 'GSJ'
 */
export function leadAgencyFor(
  catalogue: Catalogue,
  participants: readonly Pick<Participant, 'agency' | 'matterCodes'>[],
): string {
  const counts = new Map<string, number>();
  for (const code of new Set(participants.flatMap((p) => p.matterCodes))) {
    const lead = catalogue.byCode.get(code)?.leadAgency;
    if (lead !== undefined) counts.set(lead, (counts.get(lead) ?? 0) + 1);
  }
  const order = participants.map((p) => p.agency);
  const rank = (a: string) => (order.includes(a) ? order.indexOf(a) : order.length);
  const best = [...counts].sort(([a, x], [b, y]) => y - x || rank(a) - rank(b) || (a < b ? -1 : 1))[0];
  return best?.[0] ?? order[0] ?? '';
}

export function proposeJointInspection(
  catalogue: Catalogue,
  participants: readonly Participant[],
  proposedFor: string,
  seed: string,
  alertId?: string,
  sha256: Sha256 = PURE_PORTS.sha256,
): JointInspectionProposal {
  const leadAgency = leadAgencyFor(catalogue, participants);
  return {
    jointInspectionId: jointInspectionIdOf(seed, sha256),
    leadAgency,
    cooperatingAgencies: sortedUnique(participants.map((p) => p.agency)).filter((a) => a !== leadAgency),
    matterCodes: sortedUnique(participants.flatMap((p) => p.matterCodes)),
    inspectionIds: participants.flatMap((p) => (p.inspectionId === undefined ? [] : [p.inspectionId])),
    proposedFor,
    ...(alertId === undefined ? {} : { alertId }),
  };
}

/**
 * The JointInspectionProposed payload for an alert's proposal, to publish as an event.
 *
 * @example
 * const payload = jointInspectionProposedPayload(alert.details.proposal);
 * // { jointInspectionProposed: payload } in canonical JSON
 */
export const jointInspectionProposedPayload = (p: JointInspectionProposal) => ({
  jointInspectionId: p.jointInspectionId,
  leadAgency: p.leadAgency,
  cooperatingAgencies: [...p.cooperatingAgencies],
  matterCodes: [...p.matterCodes],
  inspectionIds: [...p.inspectionIds],
  proposedFor: p.proposedFor,
  ...(p.alertId === undefined ? {} : { alertId: p.alertId }),
});
