/**
 * The working-day calendar (工作日历): statutory holidays and adjusted working days (调休) per
 * year, published by the committee office as versioned data (a `calendarVersionPublished`
 * event). Pure: days are `YYYY-MM-DD` in Asia/Shanghai (UTC+8 all year), instants ISO UTC.
 *
 * @example
 * const cal = compileCalendar(BUILT_IN_CALENDARS[1]!);
 * addWorkingDays(cal, '2026-09-30T02:00:00.000Z', 7);
 * // { dueDay: '2026-10-16', dueAt: '2026-10-16T16:00:00.000Z', fallbackYears: [] }
 */

export interface CalendarHoliday {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}
export interface CalendarYearInput {
  readonly year: number;
  readonly holidays: readonly CalendarHoliday[];
  /** 调休上班日: a Saturday or Sunday that is a working day. */
  readonly adjustedWorkdays: readonly string[];
}
export interface CalendarInput {
  readonly version: string;
  /** When the version comes into force (the notice's publication). */
  readonly effectiveFrom: string;
  readonly years: readonly CalendarYearInput[];
}

/** A calendar ready for arithmetic. */
export interface WorkingCalendar {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly years: ReadonlySet<number>;
  readonly holidays: ReadonlyMap<string, string>;
  readonly workdays: ReadonlySet<string>;
}

/** A wrong date in calendar data: the field path (inside the payload) and the reason. */
export interface CalendarIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;
const MS_DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** Whether `s` is a real calendar day `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
}

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);
const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** 0 Sunday … 6 Saturday. */
export const weekday = (day: string): number => new Date(dayMs(day)).getUTCDay();
export const nextDay = (day: string, n = 1): string => dayOfMs(dayMs(day) + n * MS_DAY);
/** The Asia/Shanghai day of an instant. */
export const shanghaiDayOf = (iso: string): string => dayOfMs(Date.parse(iso) + SHANGHAI);
/** The first instant after the Shanghai day ends: a deadline "by the end of `day`" is `< endOfDay`. */
export const endOfShanghaiDay = (day: string): string =>
  new Date(dayMs(day) + MS_DAY - SHANGHAI).toISOString();

/**
 * Every wrong date in calendar data, with its path and reason: not a date, outside its year,
 * a range that ends before it starts, holidays that overlap, an adjusted working day that is not
 * a weekend day or falls inside a holiday, a year given twice.
 */
export function calendarIssues(input: CalendarInput): CalendarIssue[] {
  const out: CalendarIssue[] = [];
  const seenYears = new Set<number>();
  input.years.forEach((y, yi) => {
    const at = (...p: (string | number)[]) => ['years', yi, ...p];
    if (seenYears.has(y.year))
      out.push({ path: at('year'), message: `年份重复 (year given twice): ${y.year}` });
    seenYears.add(y.year);
    const inYear = (d: string) => d.startsWith(`${y.year}-`);
    const taken: { from: string; to: string; i: number }[] = [];
    y.holidays.forEach((h, hi) => {
      let ok = true;
      for (const k of ['from', 'to'] as const) {
        const d = h[k];
        if (!isDay(d)) {
          out.push({ path: at('holidays', hi, k), message: `日期无效 (not a date): ${d}` });
          ok = false;
        } else if (!inYear(d) && !(k === 'to' && d.startsWith(`${y.year + 1}-01-`))) {
          out.push({
            path: at('holidays', hi, k),
            message: `日期不在 ${y.year} 年 (date outside the year): ${d}`,
          });
          ok = false;
        }
      }
      if (!ok) return;
      if (h.to < h.from) {
        out.push({
          path: at('holidays', hi, 'to'),
          message: `结束早于开始 (ends before it starts): ${h.to} < ${h.from}`,
        });
        return;
      }
      const clash = taken.find((t) => h.from <= t.to && t.from <= h.to);
      if (clash) {
        const first = h.from >= clash.from ? h.from : clash.from;
        out.push({
          path: at('holidays', hi, 'from'),
          message: `假期重叠 (holidays overlap) on ${first}: ${h.from}–${h.to} and ${clash.from}–${clash.to}`,
        });
      }
      taken.push({ from: h.from, to: h.to, i: hi });
    });
    const seenDays = new Set<string>();
    y.adjustedWorkdays.forEach((d, di) => {
      const path = at('adjustedWorkdays', di);
      if (!isDay(d)) out.push({ path, message: `日期无效 (not a date): ${d}` });
      else if (!inYear(d)) out.push({ path, message: `日期不在 ${y.year} 年 (date outside the year): ${d}` });
      else if (seenDays.has(d)) out.push({ path, message: `调休上班日重复 (given twice): ${d}` });
      else if (weekday(d) !== 0 && weekday(d) !== 6)
        out.push({
          path,
          message: `调休上班日应为周六或周日 (an adjusted working day is a Saturday or Sunday): ${d}`,
        });
      else if (taken.some((t) => d >= t.from && d <= t.to))
        out.push({ path, message: `调休上班日落在假期内 (inside a holiday): ${d}` });
      seenDays.add(d);
    });
  });
  return out;
}

/** Compiles valid calendar data (check it with `calendarIssues` first). */
export function compileCalendar(input: CalendarInput): WorkingCalendar {
  const holidays = new Map<string, string>();
  const workdays = new Set<string>();
  for (const y of input.years) {
    for (const h of y.holidays) {
      for (let d = h.from; d <= h.to; d = nextDay(d)) holidays.set(d, h.name);
    }
    y.adjustedWorkdays.forEach((d) => workdays.add(d));
  }
  return {
    version: input.version,
    effectiveFrom: input.effectiveFrom,
    years: new Set(input.years.map((y) => y.year)),
    holidays,
    workdays,
  };
}

/** A working day, and whether the calendar knew its year (else Monday–Friday was assumed). */
export function isWorkingDay(
  cal: WorkingCalendar | undefined,
  day: string,
): { working: boolean; known: boolean } {
  const known = cal !== undefined && cal.years.has(Number(day.slice(0, 4)));
  if (known && cal.holidays.has(day)) return { working: false, known };
  if (known && cal.workdays.has(day)) return { working: true, known };
  const wd = weekday(day);
  return { working: wd !== 0 && wd !== 6, known };
}

/** A computed deadline: the last day, the first instant past it, and the years assumed Mon–Fri. */
export interface Deadline {
  readonly dueDay: string;
  readonly dueAt: string;
  /** Years the calendar did not know: Monday–Friday was assumed for them. */
  readonly fallbackYears: readonly number[];
}

/**
 * N working days after the act (the day of the act not counted): the deadline is the end of the
 * N-th working day. A day in a year the calendar does not know counts Monday–Friday.
 */
export function addWorkingDays(cal: WorkingCalendar | undefined, actAt: string, n: number): Deadline {
  let day = shanghaiDayOf(actAt);
  const fallback = new Set<number>();
  for (let left = n; left > 0;) {
    day = nextDay(day);
    const w = isWorkingDay(cal, day);
    if (!w.known) fallback.add(Number(day.slice(0, 4)));
    if (w.working) left -= 1;
  }
  return { dueDay: day, dueAt: endOfShanghaiDay(day), fallbackYears: [...fallback].sort() };
}

/**
 * N days after the act; when the last day is a holiday or a rest day, the deadline moves to the
 * next working day (期间届满的最后一日是法定休假日的，以休假日结束的次日为期间的最后一日).
 */
export function addDaysExtended(cal: WorkingCalendar | undefined, actAt: string, n: number): Deadline {
  let day = nextDay(shanghaiDayOf(actAt), n);
  const fallback = new Set<number>();
  for (;;) {
    const w = isWorkingDay(cal, day);
    if (!w.known) fallback.add(Number(day.slice(0, 4)));
    if (w.working) break;
    day = nextDay(day);
  }
  return { dueDay: day, dueAt: endOfShanghaiDay(day), fallbackYears: [...fallback].sort() };
}

/** Exactly `hours` after the act (24 小时内). */
export function addHours(actAt: string, hours: number): Deadline {
  const dueAt = new Date(Date.parse(actAt) + hours * 3_600_000).toISOString();
  return { dueDay: shanghaiDayOf(dueAt), dueAt, fallbackYears: [] };
}

/**
 * The versions received so far, and the one in force at an instant: the latest whose
 * `effectiveFrom` is not after it. None in force → undefined (Monday–Friday, said in the alert).
 */
export function calendarInForce(
  versions: readonly WorkingCalendar[],
  at: string,
): WorkingCalendar | undefined {
  let best: WorkingCalendar | undefined;
  const t = Date.parse(at);
  for (const v of versions) {
    if (
      Date.parse(v.effectiveFrom) <= t &&
      (!best || Date.parse(v.effectiveFrom) >= Date.parse(best.effectiveFrom))
    )
      best = v;
  }
  return best;
}
