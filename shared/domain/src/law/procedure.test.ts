import { describe, expect, it } from 'vitest';
import { givenLaw, rulesOf, whenLaw } from '@hub/testing';
import { legalAlertIdOf } from './evolve.js';

/** 10:00 China time on a day. */
const at = (day: string, time = '10:00') => `${day}T${time}:00+08:00`;

describe('penalty procedure order (《行政处罚法》)', () => {
  it('given a case decided without a notice, then a procedure alert names the missing step and art. 44/62', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.calendar(),
      g.opened('GSJ', 'C-1', at('2026-03-02')),
      g.decided('GSJ', 'C-1', at('2026-03-20')),
    ]);
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a).toMatchObject({
      kind: 'procedure',
      agencies: ['GSJ'],
      details: {
        rule: 'NOTICE_MISSING',
        missingStep: 'penaltyNoticeServed',
        caseId: 'C-1',
        retrospective: false,
      },
    });
    expect(a!.details.article).toContain('第四十四条');
    expect(a!.summary.zh).toContain('未告知');
    expect(a!.alertId).toBe(legalAlertIdOf('procedure', a!.uscc, 'case:GSJ/C-1', 'NOTICE_MISSING'));
  });

  it('given the full procedure of a major case in time, then nothing is raised, even after the clocks are due', () => {
    const g = givenLaw();
    const { alerts, clocks } = whenLaw([
      g.calendar(),
      g.opened('GSJ', 'C-2', at('2026-03-02')),
      g.notice('GSJ', 'C-2', at('2026-03-05')),
      g.hearingRequested('GSJ', 'C-2', at('2026-03-06')),
      g.hearing('GSJ', 'C-2', at('2026-03-12')),
      g.review('GSJ', 'C-2', at('2026-03-16')),
      g.discussion('GSJ', 'C-2', at('2026-03-17')),
      g.decided('GSJ', 'C-2', at('2026-03-18'), { major: true, amountFen: '20000000' }),
      g.served('GSJ', 'C-2', at('2026-03-19')),
      g.published('GSJ', 'C-2', at('2026-03-25')),
      g.paid('CZJ', 'GSJ', 'C-2', at('2026-04-01'), '20000000'),
      g.tick(at('2026-06-01')),
    ]);
    expect(alerts).toEqual([]);
    expect([...clocks.values()].map((c) => [c.kind, c.status])).toEqual([
      ['service', 'met'],
      ['publication', 'met'],
    ]);
  });

  it('given a major decision without legal review or collective discussion, and a hearing requested but not held, then three alerts', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.opened('GSJ', 'C-3', at('2026-03-02')),
      g.notice('GSJ', 'C-3', at('2026-03-05')),
      g.hearingRequested('GSJ', 'C-3', at('2026-03-06')),
      g.review('GSJ', 'C-3', at('2026-03-07'), false),
      g.decided('GSJ', 'C-3', at('2026-03-18'), { major: true }),
    ]);
    expect(rulesOf(alerts)).toEqual([
      'COLLECTIVE_DISCUSSION_MISSING',
      'HEARING_NOT_HELD',
      'LEGAL_REVIEW_MISSING',
    ]);
  });

  it('given a hearing-class fine whose notice did not mention hearing rights, then art. 63', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.opened('GSJ', 'C-4', at('2026-03-02')),
      g.notice('GSJ', 'C-4', at('2026-03-05'), false),
      g.decided('GSJ', 'C-4', at('2026-03-18'), { amountFen: '5000000' }),
    ]);
    expect(rulesOf(alerts)).toEqual(['HEARING_RIGHTS_NOT_NOTIFIED']);
  });

  it('given a notice recorded after the decision but dated before it, then the alert is withdrawn', () => {
    const g = givenLaw();
    const decided = g.decided('GSJ', 'C-5', at('2026-03-18'));
    const { alerts, withdrawn } = whenLaw([
      g.opened('GSJ', 'C-5', at('2026-03-02')),
      decided,
      g.notice('GSJ', 'C-5', at('2026-03-05')),
    ]);
    expect(rulesOf(alerts)).toEqual(['NOTICE_MISSING']);
    expect(withdrawn.map((w) => [w.alertId, w.reason])).toEqual([[alerts[0]!.alertId, 'superseded']]);
  });

  it('given a decision not served, when the tick passes the 7th working day, then SERVICE_LATE; serving late keeps the same alert', () => {
    const g = givenLaw();
    // Thu 2026-02-05: the 7th working day is Sat 2026-02-14 (调休上班)
    const base = [
      g.calendar(),
      g.opened('GSJ', 'C-6', at('2026-01-20')),
      g.notice('GSJ', 'C-6', at('2026-01-25')),
      g.decided('GSJ', 'C-6', at('2026-02-05')),
      g.published('GSJ', 'C-6', at('2026-02-06')),
    ];
    expect(whenLaw([...base, g.tick(at('2026-02-14', '23:59'))]).alerts).toEqual([]);
    const late = whenLaw([
      ...base,
      g.tick(at('2026-02-15', '00:00')),
      g.served('GSJ', 'C-6', at('2026-02-24')),
    ]);
    expect(rulesOf(late.alerts)).toEqual(['SERVICE_LATE']);
    expect(late.alerts[0]!.details.clock).toMatchObject({ dueDay: '2026-02-14', calendarVersion: '2026.1' });
    expect(late.clocks.get('service:case:GSJ/C-6')?.status).toBe('late');
    // Served on the adjusted Saturday itself: in time.
    expect(
      whenLaw([...base, g.served('GSJ', 'C-6', at('2026-02-14', '17:00')), g.tick(at('2026-03-01'))]).alerts,
    ).toEqual([]);
  });

  it('given a decision published on the 8th working day with no tick in between, then PUBLICATION_LATE when the publication arrives', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.calendar(),
      g.opened('GSJ', 'C-7', at('2026-09-01')),
      g.notice('GSJ', 'C-7', at('2026-09-10')),
      g.decided('GSJ', 'C-7', at('2026-09-30')),
      g.served('GSJ', 'C-7', at('2026-09-30', '15:00')),
      g.published('GSJ', 'C-7', at('2026-10-16')), // due 2026-10-15 (国庆 and 10-10 调休)
    ]);
    expect(rulesOf(alerts)).toEqual(['PUBLICATION_LATE']);
    expect(alerts[0]!.details.clock?.dueDay).toBe('2026-10-15');
  });

  it('given a deadline reaching 2027 (not published), then the alert says Monday–Friday was assumed', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.calendar(),
      g.opened('GSJ', 'C-8', at('2026-12-01')),
      g.notice('GSJ', 'C-8', at('2026-12-10')),
      g.decided('GSJ', 'C-8', at('2026-12-28')),
      g.served('GSJ', 'C-8', at('2026-12-28', '15:00')),
      g.tick(at('2027-01-07', '00:00')),
    ]);
    expect(rulesOf(alerts)).toEqual(['PUBLICATION_LATE']);
    expect(alerts[0]!.details.clock).toMatchObject({ dueDay: '2027-01-06', fallbackYears: [2027] });
    expect(alerts[0]!.details.notes[0]!.zh).toContain('2027');
  });

  it('payments: by the deciding agency (缴罚分离) and more than decided are flagged; a decision for an unknown case too', () => {
    const g = givenLaw();
    const { alerts } = whenLaw([
      g.opened('GSJ', 'C-9', at('2026-03-02')),
      g.notice('GSJ', 'C-9', at('2026-03-05')),
      g.decided('GSJ', 'C-9', at('2026-03-18')),
      g.paid('GSJ', 'GSJ', 'C-9', at('2026-03-20'), '300000'),
      g.paid('CZJ', 'GSJ', 'C-9', at('2026-03-21'), '300000'),
      g.decided('SYJ', 'C-X', at('2026-03-18')),
    ]);
    expect(rulesOf(alerts)).toEqual([
      'NOTICE_MISSING',
      'PAYMENT_BY_DECIDING_AGENCY',
      'PAYMENT_EXCEEDS_FINE',
      'UNKNOWN_CASE',
    ]);
  });

  it('a retracted decision withdraws what it caused', () => {
    const g = givenLaw();
    const decided = g.decided('GSJ', 'C-10', at('2026-03-18'));
    const { alerts, withdrawn } = whenLaw([
      g.opened('GSJ', 'C-10', at('2026-03-02')),
      decided,
      g.retracted(decided, at('2026-03-19')),
    ]);
    expect(rulesOf(alerts)).toEqual(['NOTICE_MISSING']);
    expect(withdrawn.map((w) => w.reason)).toEqual(['retracted']);
  });

  it('an alert about the distant past is retrospective (not a live warning)', () => {
    const g = givenLaw();
    const decided = g.recordedAt(g.decided('GSJ', 'C-11', at('2025-03-18')), at('2026-06-01'));
    const { alerts } = whenLaw([g.opened('GSJ', 'C-11', at('2025-03-02')), decided]);
    expect(alerts.map((a) => a.details.retrospective)).toEqual([true]);
  });
});

describe('limitation (《行政处罚法》第三十六条)', () => {
  const g = givenLaw();
  const opened = (caseId: string, day: string, to: string, harm = false) =>
    g.opened('GSJ', caseId, at(day), {
      violationTo: at(to, '12:00'),
      ...(harm ? { harmsLifeHealthOrFinance: true } : {}),
    });

  it('opened on the second anniversary of the end of the violation: in time; the day after: an alert', () => {
    expect(whenLaw([opened('L-1', '2026-03-02', '2024-03-02')]).alerts).toEqual([]);
    const { alerts } = whenLaw([opened('L-2', '2026-03-03', '2024-03-02')]);
    expect(alerts.map((a) => [a.kind, a.details.rule])).toEqual([['limitation', 'LIMITATION_EXPIRED']]);
    expect(alerts[0]!.details.notes[0]!.zh).toContain('2026-03-02');
  });

  it('five years where life, health or financial safety was harmed', () => {
    expect(whenLaw([opened('L-3', '2026-03-03', '2024-03-02', true)]).alerts).toEqual([]);
    expect(whenLaw([opened('L-4', '2029-03-03', '2024-03-02', true)]).alerts).toHaveLength(1);
  });
});

describe('determinism', () => {
  it('the same events give the same alerts, ids and clocks', () => {
    const build = () => {
      const g = givenLaw();
      return [
        g.calendar(),
        g.opened('GSJ', 'D-1', at('2026-03-02')),
        g.decided('GSJ', 'D-1', at('2026-03-18'), { major: true }),
        g.tick(at('2026-04-30')),
      ];
    };
    const a = whenLaw(build());
    const b = whenLaw(build());
    expect(a.alerts).toEqual(b.alerts);
    expect([...a.clocks.values()]).toEqual([...b.clocks.values()]);
    expect(rulesOf(a.alerts)).toEqual([
      'COLLECTIVE_DISCUSSION_MISSING',
      'LEGAL_REVIEW_MISSING',
      'NOTICE_MISSING',
      'PUBLICATION_LATE',
      'SERVICE_LATE',
    ]);
  });
});
