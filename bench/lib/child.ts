/**
 * One scenario in its own process: a fresh heap and JIT for every scenario, and a parent
 * that can stop a stuck one (SIGTERM runs the cleanups: nats-servers stopped by PID, temp
 * folders removed).
 */
import type { Measurement, RunContext, Scenario } from './types.js';

export type ChildResult =
  | { status: 'ok'; sizes: Record<string, number>; runs: Measurement[][] }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string; runs: Measurement[][] };

export async function runScenarioHere(
  scenario: Scenario,
  opts: { quick: boolean; runs?: number | undefined },
): Promise<ChildResult> {
  const cleanups: (() => void | Promise<void>)[] = [];
  const ctx: RunContext = {
    quick: opts.quick,
    log: (m) => process.stderr.write(`  [${scenario.name}] ${m}\n`),
    defer: (fn) => cleanups.push(fn),
  };
  const cleanup = async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop()!;
      try {
        await fn();
      } catch (err) {
        ctx.log(`cleanup failed: ${String(err)}`);
      }
    }
  };
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const runs: Measurement[][] = [];
  try {
    const reason = await scenario.unavailable?.(ctx);
    if (reason !== undefined) return { status: 'skipped', reason };
    const fixture = scenario.setup ? await scenario.setup(ctx) : {};
    const count = opts.runs ?? (opts.quick ? (scenario.runs?.quick ?? 1) : (scenario.runs?.full ?? 3));
    for (let i = 0; i < count; i++) {
      const measured = await scenario.run(ctx, fixture, i);
      ctx.log(
        `run ${i + 1}/${count}: ${measured.map((m) => `${m.metric}=${fmt(m.value)} ${m.unit}`).join(', ')}`,
      );
      runs.push(measured);
    }
    return { status: 'ok', sizes: scenario.sizes(opts.quick), runs };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    // Said at once: should the cleanup end the process, the cause is still on the screen.
    ctx.log(`failed: ${error}`);
    return { status: 'failed', error, runs };
  } finally {
    await cleanup();
  }
}

export const fmt = (v: number): string =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en-US')
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);
