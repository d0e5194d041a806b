/**
 * The scenario generator's late loads (`lateLoads`): last spring's inspections of some
 * businesses reach the hub only after the year is over. The projector's fold with retrospective
 * checks finds exactly the planted duplicates among them — each marked retrospective — and
 * nothing for the near misses; the bounded state alone misses every one of them.
 */
import { describe, expect, it } from 'vitest';
import {
  ALERT_KINDS,
  LEGAL_ALERT_KINDS,
  parseCoordinationSettings,
  parseHubEvent,
  replayCoordination,
  replayWithRetrospective,
  type AlertRaised,
} from '@hub/domain';
import { generateScenario } from '@hub/testing';

const settings = parseCoordinationSettings({});
const LATE = 30;
const coordination = ALERT_KINDS.filter((k) => !(LEGAL_ALERT_KINDS as readonly string[]).includes(k));
const countsOf = (alerts: AlertRaised[]) =>
  Object.fromEntries(coordination.map((k) => [k, alerts.filter((a) => a.kind === k).length]));
const isRetro = (a: AlertRaised) => (a.details as { retrospective?: boolean }).retrospective === true;

describe('late-loaded records in a generated county year (retrospective checks)', () => {
  const scenario = generateScenario({ seed: 20260105, businesses: 400, lateLoads: LATE });
  const events = scenario.events.map((json) => {
    const r = parseHubEvent(json);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  });
  const planted = Object.fromEntries(coordination.map((k) => [k, scenario.planted[k]]));

  it('plants a duplicate in one late-loaded business of three, near misses in the others', () => {
    expect(scenario.plantedRetrospective).toBe(LATE / 3);
    expect(scenario.episodes['late load duplicate']).toBe(LATE / 3);
    expect(scenario.episodes['late load near miss: 31 days']).toBe(LATE / 3);
    expect(scenario.episodes['late load near miss: complaint']).toBe(LATE / 3);
  });

  it('given the year and the late loads, when folded with retrospective checks, then exactly the planted alerts, the late duplicates marked retrospective', () => {
    const { alerts } = replayWithRetrospective(events, settings);
    expect(countsOf(alerts)).toEqual(planted);
    const retro = alerts.filter(isRetro);
    expect(retro).toHaveLength(scenario.plantedRetrospective);
    expect(retro.every((a) => a.kind === 'duplicate_inspection')).toBe(true);
    // Every retrospective alert is about a late-loaded business, and only those.
    const lateUsccs = new Set(
      scenario.events
        .filter((e) => JSON.stringify(e).includes('-BL-'))
        .map((e) => (e.business as { uscc: string }).uscc),
    );
    expect(retro.every((a) => lateUsccs.has(a.uscc))).toBe(true);
    expect(alerts.filter((a) => lateUsccs.has(a.uscc) && !isRetro(a))).toEqual([]);
  });

  it('given the same events, when folded by the bounded state alone, then the late duplicates are missed (the hole closed)', () => {
    const { alerts } = replayCoordination(events, settings);
    expect(countsOf(alerts)).toEqual({
      ...planted,
      duplicate_inspection: planted.duplicate_inspection! - scenario.plantedRetrospective,
    });
  });

  it('is deterministic: a second fold gives the same alert ids', () => {
    const ids = () => replayWithRetrospective(events, settings).alerts.map((a) => a.alertId);
    expect(ids()).toEqual(ids());
  });
});
