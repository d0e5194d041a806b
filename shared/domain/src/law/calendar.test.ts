import { describe, expect, it } from 'vitest';
import {
  addDaysExtended,
  addHours,
  addWorkingDays,
  calendarInForce,
  calendarIssues,
  compileCalendar,
  isWorkingDay,
  type CalendarInput,
} from './calendar.js';
import { BUILT_IN_CALENDARS } from './calendar-data.js';

const V2025 = compileCalendar(BUILT_IN_CALENDARS[0]!);
const V2026 = compileCalendar(BUILT_IN_CALENDARS[1]!);
/** An act at 10:00 China time on a day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();

describe('working-day calendar 工作日历', () => {
  it('the shipped data is valid, and its adjusted working days are weekends', () => {
    for (const v of BUILT_IN_CALENDARS) expect(calendarIssues(v)).toEqual([]);
    expect(isWorkingDay(V2026, '2026-02-14')).toEqual({ working: true, known: true }); // Saturday, 调休
    expect(isWorkingDay(V2026, '2026-02-16')).toEqual({ working: false, known: true }); // 春节
    expect(isWorkingDay(V2026, '2027-01-01')).toEqual({ working: true, known: false }); // Friday, unknown year
  });

  it('7 working days across the National Day holiday count the adjusted Saturday (2026-10-10)', () => {
    // 9-30 Wed; 10-01..07 off; 10-08 Thu 1, 10-09 Fri 2, 10-10 Sat 3 (调休), 10-12..15 4–7
    expect(addWorkingDays(V2026, at('2026-09-30'), 7)).toEqual({
      dueDay: '2026-10-15',
      dueAt: '2026-10-15T16:00:00.000Z',
      fallbackYears: [],
    });
  });

  it('boundary: a working-day deadline that ends on an adjusted working Saturday (2026-02-14)', () => {
    // 2-05 Thu; 2-06 1, 2-09..13 2–6, 2-14 Sat 7
    expect(addWorkingDays(V2026, at('2026-02-05'), 7).dueDay).toBe('2026-02-14');
    // Without the calendar the Saturday is a rest day and Spring Festival is not known.
    expect(addWorkingDays(undefined, at('2026-02-05'), 7).dueDay).toBe('2026-02-16');
  });

  it('boundary: a day deadline that ends on a holiday moves to the next working day', () => {
    // 移送 report on Mon 2026-09-28: 3 days → 10-01 (国庆) → first working day 10-08
    expect(addDaysExtended(V2026, at('2026-09-28'), 3)).toMatchObject({
      dueDay: '2026-10-08',
      fallbackYears: [],
    });
    // ending on an adjusted working Saturday: it stays there (2026-10-10 is a working day)
    expect(addDaysExtended(V2026, at('2026-10-07'), 3).dueDay).toBe('2026-10-10');
    // ending on an ordinary Sunday: Monday
    expect(addDaysExtended(V2026, at('2026-03-12'), 3).dueDay).toBe('2026-03-16');
  });

  it('boundary: across a year end, with the next year known (2026.1) and not known (2025.1)', () => {
    // 2025-12-26 Fri: 12-29,30,31 → 1–3; 2026-01-01..03 off; 01-04 Sun 调休 4; 01-05..07 5–7
    expect(addWorkingDays(V2026, at('2025-12-26'), 7)).toMatchObject({
      dueDay: '2026-01-07',
      fallbackYears: [],
    });
    // The 2025 notice knew nothing of 2026: Monday–Friday, and it says so.
    expect(addWorkingDays(V2025, at('2025-12-26'), 7)).toMatchObject({
      dueDay: '2026-01-06',
      fallbackYears: [2026],
    });
  });

  it('2027 is not in the shipped data: Monday–Friday, named in fallbackYears', () => {
    // 2026-12-28 Mon: 12-29..31 1–3, 2027-01-01 Fri 4 (assumed), 01-04..06 5–7
    expect(addWorkingDays(V2026, at('2026-12-28'), 7)).toMatchObject({
      dueDay: '2027-01-06',
      fallbackYears: [2027],
    });
  });

  it('24 hours is 24 hours, whatever the day', () => {
    expect(addHours('2026-10-01T01:00:00.000Z', 24).dueAt).toBe('2026-10-02T01:00:00.000Z');
  });

  it('the version in force at the act: the latest whose effectiveFrom is not after it', () => {
    expect(calendarInForce([V2025, V2026], '2025-11-03T10:00:00.000Z')?.version).toBe('2025.1');
    expect(calendarInForce([V2026, V2025], '2025-11-04T10:00:00.000Z')?.version).toBe('2026.1');
    expect(calendarInForce([V2026], '2024-01-01T00:00:00.000Z')).toBeUndefined();
  });

  describe('bad calendar data is refused with the date that is wrong', () => {
    const base = (years: CalendarInput['years']): CalendarInput => ({
      version: 't',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      years,
    });
    it('a date that does not exist', () => {
      const issues = calendarIssues(
        base([
          {
            year: 2026,
            holidays: [{ name: '春节', from: '2026-02-30', to: '2026-03-01' }],
            adjustedWorkdays: [],
          },
        ]),
      );
      expect(issues).toEqual([
        { path: ['years', 0, 'holidays', 0, 'from'], message: expect.stringContaining('2026-02-30') },
      ]);
    });
    it('holidays that overlap name the first shared day', () => {
      const issues = calendarIssues(
        base([
          {
            year: 2026,
            holidays: [
              { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
              { name: '重复', from: '2026-05-04', to: '2026-05-06' },
            ],
            adjustedWorkdays: [],
          },
        ]),
      );
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toEqual(['years', 0, 'holidays', 1, 'from']);
      expect(issues[0]!.message).toContain('2026-05-04');
    });
    it('an adjusted working day on a weekday or inside a holiday, a range backwards, a date in another year', () => {
      const issues = calendarIssues(
        base([
          {
            year: 2026,
            holidays: [
              { name: '国庆节', from: '2026-10-07', to: '2026-10-01' },
              { name: '春节', from: '2026-02-15', to: '2026-02-23' },
            ],
            adjustedWorkdays: ['2026-03-04', '2026-02-21', '2025-02-08'],
          },
        ]),
      );
      expect(issues.map((i) => i.path.join('.'))).toEqual([
        'years.0.holidays.0.to',
        'years.0.adjustedWorkdays.0',
        'years.0.adjustedWorkdays.1',
        'years.0.adjustedWorkdays.2',
      ]);
      expect(issues[1]!.message).toContain('2026-03-04');
    });
  });
});
