import { describe, expect, it } from 'vitest';
import { isHubError } from '../errors.js';
import {
  DEFAULT_COORDINATION_SETTINGS,
  inspectionRetentionMs,
  parseCoordinationSettings,
  windowDaysOf,
} from './settings.js';

describe('coordination settings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_COORDINATION_SETTINGS).toEqual({
      duplicateWindowDays: 30,
      duplicateWindowDaysByDomain: {},
      referralIsRoutine: false,
      quietPeriodDays: 90,
      burdenPeriod: 'quarter',
      burdenMaxRoutineVisits: 4,
      penaltyRetentionDays: 1830,
      sweepEvery: 10_000,
    });
    expect(Object.isFrozen(DEFAULT_COORDINATION_SETTINGS)).toBe(true);
    expect(inspectionRetentionMs(DEFAULT_COORDINATION_SETTINGS)).toBe(122 * 86_400_000);
  });

  it('takes a window per domain, falling back to the default', () => {
    const s = parseCoordinationSettings({ duplicateWindowDaysByDomain: { 5: 45 } });
    expect(windowDaysOf(s, 5)).toBe(45);
    expect(windowDaysOf(s, 1)).toBe(30);
    expect(windowDaysOf(s, undefined)).toBe(30);
  });

  it.each([
    [{ duplicateWindowDays: -1 }, 'duplicateWindowDays'],
    [{ duplicateWindowDaysByDomain: { 7: 10 } }, 'duplicateWindowDaysByDomain'],
    [{ burdenPeriod: 'week' }, 'burdenPeriod'],
    [{ quietPeriod: 30 }, '(settings)'],
  ])('rejects %j with CONFIG_INVALID naming %s', (input, field) => {
    let caught: unknown;
    try {
      parseCoordinationSettings(input);
    } catch (err) {
      caught = err;
    }
    expect(isHubError(caught, 'CONFIG_INVALID')).toBe(true);
    if (isHubError(caught)) expect(caught.issues[0]?.field.startsWith(field)).toBe(true);
  });
});
