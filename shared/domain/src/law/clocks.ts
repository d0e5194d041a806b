/**
 * Legal clocks: when one starts, which act stops it, and its deadline on the working-day
 * calendar in force at the starting act (fixed the first time it is computed, so a calendar
 * published later does not move it).
 */
import { addDaysExtended, addHours, addWorkingDays, calendarInForce, type Deadline } from './calendar.js';
import { LEGAL_RULES } from './rules.js';
import {
  CLOCK_RULES,
  type ClockKind,
  type ClockView,
  type Entity,
  type LawSettings,
  type LawState,
  type Step,
} from './types.js';

export interface ClockSpec {
  readonly kind: ClockKind;
  readonly start: Step;
  /** The act that stops it, if any; `stopped` when the clock no longer runs (decision revoked). */
  readonly end: Step | undefined;
  readonly stopped?: Step | undefined;
  /** The agency the clock binds. */
  readonly agency: string;
}

export function deadlineOf(
  state: LawState,
  kind: ClockKind,
  clockId: string,
  start: Step,
  settings: LawSettings,
): Deadline & { calendarVersion: string | undefined } {
  const cacheKey = `${clockId}@${start.at}`;
  const cached = state.deadlines.get(cacheKey);
  if (cached) return cached;
  const cal = calendarInForce(state.calendars, start.atIso);
  let d: Deadline;
  switch (kind) {
    case 'service':
      d = addWorkingDays(cal, start.atIso, settings.serviceWorkingDays);
      break;
    case 'publication':
      d = addWorkingDays(cal, start.atIso, settings.publicationWorkingDays);
      break;
    case 'transfer_decision':
      d = addDaysExtended(cal, start.atIso, settings.transferDecisionDays);
      break;
    case 'police_decision':
      d = addDaysExtended(cal, start.atIso, settings.policeDecisionDays);
      break;
    case 'handover':
      d = addHours(start.atIso, settings.handoverHours);
      break;
  }
  const out = { ...d, calendarVersion: cal?.version };
  state.deadlines.set(cacheKey, out);
  return out;
}

export function clockView(
  state: LawState,
  entity: Entity,
  spec: ClockSpec,
  settings: LawSettings,
): ClockView {
  const clockId = `${spec.kind}:${entity.key}`;
  const d = deadlineOf(state, spec.kind, clockId, spec.start, settings);
  const dueMs = Date.parse(d.dueAt);
  const rule = CLOCK_RULES[spec.kind];
  const status: ClockView['status'] = spec.end
    ? spec.end.at >= dueMs
      ? 'late'
      : 'met'
    : spec.stopped && spec.stopped.at < dueMs
      ? 'stopped'
      : state.now >= dueMs
        ? 'overdue'
        : 'open';
  return {
    clockId,
    kind: spec.kind,
    rule,
    article: LEGAL_RULES[rule].article,
    entityKey: entity.key,
    uscc: entity.uscc,
    agency: spec.agency,
    caseId: entity.caseId,
    transferNo: entity.transferNo,
    startedAt: spec.start.atIso,
    startedByEventId: spec.start.eventId,
    dueDay: d.dueDay,
    dueAt: d.dueAt,
    metAt: spec.end?.atIso,
    status,
    calendarVersion: d.calendarVersion,
    fallbackYears: d.fallbackYears,
  };
}

/** What the alert says about the calendar a clock used. */
export function calendarNotes(c: ClockView): { zh: string; en: string }[] {
  const notes: { zh: string; en: string }[] = [];
  if (c.kind === 'handover') return notes;
  if (c.calendarVersion === undefined) {
    notes.push({
      zh: '行为发生时尚无工作日历，按周一至周五计算',
      en: 'no working-day calendar was in force at the act: Monday–Friday assumed',
    });
  } else if (c.fallbackYears.length > 0) {
    const years = c.fallbackYears.join('、');
    notes.push({
      zh: `工作日历 ${c.calendarVersion} 未含 ${years} 年节假日安排，按周一至周五计算`,
      en: `calendar ${c.calendarVersion} has no holidays for ${c.fallbackYears.join(', ')}: Monday–Friday assumed`,
    });
  }
  return notes;
}
