import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY as P, nextRestart } from './restart-policy.js';

describe('restart policy', () => {
  it('restarts after a long run with the initial delay and forgets earlier failures', () => {
    expect(nextRestart(P, 3, 60_000)).toEqual({ action: 'restart', delayMs: 1000, fastFailures: 0 });
  });

  it('backs off after fast failures, doubling up to the cap', () => {
    const delays: number[] = [];
    let failures = 0;
    for (let i = 0; i < 4; i++) {
      const d = nextRestart({ ...P, maxDelayMs: 5000 }, failures, 100);
      if (d.action !== 'restart') throw new Error('gave up too early');
      delays.push(d.delayMs);
      failures = d.fastFailures;
    }
    expect(delays).toEqual([1000, 2000, 4000, 5000]);
  });

  it('gives up after maxFastFailures fast failures in a row', () => {
    expect(nextRestart(P, 4, 100)).toEqual({ action: 'give-up', fastFailures: 5 });
  });
});
