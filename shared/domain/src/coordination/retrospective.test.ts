import { describe, expect, it } from 'vitest';
import { given, ofKind, when } from '@hub/testing';
import { alertIdOf, type AlertRaised } from './alerts.js';
import {
  inspectionHorizon,
  replayWithRetrospective,
  retrospectiveSubjectOf,
  RETROSPECTIVE_HISTORY_TYPES,
} from './retrospective.js';
import { DEFAULT_COORDINATION_SETTINGS as S } from './settings.js';
import { initialCoordinationState } from './state.js';
import { evolveCoordination } from './evolve.js';

const DAY = 86_400_000;
const retro = (a: AlertRaised): boolean | undefined =>
  (a.details as { retrospective?: boolean }).retrospective;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
/** The newest event anywhere in the hub: the watermark. */
const NOW = '2026-09-01T02:00:00.000Z';

describe('retrospective checks 追溯核查 (docs/coordination-rules.md §4)', () => {
  it('given the hub is at September, when last March’s two routine inspections by GSJ and SYJ are loaded now, then one duplicate alert is found, marked retrospective — the bounded state alone finds none', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: '2026-03-02T02:00:00.000Z' });
    const b = g.completed({
      agency: 'SYJ',
      id: 'S-1',
      at: '2026-03-12T02:00:00.000Z',
      reason: 'ANNUAL_PLAN',
    });

    expect(when([recent, a, b]).alerts).toEqual([]); // the hole this closes

    const { alerts } = replayWithRetrospective([recent, a, b], S);
    expect(alerts).toHaveLength(1);
    const [alert] = ofKind(alerts, 'duplicate_inspection');
    expect(alert!.alertId).toBe(
      alertIdOf('duplicate_inspection', [`B:${a.business.uscc}`, 'I:GSJ/G-1', 'I:SYJ/S-1']),
    );
    expect(alert!.details.retrospective).toBe(true);
    expect(alert!.raisedByEventId).toBe(b.eventId);
    expect(alert!.agencies).toEqual(['GSJ', 'SYJ']);
    expect(alert!.summary.zh).toMatch(/^【追溯】/);
    expect(alert!.summary.en).toMatch(/^\[retrospective\]/);
  });

  it('given the watermark, when an inspection dated exactly 92 days before it arrives, then the state checks it live; 92 days + 1 ms before, retrospectively', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const state = initialCoordinationState();
    evolveCoordination(state, recent, S);
    expect(inspectionHorizon(state, S)).toBe(Date.parse(NOW) - 92 * DAY);
    const atEdge = g.completed({ agency: 'GSJ', id: 'G-1', at: plus(NOW, -92 * DAY) });
    const past = g.completed({ agency: 'GSJ', id: 'G-2', at: plus(NOW, -92 * DAY - 1) });
    expect(retrospectiveSubjectOf(state, atEdge, S)).toBeUndefined();
    expect(retrospectiveSubjectOf(state, past, S)).toMatchObject({ kind: 'duplicate_inspection' });
  });

  it('given a neighbour 30 days earlier, when an inspection at the edge arrives, then the live alert is not retrospective; 1 ms past the edge, the same pair is retrospective', () => {
    const edge = (offset: number) => {
      const g = given();
      const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
      const t = plus(NOW, -92 * DAY - offset);
      const neighbour = g.completed({ agency: 'CGJ', id: 'C-1', at: plus(t, -30 * DAY) });
      const late = g.completed({ agency: 'GSJ', id: 'G-1', at: t });
      return ofKind(replayWithRetrospective([recent, neighbour, late], S).alerts, 'duplicate_inspection');
    };
    const [live] = edge(0);
    const [retro] = edge(1);
    expect(live!.details.retrospective).toBeUndefined();
    expect(retro!.details.retrospective).toBe(true);
    expect(retro!.alertId).toBe(live!.alertId); // same pair, same id
  });

  it('given an old neighbour the state still holds, when a still older inspection arrives, then exactly one alert, retrospective (the state’s partial finding is replaced, not doubled)', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const kept = g.completed({ agency: 'CGJ', id: 'C-1', at: plus(NOW, -100 * DAY) });
    const late = g.completed({ agency: 'GSJ', id: 'G-1', at: plus(NOW, -110 * DAY) });
    expect(when([recent, kept, late]).alerts.map((a) => a.details)).toEqual([
      expect.not.objectContaining({ retrospective: true }),
    ]);
    const { alerts } = replayWithRetrospective([recent, kept, late], S);
    expect(alerts.map((a) => [a.kind, retro(a)])).toEqual([['duplicate_inspection', true]]);
  });

  it('given an old inspection that was retracted, and one that was cancelled, when a neighbour of both is loaded, then neither counts', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const retracted = g.completed({ agency: 'GSJ', id: 'G-1', at: '2026-03-02T02:00:00.000Z' });
    const cancelled = g.completed({ agency: 'CGJ', id: 'C-1', at: '2026-03-05T02:00:00.000Z' });
    const { alerts } = replayWithRetrospective(
      [
        recent,
        retracted,
        g.retracted(retracted, NOW),
        g.cancelled({ agency: 'CGJ', id: 'C-1', at: NOW }),
        cancelled, // a cancelled inspection's completion record, loaded after its cancellation
        g.completed({ agency: 'SYJ', id: 'S-1', at: '2026-03-12T02:00:00.000Z' }),
      ],
      S,
    );
    expect(alerts).toEqual([]);
  });

  it('given an old routine inspection, when an old complaint-driven visit is loaded beside it, then no alert (exempt) and no retrospective check is asked for', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const state = initialCoordinationState();
    evolveCoordination(state, recent, S);
    const complaint = g.completed({
      agency: 'SYJ',
      id: 'S-1',
      at: '2026-03-12T02:00:00.000Z',
      reason: 'COMPLAINT',
    });
    expect(retrospectiveSubjectOf(state, complaint, S)).toBeUndefined();
    const old = g.completed({ agency: 'GSJ', id: 'G-1', at: '2026-03-02T02:00:00.000Z' });
    expect(replayWithRetrospective([recent, old, complaint], S).alerts).toEqual([]);
  });

  it('given a decision 6 years old is loaded beside another old decision for the same violation, then a retrospective repeat-penalty alert', () => {
    const g = given();
    const recent = g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' });
    const common = { code: 'V-FOOD-01', articles: ['《食品安全法》第一百二十二条'] };
    const first = g.decided({ agency: 'SYJ', caseId: 'C-1', at: '2020-03-02T02:00:00.000Z', ...common });
    const second = g.decided({ agency: 'GSJ', caseId: 'C-2', at: '2020-05-02T02:00:00.000Z', ...common });
    expect(when([recent, first, second]).alerts).toEqual([]);
    const { alerts } = replayWithRetrospective([recent, first, second], S);
    expect(alerts.map((a) => [a.kind, retro(a), a.agencies])).toEqual([
      ['repeat_penalty', true, ['GSJ', 'SYJ']],
    ]);
  });

  it('given the same events, when folded twice, then the same retrospective alerts with the same ids (replay and rebuild reproduce them)', () => {
    const g = given();
    const events = [
      g.completed({ agency: 'JTJ', id: 'J-1', at: NOW, uscc: '91350100M000100Y43' }),
      g.completed({ agency: 'GSJ', id: 'G-1', at: '2026-03-02T02:00:00.000Z' }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: '2026-03-12T02:00:00.000Z' }),
      g.completed({ agency: 'CGJ', id: 'C-1', at: '2026-03-20T02:00:00.000Z' }),
    ];
    const one = replayWithRetrospective(events, S).alerts;
    expect(one).toHaveLength(3); // G–S, G–C, S–C
    expect(replayWithRetrospective(events, S).alerts).toEqual(one);
  });

  it('the history a check reads is the inspection and penalty events and what corrects them', () => {
    expect([...RETROSPECTIVE_HISTORY_TYPES].sort()).toEqual(
      [
        'decisionReviewConcluded',
        'decisionRevoked',
        'eventCorrected',
        'eventRetracted',
        'inspectionCancelled',
        'inspectionCompleted',
        'inspectionPlanned',
        'penaltyCaseOpened',
        'penaltyDecided',
      ].sort(),
    );
  });
});
