import { describe, expect, it } from 'vitest';
import { givenLaw, rulesOf, whenLaw } from '@hub/testing';

const at = (day: string, time = '10:00') => `${day}T${time}:00+08:00`;

describe('两法衔接 clocks (国务院令第310号)', () => {
  it('given a report with no decision, when the tick passes 3 days, then TRANSFER_DECISION_OVERDUE to the agency and the procuratorate', () => {
    const g = givenLaw();
    const { alerts, clocks } = whenLaw([
      g.calendar(),
      g.reported('GSJ', 'C-1', 'YS-1', at('2026-03-10')), // Tue → due Fri 03-13
      g.tick(at('2026-03-13', '23:59')),
      g.tick(at('2026-03-14', '00:00')),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'transfer_deadline',
      agencies: ['GSJ', 'JCY'],
      details: {
        rule: 'TRANSFER_DECISION_OVERDUE',
        transferNo: 'YS-1',
        clock: { dueDay: '2026-03-13', status: 'overdue' },
      },
    });
    expect(alerts[0]!.details.article).toContain('第五条');
    expect(clocks.get('transfer_decision:transfer:' + alerts[0]!.uscc + '/C-1/YS-1')?.status).toBe('overdue');
  });

  it('boundary: 3 days ending on a holiday run to the next working day (report 2026-09-28 → 2026-10-08)', () => {
    const g = givenLaw();
    const base = [g.calendar(), g.reported('GSJ', 'C-2', 'YS-2', at('2026-09-28'))];
    expect(whenLaw([...base, g.tick(at('2026-10-08', '23:59'))]).alerts).toEqual([]);
    expect(rulesOf(whenLaw([...base, g.tick(at('2026-10-09', '00:00'))]).alerts)).toEqual([
      'TRANSFER_DECISION_OVERDUE',
    ]);
  });

  it('handover 24 hours after approval, to the hour', () => {
    const g = givenLaw();
    const base = [
      g.calendar(),
      g.reported('GSJ', 'C-3', 'YS-3', at('2026-03-10')),
      g.approved('GSJ', 'C-3', 'YS-3', at('2026-03-11', '09:00')),
    ];
    expect(whenLaw([...base, g.handedOver('GSJ', 'C-3', 'YS-3', at('2026-03-12', '08:59'))]).alerts).toEqual(
      [],
    );
    const late = whenLaw([...base, g.handedOver('GSJ', 'C-3', 'YS-3', at('2026-03-12', '09:00'))]);
    expect(rulesOf(late.alerts)).toEqual(['HANDOVER_OVERDUE']);
  });

  it('police decide within 3 days of receipt; overdue goes to police and the procuratorate; filing later keeps one alert', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.calendar(),
      g.reported('GSJ', 'C-4', 'YS-4', at('2026-03-10')),
      g.approved('GSJ', 'C-4', 'YS-4', at('2026-03-10', '15:00')),
      g.handedOver('GSJ', 'C-4', 'YS-4', at('2026-03-11')), // Wed → due Sat 03-14 → Mon 03-16
      g.tick(at('2026-03-17', '00:00')),
      g.filed('C-4', 'YS-4', at('2026-03-18')),
    ]);
    expect(alerts.map((a) => [a.details.rule, a.agencies])).toEqual([
      ['POLICE_DECISION_OVERDUE', ['GAJ', 'JCY']],
    ]);
    expect(alerts[0]!.details.clock?.dueDay).toBe('2026-03-16');
  });

  it('bad order is accepted and flagged: a police decision before any handover, a handover after a refusal', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.filed('C-5', 'YS-5', at('2026-03-10')),
      g.reported('GSJ', 'C-6', 'YS-6', at('2026-03-10')),
      g.refused('GSJ', 'C-6', 'YS-6', at('2026-03-11')),
      g.handedOver('GSJ', 'C-6', 'YS-6', at('2026-03-11', '12:00')),
    ]);
    expect(alerts.map((a) => [a.kind, a.details.rule, a.agencies[0]])).toEqual([
      ['procedure', 'POLICE_DECISION_BEFORE_TRANSFER', 'GAJ'],
      ['procedure', 'TRANSFER_AFTER_REFUSAL', 'GSJ'],
    ]);
  });

  it('a tick earlier than the last one changes nothing', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.reported('GSJ', 'C-7', 'YS-7', at('2026-03-10')),
      g.tick(at('2026-03-11')),
      g.tick(at('2026-03-01')),
    ]);
    expect(alerts).toEqual([]);
  });
});
