/**
 * `node bench/dist/catchup-cpu.js [events]`
 *
 * Publishes the bench's mixed workload (default 30 000 events) to a nats-server of its own, then
 * times two projector catch-ups (mode `rebuild`, every read model, alerts included) and the
 * naive pipeline, each by the wall clock and by this process's CPU time (`process.cpuUsage()`).
 * On a shared machine the CPU time a catch-up takes moves less with the load than its duration:
 * compare builds by running this alternately and reading the medians. Prints one JSON line.
 */
import { join } from 'node:path';
import { tempDir } from '@hub/testing';
import { runNaivePipeline } from './lib/naive-pipeline.js';
import { project, preloadStream } from './suites/hub-projector.js';
import type { RunContext } from './lib/types.js';

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 30_000);
  const cleanups: (() => void | Promise<void>)[] = [];
  const ctx: RunContext = {
    quick: true,
    log: (m) => process.stderr.write(`${m}\n`),
    defer: (c) => cleanups.push(c),
  };
  try {
    const f = await preloadStream(ctx, total);
    const runs: { ms: number; cpu: number; rss: number }[] = [];
    for (let i = 0; i < 2; i++) {
      const c0 = cpuMs();
      const r = await project(ctx, f, 'rebuild');
      runs.push({ ms: r.ms, cpu: cpuMs() - c0, rss: r.peakRssMiB });
    }
    const dir = tempDir('hub-bench-naive-');
    cleanups.push(() => dir.remove());
    const c0 = cpuMs();
    const naiveMs = await runNaivePipeline(f.nats.js, join(dir.path, 'naive.sqlite'), total);
    const naiveCpu = cpuMs() - c0;
    const catchMs = Math.min(...runs.map((r) => r.ms));
    const catchCpu = Math.min(...runs.map((r) => r.cpu));
    const pct = (a: number, b: number) => Math.round((1000 * a) / b) / 10;
    process.stdout.write(
      `${JSON.stringify({
        events: total,
        catchMs: Math.round(catchMs),
        catchCpuMs: Math.round(catchCpu),
        naiveMs: Math.round(naiveMs),
        naiveCpuMs: Math.round(naiveCpu),
        ratioWallPct: pct(naiveMs, catchMs),
        ratioCpuPct: pct(naiveCpu, catchCpu),
        peakRssMiB: Math.round(Math.max(...runs.map((r) => r.rss))),
      })}\n`,
    );
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

await main();
