/**
 * The scenario generator's legal episodes: procedure breaches, a late case, overdue 两法衔接
 * transfers, planted with known counts among a county year (with daily clock ticks and the
 * calendar versions in the stream). Folded through the legal rules, every planted alert comes
 * out — by kind and by rule — and nothing else, and a second fold gives the same ids.
 */
import { describe, expect, it } from 'vitest';
import {
  LEGAL_ALERT_KINDS,
  evolveLaw,
  initialLawState,
  parseHubEvent,
  restoreLawState,
  serializeLawState,
  type HubEvent,
  type LegalAlert,
} from '@hub/domain';
import { NODE_PORTS } from '@hub/platform';
import { generateScenario } from '@hub/testing';

function fold(events: HubEvent[]) {
  const state = initialLawState();
  const alerts: LegalAlert[] = [];
  let withdrawn = 0;
  for (const e of events) {
    const r = evolveLaw(state, e);
    alerts.push(...r.alerts);
    withdrawn += r.withdrawn.length;
  }
  return { alerts, withdrawn };
}

const count = <T extends string>(xs: readonly T[]) =>
  xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

describe('legal episodes in the generated scenario', () => {
  const scenario = generateScenario({ seed: 20261201, businesses: 600 });
  const events = scenario.events.map((json) => {
    const r = parseHubEvent(json);
    if (!r.ok) throw new Error(`invalid scenario event ${JSON.stringify(json)}: ${JSON.stringify(r.issues)}`);
    return r.value;
  });

  it('plants procedure breaches, a limitation case and overdue transfers, with ticks and the calendar in the stream', () => {
    expect(events.filter((e) => e.type === 'clockTicked').length).toBeGreaterThan(365);
    expect(events.filter((e) => e.type === 'calendarVersionPublished')).toHaveLength(2);
    for (const k of LEGAL_ALERT_KINDS) expect(scenario.planted[k], k).toBeGreaterThan(0);
    expect(Object.keys(scenario.plantedRules).sort()).toEqual([
      'COLLECTIVE_DISCUSSION_MISSING',
      'HANDOVER_OVERDUE',
      'LEGAL_REVIEW_MISSING',
      'LIMITATION_EXPIRED',
      'NOTICE_MISSING',
      'POLICE_DECISION_OVERDUE',
      'PUBLICATION_LATE',
      'TRANSFER_DECISION_OVERDUE',
    ]);
  });

  it('every planted legal alert is found, by kind and by rule, and nothing else', () => {
    const { alerts, withdrawn } = fold(events);
    expect(count(alerts.map((a) => a.details.rule))).toEqual(scenario.plantedRules);
    const planted = Object.fromEntries(LEGAL_ALERT_KINDS.map((k) => [k, scenario.planted[k]]));
    expect({
      ...Object.fromEntries(LEGAL_ALERT_KINDS.map((k) => [k, 0])),
      ...count(alerts.map((a) => a.kind)),
    }).toEqual(planted);
    expect(withdrawn).toBe(0);
    expect(alerts.filter((a) => a.details.retrospective)).toEqual([]);
  });

  it('a second fold gives the same alert ids', () => {
    expect(fold(events).alerts.map((a) => a.alertId)).toEqual(fold(events).alerts.map((a) => a.alertId));
  });

  it('a snapshot of the state taken anywhere, read back and folded on, gives what one unbroken fold gives (node:crypto ids too)', () => {
    const whole = fold(events);
    for (const cut of [Math.floor(events.length / 3), Math.floor((2 * events.length) / 3)]) {
      const first = initialLawState();
      const results = [];
      for (const e of events.slice(0, cut)) results.push(evolveLaw(first, e));
      let state = restoreLawState(JSON.parse(JSON.stringify(serializeLawState(first))));
      expect(state).toEqual(first);
      state = restoreLawState(JSON.parse(JSON.stringify(serializeLawState(state))));
      for (const e of events.slice(cut)) results.push(evolveLaw(state, e, undefined, NODE_PORTS));
      expect(results.flatMap((r) => r.alerts)).toEqual(whole.alerts);
      expect(results.reduce((n, r) => n + r.withdrawn.length, 0)).toBe(whole.withdrawn);
    }
  });
});
