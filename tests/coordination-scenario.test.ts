/**
 * Done-when of issue 5: a generated county year yields alerts whose counts match what the
 * scenario planted, and replaying it reproduces the same alert ids.
 */
import { describe, expect, it } from 'vitest';
import {
  ALERT_KINDS,
  LEGAL_ALERT_KINDS,
  evolveCoordination,
  initialCoordinationState,
  parseCoordinationSettings,
  parseHubEvent,
  parseSubmittedEvent,
  type AlertKind,
  type AlertRaised,
  type HubEvent,
} from '@hub/domain';
import { generateScenario } from '@hub/testing';

const settings = parseCoordinationSettings({});
/** The planted counts of the coordination kinds; the legal kinds are the legal rules' (law-scenario.test.ts). */
const coordinationOnly = (planted: Record<AlertKind, number>) =>
  Object.fromEntries(
    ALERT_KINDS.map((k) => [k, (LEGAL_ALERT_KINDS as readonly string[]).includes(k) ? 0 : planted[k]]),
  );

function run(events: HubEvent[]) {
  const state = initialCoordinationState();
  const raised: AlertRaised[] = [];
  const withdrawn: Record<AlertKind, number> = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<
    AlertKind,
    number
  >;
  for (const e of events) {
    const r = evolveCoordination(state, e, settings);
    raised.push(...r.alerts);
    for (const w of r.withdrawn) withdrawn[w.kind] += 1;
  }
  const counts = Object.fromEntries(ALERT_KINDS.map((k) => [k, raised.filter((a) => a.kind === k).length]));
  return { raised, counts, withdrawn };
}

describe('coordination scenario (@hub/testing scenario generator)', () => {
  const scenario = generateScenario({ seed: 20260105, businesses: 600 });
  const events = scenario.events.map((json) => {
    const r = parseHubEvent(json);
    if (!r.ok) throw new Error(`invalid scenario event ${JSON.stringify(json)}: ${JSON.stringify(r.issues)}`);
    return r.value;
  });

  it('emits canonical JSON events that departments could submit, in arrival order', () => {
    expect(events.length).toBeGreaterThan(2000);
    for (const json of scenario.events.slice(0, 500)) expect(parseSubmittedEvent(json).ok).toBe(true);
    const recorded = events.map((e) => e.recordedAt);
    expect([...recorded].sort()).toEqual(recorded);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(Object.keys(scenario.episodes)).toHaveLength(21); // 15 coordination + 6 legal
  });

  it('raises exactly the planted alerts of every kind, and withdraws exactly the planted withdrawals', () => {
    const { counts, withdrawn } = run(events);
    expect(counts).toEqual(coordinationOnly(scenario.planted));
    expect(withdrawn).toEqual(scenario.plantedWithdrawn);
    for (const k of ALERT_KINDS.filter((k) => !(LEGAL_ALERT_KINDS as readonly string[]).includes(k)))
      expect(scenario.planted[k], k).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed gives the same events, and a replay the same alert ids', () => {
    const again = generateScenario({ seed: 20260105, businesses: 600 });
    expect(again.events).toEqual(scenario.events);
    const ids = (r: ReturnType<typeof run>) => r.raised.map((a) => a.alertId);
    expect(ids(run(events))).toEqual(ids(run(events)));
  });
});
