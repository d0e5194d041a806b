/** The Clock port: the only way gateway code learns the time, so tests and rules can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant (tests). */
export const fixedClock = (at: Date | string): Clock => {
  const d = new Date(at);
  return { now: () => new Date(d) };
};
