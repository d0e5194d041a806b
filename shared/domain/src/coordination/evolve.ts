/**
 * The coordination evolver: applies one event to the state and returns the alerts it raises
 * and the alerts it withdraws. Deterministic — no clock, no randomness, no I/O — so replaying
 * the same events from `initialCoordinationState()` yields the same alerts with the same ids.
 *
 * @example
 * let state = initialCoordinationState();
 * for (const event of events) {
 *   const r = evolveCoordination(state, event, settings);
 *   state = r.state;
 *   for (const alert of r.alerts) store(alert); // then publish to enf.alert.<kind>.<agency>
 * }
 */
import { catalogueOf } from '../catalogue/index.js';
import type { HubEvent, PayloadOf } from '../events.js';
import { PURE_PORTS, type DomainPorts } from '../hash.js';
import type { AlertRaised, AlertWithdrawn } from './alerts.js';
import { applyFact, recordFactOf, TRACKED, undoFact, type RecordFact, type TrackedType } from './apply.js';
import { burdenDraftsFor, periodFromKey } from './burden.js';
import { contextOf, type AlertDraft, type RuleContext } from './context.js';
import { completionDrafts, duplicateDrafts, quietPeriodDrafts } from './inspection-rules.js';
import { repeatPenaltyDrafts } from './penalty-rules.js';
import { planOverlapDrafts } from './plan-rules.js';
import type { CoordinationSettings } from './settings.js';
import { initialCoordinationState, pruneBusiness, sweep } from './state.js';
import type { AlertMemo, BusinessState, CoordinationState } from './types.js';

export interface CoordinationResult {
  readonly state: CoordinationState;
  /** New alerts, in a deterministic order. Each id is raised once in the state's lifetime. */
  readonly alerts: AlertRaised[];
  /** Alerts that no longer hold because a fact they rested on went away. */
  readonly withdrawn: AlertWithdrawn[];
}

/** Drafts for what the touched record now takes part in. */
function draftsFor(ctx: RuleContext, b: BusinessState, member: string, type: TrackedType): AlertDraft[] {
  const key = member.slice(2);
  if (member.startsWith('I:')) {
    const r = b.inspections.get(key);
    if (r === undefined) return [];
    return type === 'inspectionPlanned'
      ? planOverlapDrafts(ctx, b, r)
      : type === 'inspectionCompleted'
        ? completionDrafts(ctx, b, r)
        : [];
  }
  const d = member.startsWith('D:') ? b.decisions.get(key) : undefined;
  return d === undefined || type !== 'penaltyDecided' ? [] : repeatPenaltyDrafts(ctx, b, d);
}

/** Whether a raised alert still holds, by re-running its rule for the record it was checked on. */
function holds(ctx: RuleContext, b: BusinessState, memo: AlertMemo): boolean {
  const key = memo.recheck.slice(2);
  let drafts: AlertDraft[] = [];
  if (memo.recheck.startsWith('period:'))
    drafts = burdenDraftsFor(ctx, b, periodFromKey(memo.recheck.slice(7)));
  else if (memo.recheck.startsWith('D:')) {
    const d = b.decisions.get(key);
    drafts = d === undefined ? [] : repeatPenaltyDrafts(ctx, b, d);
  } else {
    const r = b.inspections.get(key);
    if (r !== undefined) {
      if (memo.kind === 'duplicate_inspection') drafts = duplicateDrafts(ctx, b, r);
      else if (memo.kind === 'quiet_period') drafts = quietPeriodDrafts(ctx, b, r);
      else if (memo.kind === 'plan_overlap') drafts = planOverlapDrafts(ctx, b, r);
    }
  }
  return drafts.some((d) => d.body.alertId === memo.id);
}

function withdrawInvolving(
  ctx: RuleContext,
  b: BusinessState,
  member: string,
  reason: AlertWithdrawn['reason'],
  byEventId: string,
): AlertWithdrawn[] {
  const out: AlertWithdrawn[] = [];
  for (const memo of b.alerts.values()) {
    if (memo.withdrawn || !memo.members.includes(member) || holds(ctx, b, memo)) continue;
    memo.withdrawn = true;
    out.push({ alertId: memo.id, kind: memo.kind, uscc: b.uscc, agencies: memo.agencies, reason, byEventId });
  }
  return out;
}

function raise(b: BusinessState, drafts: AlertDraft[], event: HubEvent): AlertRaised[] {
  const out: AlertRaised[] = [];
  for (const d of drafts) {
    if (b.alerts.has(d.body.alertId)) continue;
    b.alerts.set(d.body.alertId, {
      id: d.body.alertId,
      kind: d.body.kind,
      members: d.members,
      agencies: d.body.agencies,
      recheck: d.recheck,
      at: d.at,
      withdrawn: false,
    });
    out.push({ ...d.body, raisedByEventId: event.eventId, raisedAt: event.recordedAt });
  }
  return out;
}

/** Applies one event. Updates `state` in place and returns it with the alerts. */
export function evolveCoordination(
  state: CoordinationState,
  event: HubEvent,
  settings: CoordinationSettings,
  /** The runtime's hash (alert ids); the pure fallback when not given. */
  ports: DomainPorts = PURE_PORTS,
): CoordinationResult {
  // Clock ticks and calendar versions are about time, not a business: they must not move the
  // watermark (which bounds what the rules remember) nor count as activity.
  if (event.type === 'clockTicked' || event.type === 'calendarVersionPublished') {
    return { state, alerts: [], withdrawn: [] };
  }
  state.applied += 1;
  const occurred = Date.parse(event.occurredAt);
  if (occurred > state.watermark) state.watermark = occurred;
  const alerts: AlertRaised[] = [];
  const withdrawn: AlertWithdrawn[] = [];
  const touched = new Set<BusinessState>();

  if (event.type === 'catalogueVersionPublished') {
    // Only a version this build knows, with the content it announced, changes the rules' catalogue.
    const c = catalogueOf(event.payload.version);
    if (c !== undefined && c.sha256 === event.payload.sha256) state.catalogueVersion = c.version;
  }
  const ctx = contextOf(state, settings, ports);

  const fact = recordFactOf(event);
  if (fact !== undefined) {
    const { b, member } = applyFact(state, fact);
    touched.add(b);
    if (fact.type === 'inspectionCancelled')
      withdrawn.push(...withdrawInvolving(ctx, b, member, 'cancelled', event.eventId));
    if (fact.type === 'decisionRevoked')
      withdrawn.push(...withdrawInvolving(ctx, b, member, 'revoked', event.eventId));
    // A revised plan, completion or decision replaces the earlier one: what it no longer supports goes.
    if (
      fact.type === 'inspectionPlanned' ||
      fact.type === 'inspectionCompleted' ||
      fact.type === 'penaltyDecided'
    )
      withdrawn.push(...withdrawInvolving(ctx, b, member, 'superseded', event.eventId));
    alerts.push(...raise(b, draftsFor(ctx, b, member, fact.type), event));
  }

  if (event.type === 'eventRetracted' || event.type === 'eventCorrected') {
    const targetId =
      event.type === 'eventRetracted' ? event.payload.retractedEventId : event.payload.correctedEventId;
    const entry = state.events.get(targetId);
    const undone = entry === undefined ? undefined : undoFact(state, entry);
    if (entry !== undefined && undone !== undefined) {
      touched.add(undone.b);
      let member = undone.member;
      let replacementType: TrackedType | undefined;
      if (event.type === 'eventCorrected') {
        const replacement = replacementFact(entry, event.payload.replacement);
        if (replacement !== undefined) {
          member = applyFact(state, replacement).member;
          replacementType = replacement.type;
          state.events.set(event.eventId, state.events.get(entry.originalId)!);
        }
      } else {
        state.events.delete(targetId);
      }
      const reason = event.type === 'eventRetracted' ? 'retracted' : 'corrected';
      withdrawn.push(...withdrawInvolving(ctx, undone.b, undone.member, reason, event.eventId));
      if (member !== undone.member)
        withdrawn.push(...withdrawInvolving(ctx, undone.b, member, reason, event.eventId));
      if (replacementType !== undefined)
        alerts.push(...raise(undone.b, draftsFor(ctx, undone.b, member, replacementType), event));
      // A retracted cancellation or revocation brings its record back: check it as on arrival.
      if (event.type === 'eventRetracted' && entry.type === 'inspectionCancelled') {
        for (const t of ['inspectionPlanned', 'inspectionCompleted'] as const)
          alerts.push(...raise(undone.b, draftsFor(ctx, undone.b, member, t), event));
      }
      if (event.type === 'eventRetracted' && entry.type === 'decisionRevoked') {
        alerts.push(...raise(undone.b, draftsFor(ctx, undone.b, member, 'penaltyDecided'), event));
      }
    }
  }

  for (const b of touched) pruneBusiness(state, b, settings);
  if (state.applied % settings.sweepEvery === 0) sweep(state, settings);
  return { state, alerts, withdrawn };
}

/** A correction's replacement as a fact standing in for the original (same id, agency, business). */
function replacementFact(
  entry: { originalId: string; agency: string; uscc: string; occurredAt: number },
  replacement: Record<string, unknown>,
): RecordFact | undefined {
  const type = Object.keys(replacement).find((k) => k !== 'occurredAt');
  if (type === undefined || !TRACKED.has(type)) return undefined;
  const occurredAt =
    typeof replacement.occurredAt === 'string' ? Date.parse(replacement.occurredAt) : entry.occurredAt;
  return {
    eventId: entry.originalId,
    agency: entry.agency,
    uscc: entry.uscc,
    occurredAt,
    type: type as TrackedType,
    payload: replacement[type] as PayloadOf<TrackedType>,
  };
}

/**
 * Folds a sequence of events, e.g. one business's history read by subject filter for a
 * pre-visit check in the query API, or the stream up to a stored position when the projector
 * restarts (its alerts are already stored then: ignore them, publish nothing).
 *
 * @example
 * const { state } = replayCoordination(historyOf(uscc), settings);
 * checkPlannedInspection(state, query, settings);
 */
export function replayCoordination(
  events: Iterable<HubEvent>,
  settings: CoordinationSettings,
  state: CoordinationState = initialCoordinationState(),
  ports: DomainPorts = PURE_PORTS,
): CoordinationResult {
  const alerts: AlertRaised[] = [];
  const withdrawn: AlertWithdrawn[] = [];
  for (const e of events) {
    const r = evolveCoordination(state, e, settings, ports);
    alerts.push(...r.alerts);
    withdrawn.push(...r.withdrawn);
  }
  return { state, alerts, withdrawn };
}
