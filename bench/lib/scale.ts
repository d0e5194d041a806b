/**
 * `--scale 10m`: the event count of the stream-sized scenarios (projector catch-up and
 * replay, history, and both on PostgreSQL), passed to the scenario processes as
 * HUB_BENCH_EVENTS; alone, it runs only those three (`--only` chooses others), with a time limit of 3 min per 100 k events. Not part of
 * the default run: at 10 M events a catch-up takes the better part of an hour on two cores.
 * Any count works (`--scale 20k` checks the path in a minute).
 */
export const SCALE_ENV = 'HUB_BENCH_EVENTS';

/** What `--scale` runs when no `--only` is given: catch-up (and replay), history, and the PostgreSQL read model. */
export const SCALED_SCENARIOS = ['hub-projector', 'hub-history', 'hub-pg'] as const;

/** `10m` → 10 000 000, `500k` → 500 000, `2000` → 2 000; undefined when it is not a count. */
export function parseScale(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The scaled event count when `--scale` was given, else the scenario's own default. */
export function eventsAtScale(quick: boolean, full: number, quickCount: number): number {
  const scaled = process.env[SCALE_ENV];
  return scaled ? Number(scaled) : quick ? quickCount : full;
}
