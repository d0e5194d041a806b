/**
 * 追溯核查 Retrospective checks. The coordination state is bounded: it forgets inspections
 * `inspectionRetentionMs` behind the watermark and decisions `penaltyRetentionDays` behind it
 * (docs/coordination-rules.md §4). An inspection or a decision that arrives when the state no
 * longer holds all of its neighbours in time (a department loading last year's records) is
 * checked again, against the business's whole history as the stream before it left it, read
 * from the read model by the caller. What that finds is marked `retrospective`: listed and
 * counted, never pushed as a live warning.
 *
 * Pure and deterministic: the history is a function of the stream prefix before the event,
 * so a rebuild or a replay finds the same alerts with the same ids.
 *
 * @example
 * const subject = retrospectiveSubjectOf(state, event, settings); // before evolveCoordination
 * const { alerts } = evolveCoordination(state, event, settings);
 * if (subject !== undefined) {
 *   const history = store.businessEventsBefore(subject.uscc, seqOfEvent, RETROSPECTIVE_HISTORY_TYPES);
 *   const found = retrospectiveAlerts(subject, history.map(eventOfTimelineRow), event, state.catalogueVersion, settings);
 *   // use `found` in place of the evolver's alerts of kind subject.kind
 * }
 */
import type { HubEvent, InspectionReason } from '../events.js';
import { PURE_PORTS, type DomainPorts } from '../hash.js';
import type { AlertRaised, AlertWithdrawn } from './alerts.js';
import { evolveCoordination, type CoordinationResult } from './evolve.js';
import { DAY_MS, inspectionRetentionMs, maxWindowDays, type CoordinationSettings } from './settings.js';
import { initialCoordinationState, isRoutine } from './state.js';
import type { CoordinationState } from './types.js';

/** The event types a retrospective check folds from the business's history. */
export const RETROSPECTIVE_HISTORY_TYPES: readonly string[] = [
  'inspectionPlanned',
  'inspectionCompleted',
  'inspectionCancelled',
  'penaltyCaseOpened',
  'penaltyDecided',
  'decisionRevoked',
  'decisionReviewConcluded',
  'eventRetracted',
  'eventCorrected',
];

/** What an event must be checked for against the read model, and where. */
export interface RetrospectiveSubject {
  readonly uscc: string;
  /** The rule checked retrospectively. */
  readonly kind: 'duplicate_inspection' | 'repeat_penalty';
  /** The record's time (visit time, or decision time), epoch ms. */
  readonly at: number;
  /** The horizon it fell behind, epoch ms. */
  readonly horizon: number;
}

/**
 * The earliest visit time whose duplicate window `[t − W, t + W]` the state still holds whole:
 * it keeps every inspection up to `inspectionRetentionMs` behind the watermark, so
 * `watermark − (retention − W)` (92 days with the defaults).
 */
export const inspectionHorizon = (state: CoordinationState, s: CoordinationSettings): number =>
  state.watermark - (inspectionRetentionMs(s) - maxWindowDays(s) * DAY_MS);

/** The earliest decision time the state keeps (`penaltyRetentionDays` behind the watermark). */
export const decisionHorizon = (state: CoordinationState, s: CoordinationSettings): number =>
  state.watermark - s.penaltyRetentionDays * DAY_MS;

/**
 * Whether `event` needs a retrospective check, given the state BEFORE it is applied: a routine
 * completed inspection whose visit time is behind the inspection horizon, or a penalty decision
 * behind the decision horizon. Everything else is checked in full by the state.
 */
export function retrospectiveSubjectOf(
  state: CoordinationState,
  event: HubEvent,
  s: CoordinationSettings,
): RetrospectiveSubject | undefined {
  if (!Number.isFinite(state.watermark)) return undefined;
  if (event.type === 'inspectionCompleted') {
    // Exempt visits are never duplicates.
    if (!isRoutine(event.payload.reason as InspectionReason, s)) return undefined;
    const started = event.payload.startedAt;
    const at = started ? Date.parse(started) : Date.parse(event.occurredAt);
    const horizon = inspectionHorizon(state, s);
    return at < horizon
      ? { uscc: event.business.uscc, kind: 'duplicate_inspection', at, horizon }
      : undefined;
  }
  if (event.type === 'penaltyDecided') {
    const at = Date.parse(event.occurredAt);
    const horizon = decisionHorizon(state, s);
    return at < horizon ? { uscc: event.business.uscc, kind: 'repeat_penalty', at, horizon } : undefined;
  }
  return undefined;
}

/**
 * The alerts of `subject.kind` that `event` raises against the business's whole `history`
 * (its events of RETROSPECTIVE_HISTORY_TYPES before `event`, in stream order), folded with
 * nothing forgotten, each marked `retrospective`. The catalogue version is the one in force in
 * the live state (its windows per domain).
 */
export function retrospectiveAlerts(
  subject: RetrospectiveSubject,
  history: Iterable<HubEvent>,
  event: HubEvent,
  catalogueVersion: string,
  settings: CoordinationSettings,
  ports: DomainPorts = PURE_PORTS,
): AlertRaised[] {
  const scratch = initialCoordinationState({ keepAll: true });
  scratch.catalogueVersion = catalogueVersion;
  for (const e of history) evolveCoordination(scratch, e, settings, ports);
  const { alerts } = evolveCoordination(scratch, event, settings, ports);
  return alerts.filter((a) => a.kind === subject.kind).map(markRetrospective);
}

/** An alert about the past: `details.retrospective: true`, and the summary says so. */
export function markRetrospective(a: AlertRaised): AlertRaised {
  return {
    ...a,
    summary: { zh: `【追溯】${a.summary.zh}`, en: `[retrospective] ${a.summary.en}` },
    details: { ...a.details, retrospective: true },
  } as AlertRaised;
}

/**
 * The projector's fold in pure form: every event through the bounded state, and an event the
 * state can no longer check in full through a retrospective check against the events before
 * it (what the projector reads from its timeline). For specs, the scenario generator's checks
 * and tools; the projector does the same with its read model.
 *
 * @example
 * const { alerts } = replayWithRetrospective(events, DEFAULT_COORDINATION_SETTINGS);
 * alerts.filter((a) => 'retrospective' in a.details);
 */
export function replayWithRetrospective(
  events: Iterable<HubEvent>,
  settings: CoordinationSettings,
  ports: DomainPorts = PURE_PORTS,
): CoordinationResult {
  const state = initialCoordinationState();
  const wanted = new Set(RETROSPECTIVE_HISTORY_TYPES);
  const historyOf = new Map<string, HubEvent[]>();
  const alerts: AlertRaised[] = [];
  const withdrawn: AlertWithdrawn[] = [];
  for (const e of events) {
    const subject = retrospectiveSubjectOf(state, e, settings);
    const r = evolveCoordination(state, e, settings, ports);
    alerts.push(
      ...(subject === undefined
        ? r.alerts
        : [
            ...r.alerts.filter((a) => a.kind !== subject.kind),
            ...retrospectiveAlerts(
              subject,
              historyOf.get(subject.uscc) ?? [],
              e,
              state.catalogueVersion,
              settings,
              ports,
            ),
          ]),
    );
    withdrawn.push(...r.withdrawn);
    if (wanted.has(e.type)) {
      const list = historyOf.get(e.business.uscc) ?? [];
      list.push(e);
      historyOf.set(e.business.uscc, list);
    }
  }
  return { state, alerts, withdrawn };
}
