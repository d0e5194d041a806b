import { describe, expect, it } from 'vitest';
import { alertIdOf } from './alerts.js';
import { given, ofKind, when } from '@hub/testing';

const FOOD = '《食品安全法》第一百二十二条';

describe('repeat penalties, 一事不再罚', () => {
  it('given GSJ opened a case first, when SYJ and GSJ both decide on the same violation code over overlapping periods, then one alert names GSJ as first opened', () => {
    const g = given();
    const events = [
      g.caseOpened({ agency: 'GSJ', caseId: 'GC-1', at: '2026-02-01T02:00:00Z' }),
      g.caseOpened({ agency: 'SYJ', caseId: 'SC-1', at: '2026-02-10T02:00:00Z' }),
      g.decided({
        agency: 'SYJ',
        caseId: 'SC-1',
        at: '2026-03-01T02:00:00Z',
        code: 'V-FOOD-LIC',
        articles: [FOOD],
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-31T00:00:00Z',
      }),
      g.decided({
        agency: 'GSJ',
        caseId: 'GC-1',
        at: '2026-03-05T02:00:00Z',
        code: 'V-FOOD-LIC',
        articles: ['《无证无照经营查处办法》第十三条'],
        from: '2026-01-20T00:00:00Z',
        to: '2026-02-20T00:00:00Z',
      }),
    ];
    const { alerts } = when(events);
    const [alert] = ofKind(alerts, 'repeat_penalty');
    expect(alerts).toHaveLength(1);
    expect(alert!.alertId).toBe(
      alertIdOf('repeat_penalty', [`B:${events[0]!.business.uscc}`, 'D:GSJ/GC-1', 'D:SYJ/SC-1']),
    );
    expect(alert!.causedBy).toEqual([events[2]!.eventId, events[3]!.eventId].sort());
    expect(alert!.agencies).toEqual(['GSJ', 'SYJ']);
    expect(alert!.details.firstOpened).toEqual({
      agency: 'GSJ',
      caseId: 'GC-1',
      openedAt: '2026-02-01T02:00:00.000Z',
    });
    expect(alert!.details.decisions.map((d) => d.agency)).toEqual(['GSJ', 'SYJ']);
    expect(alert!.details).toMatchObject({ sameViolationCode: true, commonArticles: [] });
    expect(alert!.summary.zh).toContain('第二十五条');
  });

  it('given different codes, when the decisions share a legal-basis article (spacing and title marks aside), then it is a repeat', () => {
    const g = given();
    const { alerts } = when([
      g.decided({ agency: 'SYJ', caseId: 'SC-1', at: '2026-03-01T02:00:00Z', code: 'A', articles: [FOOD] }),
      g.decided({
        agency: 'JMZX',
        caseId: 'JC-1',
        at: '2026-03-02T02:00:00Z',
        code: 'B',
        articles: ['食品安全法 第一百二十二条', '其他'],
      }),
    ]);
    const [alert] = ofKind(alerts, 'repeat_penalty');
    expect(alert!.details).toMatchObject({ sameViolationCode: false, commonArticles: [FOOD] });
    // No case-opened events: the earlier decision stands in for the opening.
    expect(alert!.details.firstOpened.agency).toBe('SYJ');
  });

  it('given the same violation code, when the violation periods do not overlap, then it is a new violation, not a repeat', () => {
    const g = given();
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        from: '2025-01-01T00:00:00Z',
        to: '2025-06-30T00:00:00Z',
      }),
      g.decided({
        agency: 'GSJ',
        caseId: 'C2',
        at: '2026-09-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        from: '2025-07-01T00:00:00Z',
        to: '2026-08-01T00:00:00Z',
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given the periods touch on one day, then they overlap', () => {
    const g = given();
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        from: '2025-01-01T00:00:00Z',
        to: '2025-06-30T00:00:00Z',
      }),
      g.decided({
        agency: 'ZJJ',
        caseId: 'C2',
        at: '2026-03-02T02:00:00Z',
        code: 'V',
        articles: ['y'],
        from: '2025-06-30T00:00:00Z',
        to: '2025-08-01T00:00:00Z',
      }),
    ]);
    expect(alerts).toHaveLength(1);
  });

  it('given decisions without periods, when the cases stated periods that do not overlap, then the cases decide', () => {
    const g = given();
    const { alerts } = when([
      g.caseOpened({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-02-01T02:00:00Z',
        from: '2025-01-01T00:00:00Z',
        to: '2025-02-01T00:00:00Z',
      }),
      g.caseOpened({
        agency: 'ZJJ',
        caseId: 'C2',
        at: '2026-02-02T02:00:00Z',
        from: '2025-05-01T00:00:00Z',
        to: '2025-06-01T00:00:00Z',
      }),
      g.decided({ agency: 'GSJ', caseId: 'C1', at: '2026-03-01T02:00:00Z', code: 'V', articles: ['x'] }),
      g.decided({ agency: 'ZJJ', caseId: 'C2', at: '2026-03-02T02:00:00Z', code: 'V', articles: ['x'] }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given no period is known anywhere, then the decisions are treated as overlapping', () => {
    const g = given();
    const { alerts } = when([
      g.decided({ agency: 'GSJ', caseId: 'C1', at: '2026-03-01T02:00:00Z', code: 'V', articles: ['x'] }),
      g.decided({ agency: 'ZJJ', caseId: 'C2', at: '2026-03-02T02:00:00Z', code: 'V', articles: ['y'] }),
    ]);
    expect(alerts).toHaveLength(1);
  });

  it('given different codes and articles, then there is no alert', () => {
    const g = given();
    const { alerts } = when([
      g.decided({ agency: 'GSJ', caseId: 'C1', at: '2026-03-01T02:00:00Z', code: 'V1', articles: ['x'] }),
      g.decided({ agency: 'GSJ', caseId: 'C2', at: '2026-03-02T02:00:00Z', code: 'V2', articles: ['y'] }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given one case, when its decision is re-issued, then it replaces the first and is no repeat', () => {
    const g = given();
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        decisionNo: 'N1',
      }),
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-09T02:00:00Z',
        code: 'V',
        articles: ['x'],
        decisionNo: 'N2',
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given the first decision was revoked, when a second decision follows, then there is no alert', () => {
    const g = given();
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        decisionNo: 'N1',
      }),
      g.revoked({ agency: 'GSJ', caseId: 'C1', decisionNo: 'N1', at: '2026-03-20T02:00:00Z' }),
      g.decided({ agency: 'ZJJ', caseId: 'C2', at: '2026-04-01T02:00:00Z', code: 'V', articles: ['x'] }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a revocation, when the revocation is retracted, then the repeat is found', () => {
    const g = given();
    const revocation = g.revoked({
      agency: 'GSJ',
      caseId: 'C1',
      decisionNo: 'N1',
      at: '2026-03-20T02:00:00Z',
    });
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2026-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        decisionNo: 'N1',
      }),
      revocation,
      g.decided({ agency: 'ZJJ', caseId: 'C2', at: '2026-04-01T02:00:00Z', code: 'V', articles: ['x'] }),
      g.retracted(revocation, '2026-04-02T02:00:00Z'),
    ]);
    expect(ofKind(alerts, 'repeat_penalty')).toHaveLength(1);
  });

  it('given a repeat was raised, when the second decision is revoked, then the alert is withdrawn', () => {
    const g = given();
    const { alerts, withdrawn } = when([
      g.decided({ agency: 'GSJ', caseId: 'C1', at: '2026-03-01T02:00:00Z', code: 'V', articles: ['x'] }),
      g.decided({
        agency: 'ZJJ',
        caseId: 'C2',
        at: '2026-04-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        decisionNo: 'Z1',
      }),
      g.revoked({ agency: 'ZJJ', caseId: 'C2', decisionNo: 'Z1', at: '2026-04-20T02:00:00Z' }),
    ]);
    expect(withdrawn).toMatchObject([{ alertId: alerts[0]!.alertId, reason: 'revoked' }]);
  });

  it('given a repeat was raised, when the second decision event is retracted, then the alert is withdrawn', () => {
    const g = given();
    const second = g.decided({
      agency: 'ZJJ',
      caseId: 'C2',
      at: '2026-04-01T02:00:00Z',
      code: 'V',
      articles: ['x'],
    });
    const { withdrawn } = when([
      g.decided({ agency: 'GSJ', caseId: 'C1', at: '2026-03-01T02:00:00Z', code: 'V', articles: ['x'] }),
      second,
      g.retracted(second, '2026-04-02T02:00:00Z'),
    ]);
    expect(withdrawn).toMatchObject([{ reason: 'retracted' }]);
  });

  it('given decisions years apart within the retention, then the repeat is still found', () => {
    const g = given();
    const { alerts } = when([
      g.decided({
        agency: 'GSJ',
        caseId: 'C1',
        at: '2024-03-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        from: '2023-01-01T00:00:00Z',
        to: '2024-01-01T00:00:00Z',
      }),
      g.decided({
        agency: 'ZJJ',
        caseId: 'C2',
        at: '2026-04-01T02:00:00Z',
        code: 'V',
        articles: ['x'],
        from: '2023-06-01T00:00:00Z',
        to: '2023-07-01T00:00:00Z',
      }),
    ]);
    expect(alerts).toHaveLength(1);
  });
});
