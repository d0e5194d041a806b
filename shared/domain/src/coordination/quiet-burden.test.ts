import { describe, expect, it } from 'vitest';
import { periodOf } from './burden.js';
import { inspectionBurden } from './check.js';
import { given, ofKind, when } from '@hub/testing';
import { DEFAULT_COORDINATION_SETTINGS as S, parseCoordinationSettings } from './settings.js';

const DAY = 86_400_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const J = '2026-05-04T02:00:00.000Z';

const joint = (g: ReturnType<typeof given>) => [
  g.completed({ agency: 'SYJ', id: 'S-J', at: J, joint: 'JI-1' }),
  g.completed({ agency: 'ZJJ', id: 'Z-J', at: J, joint: 'JI-1' }),
];

describe('quiet period after a joint inspection', () => {
  it('given a joint inspection, when another agency makes a routine visit 40 days later without a reason, then a quiet-period alert names the joint inspection', () => {
    const g = given();
    const visit = g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 40 * DAY) });
    const { alerts } = when([...joint(g), visit]);
    const [alert] = ofKind(alerts, 'quiet_period');
    expect(alerts).toHaveLength(1);
    expect(alert!.agencies).toEqual(['GSJ', 'SYJ', 'ZJJ']);
    expect(alert!.details).toMatchObject({
      jointInspectionId: 'JI-1',
      jointAgencies: ['SYJ', 'ZJJ'],
      jointAt: J,
      quietUntil: plus(J, 90 * DAY),
      quietPeriodDays: 90,
    });
  });

  it('given a joint inspection, when the visit records a quietPeriodReason, then there is no alert', () => {
    const g = given();
    const { alerts } = when([
      ...joint(g),
      g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 10 * DAY), quietReason: '上级部署专项检查' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a joint inspection, when a visit comes inside the duplicate window, then it is a quiet-period alert instead of duplicates', () => {
    const g = given();
    const { alerts } = when([...joint(g), g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 3 * DAY) })]);
    expect(alerts.map((a) => a.kind)).toEqual(['quiet_period']);
  });

  it('given a joint inspection, when a visit comes on day 90 it is inside, and 90 days + 1 ms after it is outside', () => {
    const g = given();
    expect(
      when([...joint(g), g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 90 * DAY) })]).alerts,
    ).toHaveLength(1);
    expect(
      when([...joint(g), g.completed({ agency: 'GSJ', id: 'G-2', at: plus(J, 90 * DAY + 1) })]).alerts,
    ).toEqual([]);
  });

  it('given a joint inspection, when a complaint-driven visit follows, then it is exempt', () => {
    const g = given();
    const { alerts } = when([
      ...joint(g),
      g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 9 * DAY), reason: 'COMPLAINT' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given the joint inspection is recorded late, when the earlier-recorded visit falls in its quiet period, then the alert is raised on arrival', () => {
    const g = given();
    const visit = g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 50 * DAY) });
    const { alerts } = when([visit, ...joint(g)]);
    expect(ofKind(alerts, 'quiet_period')).toHaveLength(1);
  });

  it('given a quiet-period alert, when the joint inspection records are retracted, then it is withdrawn', () => {
    const g = given();
    const [a, b] = joint(g);
    const { alerts, withdrawn } = when([
      a!,
      b!,
      g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 50 * DAY) }),
      g.retracted(a!, plus(J, 51 * DAY)),
      g.retracted(b!, plus(J, 51 * DAY)),
    ]);
    expect(alerts).toHaveLength(1);
    expect(withdrawn).toMatchObject([{ alertId: alerts[0]!.alertId, kind: 'quiet_period' }]);
  });

  it('given a shorter quiet period is configured, then it applies', () => {
    const g = given();
    const settings = parseCoordinationSettings({ quietPeriodDays: 30 });
    expect(
      when([...joint(g), g.completed({ agency: 'GSJ', id: 'G-1', at: plus(J, 40 * DAY) })], settings).alerts,
    ).toEqual([]);
  });
});

describe('inspection burden per period', () => {
  const Q3 = '2026-07-01T02:00:00.000Z';
  const visits = (g: ReturnType<typeof given>, n: number, gapDays: number) =>
    ['SYJ', 'ZJJ', 'CGJ', 'XFDD', 'AJJ', 'JTJ']
      .slice(0, n)
      .map((agency, i) => g.completed({ agency, id: `${agency}-1`, at: plus(Q3, i * gapDays * DAY) }));

  it('given four routine visits in a quarter, then no alert; when a fifth comes, then one burden alert', () => {
    const g = given();
    const five = visits(g, 5, 18);
    expect(ofKind(when(five.slice(0, 4)).alerts, 'inspection_burden')).toEqual([]);
    const { alerts } = when(five);
    const burden = ofKind(alerts, 'inspection_burden');
    expect(burden).toHaveLength(1);
    expect(burden[0]!.details).toMatchObject({ period: '2026-Q3', visits: 5, max: 4 });
    expect(burden[0]!.agencies).toEqual(['AJJ', 'CGJ', 'SYJ', 'XFDD', 'ZJJ']);
    // Consecutive visits 18 days apart are duplicates too; 36 days apart are not.
    expect(ofKind(alerts, 'duplicate_inspection')).toHaveLength(4);
  });

  it('given six visits, then the burden alert for the period is raised once', () => {
    const g = given();
    expect(ofKind(when(visits(g, 6, 15)).alerts, 'inspection_burden')).toHaveLength(1);
  });

  it('given a joint inspection, then its members count as one visit (进一次门)', () => {
    const g = given();
    const events = [
      ...visits(g, 4, 20),
      g.completed({ agency: 'GSJ', id: 'G-J', at: plus(Q3, 85 * DAY), joint: 'JI-2', quietReason: 'x' }),
      g.completed({ agency: 'JMZX', id: 'M-J', at: plus(Q3, 85 * DAY), joint: 'JI-2' }),
    ];
    const { alerts, state } = when(events);
    expect(inspectionBurden(state, events[0]!.business.uscc, Q3, S)).toMatchObject({
      visits: 5,
      routineVisits: 5,
      period: '2026-Q3',
    });
    expect(ofKind(alerts, 'inspection_burden')).toHaveLength(1);
  });

  it('given exempt visits, then they show in the figure but not against the maximum', () => {
    const g = given();
    const events = [
      ...visits(g, 4, 20),
      g.completed({ agency: 'GSJ', id: 'G-C', at: plus(Q3, 81 * DAY), reason: 'COMPLAINT' }),
    ];
    const { alerts, state } = when(events);
    expect(ofKind(alerts, 'inspection_burden')).toEqual([]);
    expect(inspectionBurden(state, events[0]!.business.uscc, Q3, S)).toMatchObject({
      visits: 5,
      routineVisits: 4,
    });
  });

  it('counts periods in China time: 17:00 UTC on 31 March is already the second quarter', () => {
    expect(periodOf(Date.parse('2026-03-31T15:59:59.999Z'), 'quarter').key).toBe('2026-Q1');
    expect(periodOf(Date.parse('2026-03-31T16:00:00.000Z'), 'quarter').key).toBe('2026-Q2');
    expect(periodOf(Date.parse('2026-12-31T16:00:00.000Z'), 'year').key).toBe('2027');
    expect(periodOf(Date.parse('2026-02-10T00:00:00Z'), 'month')).toEqual({
      key: '2026-02',
      start: Date.parse('2026-01-31T16:00:00Z'),
      end: Date.parse('2026-02-28T16:00:00Z'),
    });
  });

  it('given the rule is turned off with 0, then no burden alert', () => {
    const g = given();
    const settings = parseCoordinationSettings({ burdenMaxRoutineVisits: 0 });
    expect(ofKind(when(visits(g, 6, 15), settings).alerts, 'inspection_burden')).toEqual([]);
  });
});
