/**
 * Stall detection for `/healthz`: the projector is stalled when the stream holds events it has
 * not applied and its position has not moved for `stallMs`. Time is passed in (testable).
 *
 * @example
 * const watch = createStallWatch(15_000);
 * watch.observe(applied, streamLast, Date.now());
 * watch.stalledFor(Date.now()); // ms without progress while behind, 0 when fine
 */
export interface StallWatch {
  /** Records the position and the stream's end as of `now`. */
  observe(applied: number, streamLast: number, now: number): void;
  /** How long the position has not moved while behind; 0 when up to date or moving. */
  stalledFor(now: number): number;
  /** Whether that exceeds the limit. */
  stalled(now: number): boolean;
  lag(): number;
}

export function createStallWatch(stallMs: number): StallWatch {
  let applied = -1;
  let behind = false;
  let lag = 0;
  let since = 0;
  const watch: StallWatch = {
    observe(seq, streamLast, now) {
      lag = Math.max(0, streamLast - seq);
      const nowBehind = lag > 0;
      if (seq !== applied || !nowBehind || !behind) since = now;
      applied = seq;
      behind = nowBehind;
    },
    stalledFor: (now) => (behind ? now - since : 0),
    stalled: (now) => watch.stalledFor(now) >= stallMs,
    lag: () => lag,
  };
  return watch;
}
