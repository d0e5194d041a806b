import { describe, expect, it } from 'vitest';
import { createStallWatch } from './stall.js';

describe('stall watch', () => {
  it('is stalled only when behind and the position has not moved for the limit', () => {
    const w = createStallWatch(10_000);
    w.observe(100, 100, 0);
    expect(w.stalled(60_000)).toBe(false); // up to date: never stalled
    w.observe(100, 150, 1_000); // the stream grows
    w.observe(100, 180, 9_000);
    expect(w.stalled(9_000)).toBe(false);
    w.observe(100, 200, 11_000);
    expect(w.stalled(11_000)).toBe(true);
    expect(w.stalledFor(11_000)).toBe(10_000);
    expect(w.lag()).toBe(100);
    w.observe(120, 200, 12_000); // progress: fine again
    expect(w.stalled(12_000)).toBe(false);
    w.observe(120, 200, 21_000);
    expect(w.stalled(21_000)).toBe(false);
    w.observe(120, 200, 22_000);
    expect(w.stalled(22_000)).toBe(true);
  });
});
