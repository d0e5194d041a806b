import { describe, expect, it } from 'vitest';
import { CURRENT_CATALOGUE } from '../catalogue/index.js';
import { withUsccCheck } from '../uscc.js';
import type { HubEvent } from '../events.js';
import { evolveCoordination } from './evolve.js';
import { given, when } from '@hub/testing';
import { DEFAULT_COORDINATION_SETTINGS as S, parseCoordinationSettings } from './settings.js';
import { initialCoordinationState, restoreCoordinationState, serializeCoordinationState } from './state.js';

const DAY = 86_400_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const T0 = '2026-01-05T02:00:00.000Z';

/** A mixed history touching every rule. */
function history(): HubEvent[] {
  const g = given();
  const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
  return [
    a,
    g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 3 * DAY) }),
    g.planned({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 10 * DAY), plannedAt: plus(T0, 4 * DAY) }),
    g.completed({ agency: 'CGJ', id: 'C-J', at: plus(T0, 60 * DAY), joint: 'JI-1' }),
    g.completed({ agency: 'GHJ', id: 'H-J', at: plus(T0, 60 * DAY), joint: 'JI-1' }),
    g.completed({ agency: 'XFDD', id: 'X-1', at: plus(T0, 70 * DAY) }),
    g.decided({ agency: 'GSJ', caseId: 'GC', at: plus(T0, 80 * DAY), code: 'V', articles: ['x'] }),
    g.decided({ agency: 'ZJJ', caseId: 'ZC', at: plus(T0, 81 * DAY), code: 'V', articles: ['x'] }),
    g.retracted(a, plus(T0, 82 * DAY)),
  ];
}

describe('determinism and replay (DESIGN §3.6)', () => {
  it('given the same events, when replayed from a fresh state, then the same alerts with the same ids come out', () => {
    const first = when(history());
    const second = when(history());
    expect(first.alerts.map((a) => a.kind)).toEqual([
      'duplicate_inspection',
      'plan_overlap',
      'quiet_period',
      'repeat_penalty',
    ]);
    expect(second.alerts).toEqual(first.alerts);
    expect(second.withdrawn).toEqual(first.withdrawn);
    expect(first.withdrawn.map((w) => w.kind)).toEqual(['duplicate_inspection']);
  });

  it('given a snapshot taken halfway, when restored from JSON and continued, then the result equals an uninterrupted run', () => {
    const events = history();
    const whole = when(events);
    const half = when(events.slice(0, 5));
    const restored = restoreCoordinationState(
      JSON.parse(JSON.stringify(serializeCoordinationState(half.state))),
    );
    const rest = when(events.slice(5), S, restored);
    expect([...half.alerts, ...rest.alerts]).toEqual(whole.alerts);
    expect(serializeCoordinationState(rest.state)).toEqual(serializeCoordinationState(whole.state));
  });

  it('given a year of visits to many businesses, then the state stays bounded by the retention windows', () => {
    const g = given();
    const settings = parseCoordinationSettings({ sweepEvery: 100 });
    const state = initialCoordinationState();
    for (let day = 0; day < 365; day++) {
      for (let k = 0; k < 5; k++) {
        const uscc = withUsccCheck(`91350100M${String(day * 5 + k).padStart(8, '0')}`);
        const e = g.completed({ agency: 'GSJ', id: `G-${day}-${k}`, at: plus(T0, day * DAY), uscc });
        evolveCoordination(state, e, settings);
      }
    }
    // Retention with defaults: max(30, 90, 92) + 30 = 122 days of inspections.
    expect(state.businesses.size).toBeLessThanOrEqual(123 * 5 + 100);
    expect(state.events.size).toBeLessThanOrEqual(123 * 5 + 100);
  });

  it('given a catalogue version event, then only a known version with its exact sha256 changes the catalogue in force', () => {
    const g = given();
    const { state } = when([g.catalogue('2026.1', '0'.repeat(64), T0)]);
    expect(state.catalogueVersion).toBe(CURRENT_CATALOGUE.version);
    const ok = when([g.catalogue('2026.1', CURRENT_CATALOGUE.sha256, T0)]);
    expect(ok.state.catalogueVersion).toBe('2026.1');
  });
});
