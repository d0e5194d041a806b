/**
 * The coordination state: per business, the inspections, cases, decisions and alerts still
 * inside some rule's reach; plus an index from event id to the record it touched. Bounded:
 * records leave once no window can reach them, measured against the event-time watermark.
 *
 * The state is owned by one projector. `evolveCoordination` updates it in place for speed
 * (thousands of events a second, thousands of businesses): keep a copy with
 * `cloneCoordinationState` if you need the state before an event.
 */
import { CURRENT_CATALOGUE } from '../catalogue/index.js';
import type { InspectionReason } from '../events.js';
import { inspectionRetentionMs, DAY_MS, type CoordinationSettings } from './settings.js';
import type {
  AlertMemo,
  BusinessState,
  CaseRecord,
  CoordinationState,
  DecisionRecord,
  InspectionRecord,
  InspectionStage,
} from './types.js';

/**
 * `keepAll`: a scratch state that forgets nothing (a retrospective check folds one business's
 * whole history through it); never for the projector's own state, which must stay bounded.
 *
 * @example let state = initialCoordinationState();
 */
export const initialCoordinationState = (opts: { keepAll?: boolean } = {}): CoordinationState => ({
  businesses: new Map(),
  events: new Map(),
  watermark: Number.NEGATIVE_INFINITY,
  applied: 0,
  catalogueVersion: CURRENT_CATALOGUE.version,
  ...(opts.keepAll === true ? { keepAll: true } : {}),
});

export function businessOf(state: CoordinationState, uscc: string): BusinessState {
  let b = state.businesses.get(uscc);
  if (b === undefined) {
    b = { uscc, inspections: new Map(), cases: new Map(), decisions: new Map(), alerts: new Map() };
    state.businesses.set(uscc, b);
  }
  return b;
}

/** The completion's view where there is one, else the plan's. */
export const effective = (r: InspectionRecord): InspectionStage | undefined => r.done ?? r.plan;

const ROUTINE: ReadonlySet<string> = new Set([
  'INSPECTION_REASON_RANDOM_SELECTION',
  'INSPECTION_REASON_ANNUAL_PLAN',
  'INSPECTION_REASON_SPECIAL_CAMPAIGN',
]);

/** Routine reasons are the ones that could have been planned together; the rest are exempt. */
export const isRoutine = (reason: InspectionReason, s: CoordinationSettings): boolean =>
  ROUTINE.has(reason) || (s.referralIsRoutine && reason === 'INSPECTION_REASON_REFERRAL');

/** Joint inspections share a non-empty joint inspection id. */
export const sameJoint = (a: InspectionStage, b: InspectionStage): boolean =>
  a.jointInspectionId !== undefined &&
  a.jointInspectionId !== '' &&
  a.jointInspectionId === b.jointInspectionId;

const lastTime = (r: InspectionRecord): number =>
  Math.max(r.plan?.at ?? -Infinity, r.done?.at ?? -Infinity, r.cancelled?.at ?? -Infinity);

/** Drops what no rule can reach any more. Deterministic: depends only on the watermark. */
export function pruneBusiness(state: CoordinationState, b: BusinessState, s: CoordinationSettings): void {
  if (state.keepAll === true) return;
  const inspectionsFrom = state.watermark - inspectionRetentionMs(s);
  const penaltiesFrom = state.watermark - s.penaltyRetentionDays * DAY_MS;
  const dropIds = (...ids: (string | undefined)[]) =>
    ids.forEach((id) => id !== undefined && state.events.delete(id));
  for (const [k, r] of b.inspections) {
    if (lastTime(r) < inspectionsFrom || (r.plan ?? r.done ?? r.cancelled) === undefined) {
      b.inspections.delete(k);
      dropIds(r.plan?.eventId, r.done?.eventId, r.cancelled?.eventId);
    }
  }
  for (const [k, c] of b.cases) {
    if (c.openedAt < penaltiesFrom) {
      b.cases.delete(k);
      dropIds(c.eventId);
    }
  }
  for (const [k, d] of b.decisions) {
    if (d.at < penaltiesFrom) {
      b.decisions.delete(k);
      dropIds(d.eventId);
    }
  }
  const alertsFrom = Math.min(inspectionsFrom, penaltiesFrom);
  for (const [k, a] of b.alerts) if (a.at < alertsFrom) b.alerts.delete(k);
  if (b.inspections.size + b.cases.size + b.decisions.size + b.alerts.size === 0)
    state.businesses.delete(b.uscc);
}

/** Sweeps every business; also drops index entries whose record has gone. */
export function sweep(state: CoordinationState, s: CoordinationSettings): void {
  if (state.keepAll === true) return;
  for (const b of [...state.businesses.values()]) pruneBusiness(state, b, s);
  for (const [id, e] of state.events) {
    const b = state.businesses.get(e.uscc);
    const records = e.type.startsWith('inspection')
      ? b?.inspections
      : e.type === 'penaltyCaseOpened'
        ? b?.cases
        : b?.decisions;
    if (records?.has(e.key) !== true) state.events.delete(id);
  }
}

/** A deep copy, e.g. to compare states or keep one before applying more events. */
export const cloneCoordinationState = (state: CoordinationState): CoordinationState => structuredClone(state);

/** JSON-safe form for a snapshot in the read model; `restoreCoordinationState` reads it back. */
export function serializeCoordinationState(state: CoordinationState): unknown {
  return {
    v: 1,
    watermark: Number.isFinite(state.watermark) ? state.watermark : null,
    applied: state.applied,
    catalogueVersion: state.catalogueVersion,
    events: [...state.events],
    businesses: [...state.businesses.values()].map((b) => ({
      uscc: b.uscc,
      inspections: [...b.inspections.values()],
      cases: [...b.cases.values()],
      decisions: [...b.decisions.values()],
      alerts: [...b.alerts.values()],
    })),
  };
}

export function restoreCoordinationState(json: unknown): CoordinationState {
  const j = json as {
    watermark: number | null;
    applied: number;
    catalogueVersion: string;
    events: [string, CoordinationState['events'] extends Map<string, infer V> ? V : never][];
    businesses: {
      uscc: string;
      inspections: InspectionRecord[];
      cases: CaseRecord[];
      decisions: DecisionRecord[];
      alerts: AlertMemo[];
    }[];
  };
  const byKey = <T extends { key: string }>(xs: T[]) => new Map(xs.map((x) => [x.key, x]));
  return {
    watermark: j.watermark ?? Number.NEGATIVE_INFINITY,
    applied: j.applied,
    catalogueVersion: j.catalogueVersion,
    events: new Map(j.events),
    businesses: new Map(
      j.businesses.map((b) => [
        b.uscc,
        {
          uscc: b.uscc,
          inspections: byKey(b.inspections),
          cases: byKey(b.cases),
          decisions: byKey(b.decisions),
          alerts: new Map(b.alerts.map((a) => [a.id, a])),
        } satisfies BusinessState,
      ]),
    ),
  };
}
