/** What a bench scenario is: a name, how big it runs, and what one run measures. */

export type Better = 'higher' | 'lower';

/** One figure measured by one run. */
export interface Measurement {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly better: Better;
}

export interface RunContext {
  readonly quick: boolean;
  /** Progress lines for the person watching (stderr, so the table stays clean). */
  log(message: string): void;
  /** Cleanups run in reverse order when the scenario ends, fails or is interrupted. */
  defer(cleanup: () => void | Promise<void>): void;
}

/** What a scenario keeps between its setup and its runs (nats-server, preloaded stream, …). */
export type Fixture = Record<string, unknown>;

export interface Scenario<F extends Fixture = Fixture> {
  readonly name: string;
  readonly title: string;
  /** Undefined when it can run; otherwise why it is skipped (a component not built yet, …). */
  unavailable?(ctx: RunContext): Promise<string | undefined>;
  /** Sizes shown in the results, e.g. { events: 1_000_000 }. */
  sizes(quick: boolean): Record<string, number>;
  setup?(ctx: RunContext): Promise<F>;
  /** One measured run; called several times on the same fixture. */
  run(ctx: RunContext, fixture: F, runIndex: number): Promise<Measurement[]>;
  /**
   * Runs only when `--only` names it in full, never in the default run (a scenario that takes
   * more than a few minutes and checks rather than measures, e.g. hub-verify at 1 M events).
   */
  readonly optIn?: boolean;
  /** How many runs by default (the runner's --runs overrides). */
  readonly runs?: { full: number; quick: number };
}

export const throughput = (metric: string, count: number, ms: number, unit = 'ev/s'): Measurement => ({
  metric,
  value: (count / ms) * 1000,
  unit,
  better: 'higher',
});

export const latency = (metric: string, ms: number): Measurement => ({
  metric,
  value: ms,
  unit: 'ms',
  better: 'lower',
});
