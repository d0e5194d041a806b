import { describe, expect, it } from 'vitest';
import { given, ofKind, when } from '@hub/testing';
import { alertIdOf } from './alerts.js';
import { parseCoordinationSettings } from './settings.js';

const DAY = 86_400_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const T0 = '2026-03-02T02:00:00.000Z';

describe('duplicate routine inspections (issue 5 §2)', () => {
  it('given GSJ inspected a business, when SYJ inspects it 10 days later, then one alert names both inspections, agencies and matters', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), reason: 'ANNUAL_PLAN' });
    const { alerts } = when([a, b]);
    expect(alerts).toHaveLength(1);
    const [alert] = ofKind(alerts, 'duplicate_inspection');
    expect(alert!.agencies).toEqual(['GSJ', 'SYJ']);
    expect(alert!.causedBy).toEqual([a.eventId, b.eventId].sort());
    expect(alert!.alertId).toBe(
      alertIdOf('duplicate_inspection', [`B:${a.business.uscc}`, 'I:SYJ/S-1', 'I:GSJ/G-1']),
    );
    expect(alert!.raisedByEventId).toBe(b.eventId);
    expect(alert!.details.inspections.map((i) => [i.agency, i.inspectionId, i.matterCodes])).toEqual([
      ['GSJ', 'G-1', ['D6-GSJ-001']],
      ['SYJ', 'S-1', ['D1-SYJ-001']],
    ]);
    expect(alert!.details).toMatchObject({ windowDays: 30, sameAgency: false });
    expect(alert!.summary.zh).toContain('重复检查');
  });

  it('given an inspection, when another agency inspects exactly 30 days later, then it is a duplicate', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.completed({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 30 * DAY) }),
    ]);
    expect(ofKind(alerts, 'duplicate_inspection')).toHaveLength(1);
  });

  it('given an inspection, when another agency inspects 30 days and 1 ms later, then it is not', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.completed({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 30 * DAY + 1) }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given events arrive out of order, when the earlier visit is recorded last, then the pair is still found', () => {
    const g = given();
    const later = g.completed({ agency: 'GSJ', id: 'G-1', at: plus(T0, 20 * DAY) });
    const earlier = g.completed({ agency: 'CGJ', id: 'C-1', at: T0 });
    const { alerts } = when([later, earlier]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.kind === 'duplicate_inspection' && alerts[0]!.details.inspections[0].agency).toBe(
      'CGJ',
    );
  });

  it('given one agency inspected, when the same agency inspects the same business again within the window, then it is a duplicate', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'XFDD', id: 'X-1', at: T0 }),
      g.completed({ agency: 'XFDD', id: 'X-2', at: plus(T0, 5 * DAY), reason: 'SPECIAL_CAMPAIGN' }),
    ]);
    const [alert] = ofKind(alerts, 'duplicate_inspection');
    expect(alert!.agencies).toEqual(['XFDD']);
    expect(alert!.details.sameAgency).toBe(true);
  });

  it.each(['COMPLAINT', 'FOLLOW_UP', 'REFERRAL'] as const)(
    'given a routine inspection, when a %s inspection follows within the window, then it is exempt but shows in recent activity',
    async (reason) => {
      const { recentActivity } = await import('./check.js');
      const { DEFAULT_COORDINATION_SETTINGS } = await import('./settings.js');
      const g = given();
      const first = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
      const { alerts, state } = when([
        first,
        g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, DAY), reason }),
      ]);
      expect(alerts).toEqual([]);
      const activity = recentActivity(state, first.business.uscc, DEFAULT_COORDINATION_SETTINGS);
      expect(activity.map((a) => [a.inspection.inspectionId, a.exempt])).toEqual([
        ['S-1', true],
        ['G-1', false],
      ]);
    },
  );

  it('given referrals are configured as routine, when a referral visit follows a routine one, then it is a duplicate', () => {
    const g = given();
    const settings = parseCoordinationSettings({ referralIsRoutine: true });
    const { alerts } = when(
      [
        g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
        g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, DAY), reason: 'REFERRAL' }),
      ],
      settings,
    );
    expect(alerts).toHaveLength(1);
  });

  it('given a joint inspection, when its members complete with the same joint inspection id, then they are not duplicates of each other', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0, joint: 'JI-1' }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: T0, joint: 'JI-1' }),
      g.completed({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 60_000), joint: 'JI-1' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a joint inspection, when a non-member inspected shortly before it, then each member pairs with the earlier visit', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'CGJ', id: 'C-1', at: T0 }),
      g.completed({ agency: 'GSJ', id: 'G-1', at: plus(T0, 5 * DAY), joint: 'JI-1' }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 5 * DAY), joint: 'JI-1' }),
    ]);
    expect(ofKind(alerts, 'duplicate_inspection').map((a) => a.agencies)).toEqual([
      ['CGJ', 'GSJ'],
      ['CGJ', 'SYJ'],
    ]);
  });

  it('given only plans, when no visit has been completed, then no duplicate is raised', () => {
    const g = given();
    const { alerts } = when([
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, DAY), plannedAt: T0, reason: 'COMPLAINT' }),
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY), plannedAt: T0, reason: 'COMPLAINT' }),
    ]);
    expect(ofKind(alerts, 'duplicate_inspection')).toEqual([]);
  });

  it('given a cancelled inspection, when another agency inspects within the window, then the cancelled one does not count', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.cancelled({ agency: 'GSJ', id: 'G-1', at: plus(T0, DAY) }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a duplicate was raised, when one of the inspections is cancelled, then the alert is withdrawn', () => {
    const g = given();
    const { alerts, withdrawn } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) }),
      g.cancelled({ agency: 'SYJ', id: 'S-1', at: plus(T0, 3 * DAY) }),
    ]);
    expect(withdrawn).toMatchObject([{ alertId: alerts[0]!.alertId, reason: 'cancelled' }]);
  });

  it('given a cancelled inspection, when the cancellation is retracted, then the inspection counts again', () => {
    const g = given();
    const cancel = g.cancelled({ agency: 'GSJ', id: 'G-1', at: plus(T0, DAY) });
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      cancel,
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) }),
      g.retracted(cancel, plus(T0, 3 * DAY)),
    ]);
    expect(ofKind(alerts, 'duplicate_inspection')).toHaveLength(1);
    expect(alerts[0]!.raisedByEventId).not.toBe(cancel.eventId);
  });

  it('given a retracted inspection, when another agency inspects within the window, then there is no alert', () => {
    const g = given();
    const wrong = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const { alerts } = when([
      wrong,
      g.retracted(wrong, plus(T0, DAY)),
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a duplicate was raised, when one of its events is retracted, then the alert is withdrawn once', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const r = g.retracted(a, plus(T0, 3 * DAY));
    const { alerts, withdrawn } = when([a, b, r, g.retracted(a, plus(T0, 4 * DAY))]);
    expect(alerts).toHaveLength(1);
    expect(withdrawn).toEqual([
      {
        alertId: alerts[0]!.alertId,
        kind: 'duplicate_inspection',
        uscc: a.business.uscc,
        agencies: ['GSJ', 'SYJ'],
        reason: 'retracted',
        byEventId: r.eventId,
      },
    ]);
  });

  it('given a duplicate was raised, when a correction moves one visit out of the window, then the alert is withdrawn', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const c = g.corrected(b, plus(T0, 50 * DAY), {}, plus(T0, 45 * DAY));
    const { alerts, withdrawn } = when([a, b, c]);
    expect(alerts).toHaveLength(1);
    expect(withdrawn).toMatchObject([
      { alertId: alerts[0]!.alertId, reason: 'corrected', byEventId: c.eventId },
    ]);
  });

  it('given a duplicate was raised, when a correction changes the reason to a complaint, then the alert is withdrawn', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const { withdrawn } = when([
      a,
      b,
      g.corrected(b, plus(T0, 3 * DAY), { reason: 'INSPECTION_REASON_COMPLAINT' }),
    ]);
    expect(withdrawn).toHaveLength(1);
  });

  it('given two visits far apart, when a correction moves one into the window, then the corrected one counts as corrected', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 60 * DAY) });
    const c = g.corrected(b, plus(T0, 61 * DAY), {}, plus(T0, 6 * DAY));
    const { alerts, withdrawn } = when([a, b, c]);
    expect(withdrawn).toEqual([]);
    expect(alerts).toHaveLength(1);
    const alert = ofKind(alerts, 'duplicate_inspection')[0]!;
    // The pair is named by the original event ids: a correction does not create a new identity.
    expect(alert.causedBy).toEqual([a.eventId, b.eventId].sort());
    expect(alert.details.inspections[1].at).toBe(plus(T0, 6 * DAY));
    expect(alert.raisedByEventId).toBe(c.eventId);
  });

  it('given a duplicate was raised, when a correction keeps the visit inside the window, then nothing changes', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const { alerts, withdrawn } = when([
      a,
      b,
      g.corrected(b, plus(T0, 3 * DAY), { matterCodes: ['D1-SYJ-002'] }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(withdrawn).toEqual([]);
  });

  it('given a 14-day window for domain 1, when two food inspections are 20 days apart, then they are not duplicates', () => {
    const g = given();
    const settings = parseCoordinationSettings({ duplicateWindowDaysByDomain: { 1: 14 } });
    const food = [
      g.completed({ agency: 'SYJ', id: 'S-1', at: T0 }),
      g.completed({ agency: 'JMZX', id: 'J-1', at: plus(T0, 20 * DAY), matters: ['D1-JMZX-001'] }),
    ];
    expect(when(food, settings).alerts).toEqual([]);
    // A pair takes the longest window among its matters' domains: a market (D6) matter widens it back to 30.
    const mixed = [
      g.completed({ agency: 'SYJ', id: 'S-2', at: T0, uscc: '91350100M000100Y43' }),
      g.completed({ agency: 'GSJ', id: 'G-2', at: plus(T0, 20 * DAY), uscc: '91350100M000100Y43' }),
    ];
    expect(when(mixed, settings).alerts).toHaveLength(1);
  });

  it('given a third visit inside the window of two others, then each pair is one alert', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, DAY) }),
      g.completed({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 2 * DAY) }),
    ]);
    expect(alerts.map((a) => a.agencies.join('+'))).toEqual(['GSJ+SYJ', 'GSJ+ZJJ', 'SYJ+ZJJ']);
  });

  it('given a duplicate was raised, when a department resends a revised record of the same inspection, then no second alert', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const revised = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 3 * DAY), matters: ['D1-SYJ-003'] });
    const { alerts, withdrawn } = when([a, b, revised]);
    expect(alerts).toHaveLength(1);
    expect(withdrawn).toEqual([]);
  });

  it('given a duplicate was raised, when a revised record moves the visit out of the window, then the alert is superseded', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 2 * DAY) });
    const revised = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, 40 * DAY) });
    const { alerts, withdrawn } = when([a, b, revised]);
    expect(withdrawn).toMatchObject([
      { alertId: alerts[0]!.alertId, reason: 'superseded', byEventId: revised.eventId },
    ]);
  });

  it('given a delivery repeats an event, when it is applied twice, then the alert is not raised again', () => {
    const g = given();
    const a = g.completed({ agency: 'GSJ', id: 'G-1', at: T0 });
    const b = g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, DAY) });
    expect(when([a, b, b, a]).alerts).toHaveLength(1);
  });
});
