import { describe, expect, it } from 'vitest';
import { parseAgency, parseLocalDateTime, parseYuanToFen, splitList } from './values.js';

describe('CSV cell parsers', () => {
  it('reads local dates and times as Asia/Shanghai', () => {
    expect(parseLocalDateTime('2026-03-02')).toEqual({ ok: true, value: '2026-03-02T00:00:00+08:00' });
    expect(parseLocalDateTime('2026/3/2 9:30')).toEqual({ ok: true, value: '2026-03-02T09:30:00+08:00' });
    expect(parseLocalDateTime('2026年3月2日 9时30分')).toEqual({
      ok: true,
      value: '2026-03-02T09:30:00+08:00',
    });
    expect(parseLocalDateTime('2026-02-30').ok).toBe(false);
    expect(parseLocalDateTime('昨天').ok).toBe(false);
  });

  it('turns yuan into fen exactly', () => {
    expect(parseYuanToFen('1,500.50')).toEqual({ ok: true, value: 150050 });
    expect(parseYuanToFen('0.1元')).toEqual({ ok: true, value: 10 });
    expect(parseYuanToFen('-20')).toEqual({ ok: true, value: -2000 });
    expect(parseYuanToFen('1.005').ok).toBe(false);
  });

  it('splits lists and finds agencies by code or name', () => {
    expect(splitList('张明、李华；王五, 赵六')).toEqual(['张明', '李华', '王五', '赵六']);
    expect(parseAgency('工商局')).toEqual({ ok: true, value: 'GSJ' });
    expect(parseAgency('县城管局')).toEqual({ ok: true, value: 'CGJ' });
    expect(parseAgency('cgj')).toEqual({ ok: true, value: 'CGJ' });
    expect(parseAgency('税务所').ok).toBe(false);
  });
});
