import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isHubError } from '@hub/domain';
import { boundParam, dayParam, limitParam, parseParams, timeParam } from './params.js';

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isHubError(err)) return err.issues;
  }
  return [];
};

describe('parameters', () => {
  it('reads a date as a whole day in Asia/Shanghai', () => {
    expect(boundParam('from').parse('2026-03-01')).toBe('2026-02-28T16:00:00.000Z');
    expect(boundParam('to').parse('2026-03-01')).toBe('2026-03-01T15:59:59.999Z');
    expect(timeParam.parse('2026-03-01T09:30:00+08:00')).toBe('2026-03-01T01:30:00.000Z');
  });

  it('refuses days that are not in the calendar', () => {
    expect(dayParam.safeParse('2026-02-29').success).toBe(false);
    expect(dayParam.safeParse('2028-02-29').success).toBe(true);
    expect(timeParam.safeParse('2026-02-30T10:00:00Z').success).toBe(false);
  });

  it('names unknown, repeated and out-of-range parameters', () => {
    const schema = z.strictObject({ a: z.string().optional(), limit: limitParam(50, 500) });
    expect(issuesOf(() => parseParams(schema, { b: '1' }))).toEqual([
      { field: 'b', message: '未知参数 (unknown parameter): b' },
    ]);
    expect(issuesOf(() => parseParams(schema, { a: ['1', '2'] }))[0]?.message).toContain('more than once');
    expect(issuesOf(() => parseParams(schema, { limit: '501' }))[0]?.field).toBe('limit');
    expect(parseParams(schema, {})).toEqual({ limit: 50 });
  });
});
