import { describe, expect, it } from 'vitest';
import { isHubError } from '@hub/domain';
import { decodeCursor, encodeCursor } from './cursor.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (isHubError(err, 'VALIDATION_FAILED')) return err.issues[0]?.field;
  }
  return undefined;
};

describe('cursors', () => {
  it('round-trips the sort key for the same query', () => {
    const c = encodeCursor(['2026-03-02T02:00:00.000Z', 42], { uscc: 'X', agency: ['GSJ'] });
    expect(decodeCursor(c, { uscc: 'X', agency: ['GSJ'] }, ['string', 'number'])).toEqual([
      '2026-03-02T02:00:00.000Z',
      42,
    ]);
  });

  it('refuses garbage, a wrong shape, and another query, naming the cursor', () => {
    const c = encodeCursor(['a', 1], { q: 1 });
    expect(fieldOf(() => decodeCursor('%%%', { q: 1 }, ['string', 'number']))).toBe('cursor');
    expect(fieldOf(() => decodeCursor(c, { q: 1 }, ['string', 'string']))).toBe('cursor');
    expect(fieldOf(() => decodeCursor(c, { q: 2 }, ['string', 'number']))).toBe('cursor');
  });
});
