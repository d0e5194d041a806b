/** What every rule needs: settings, the catalogue in force, and the state. */
import { AGENCIES } from '../agencies.js';
import { PURE_PORTS, type DomainPorts, type Sha256 } from '../hash.js';
import { CURRENT_CATALOGUE, catalogueOf, type Catalogue } from '../catalogue/index.js';
import type { AlertRaised, InspectionRef } from './alerts.js';
import { DAY_MS, windowDaysOf, type CoordinationSettings } from './settings.js';
import { effective } from './state.js';
import type { CoordinationState, InspectionRecord, InspectionStage } from './types.js';

export interface RuleContext {
  readonly settings: CoordinationSettings;
  /** The hash port: alert and joint inspection ids. */
  readonly sha256: Sha256;
  readonly catalogue: Catalogue;
  readonly state: CoordinationState;
}

export const contextOf = (
  state: CoordinationState,
  settings: CoordinationSettings,
  ports: DomainPorts = PURE_PORTS,
): RuleContext => ({
  settings,
  sha256: ports.sha256,
  state,
  catalogue: catalogueOf(state.catalogueVersion) ?? CURRENT_CATALOGUE,
});

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type AlertBody = DistributiveOmit<AlertRaised, 'raisedByEventId' | 'raisedAt'>;

/** An alert a rule finds holding now; raised unless its id was raised before. */
export interface AlertDraft {
  readonly body: AlertBody;
  readonly members: readonly string[];
  readonly recheck: string;
  readonly at: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const inspectionMember = (r: InspectionRecord): string => `I:${r.key}`;
export const agencyName = (code: string): string => AGENCIES[code]?.name ?? code;
export const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Window of one inspection in days: the longest among the domains of its matters. */
export function windowDays(ctx: RuleContext, stage: InspectionStage): number {
  const domains = stage.matterCodes.map((c) => ctx.catalogue.byCode.get(c)?.domain);
  if (domains.length === 0) return windowDaysOf(ctx.settings, undefined);
  return Math.max(...domains.map((d) => windowDaysOf(ctx.settings, d)));
}

export const pairWindowMs = (ctx: RuleContext, a: InspectionStage, b: InspectionStage): number =>
  Math.max(windowDays(ctx, a), windowDays(ctx, b)) * DAY_MS;

export function refOf(r: InspectionRecord, stageName: 'planned' | 'completed'): InspectionRef {
  const s = (stageName === 'completed' ? r.done : r.plan) ?? effective(r)!;
  return {
    agency: r.agency,
    inspectionId: r.inspectionId,
    eventId: s.eventId,
    stage: stageName,
    reason: s.reason,
    at: iso(s.at),
    matterCodes: s.matterCodes,
    ...(s.jointInspectionId ? { jointInspectionId: s.jointInspectionId } : {}),
  };
}

export const describeRef = (r: InspectionRef): string =>
  `${agencyName(r.agency)} ${r.inspectionId}（${r.at.slice(0, 10)}）`;
