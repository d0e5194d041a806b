/**
 * `node bench/dist/profile-projector.js [events] [out.cpuprofile]`
 *
 * Publishes the bench's mixed workload (default 30 000 events) to a nats-server of its own,
 * then runs one projector catch-up (mode `rebuild`, every read model, alerts included) under
 * the V8 sampler of `node:inspector` — the same sampler as `node --cpu-prof`, limited to the
 * catch-up — and the naive pipeline after it. Prints both rates and the functions with the most
 * self time; writes the profile (open it in Chrome DevTools or speedscope).
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@hub/testing';
import { runNaivePipeline } from './lib/naive-pipeline.js';
import { project, preloadStream } from './suites/hub-projector.js';
import type { RunContext } from './lib/types.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function topSelf(profile: { nodes: ProfileNode[] }, n: number): string[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const f = node.callFrame;
    const file = f.url.replace(/^.*\/(node_modules|services|shared)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 30_000);
  const out = process.argv[3] ?? 'projector.cpuprofile';
  const cleanups: (() => void | Promise<void>)[] = [];
  const ctx: RunContext = {
    quick: true,
    log: (m) => process.stderr.write(`${m}\n`),
    defer: (c) => cleanups.push(c),
  };
  try {
    const f = await preloadStream(ctx, total);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const catchUp = await project(ctx, f, 'rebuild');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(out, JSON.stringify(profile));
    const dir = tempDir('hub-bench-naive-');
    cleanups.push(() => dir.remove());
    const naiveMs = await runNaivePipeline(f.nats.js, join(dir.path, 'naive.sqlite'), total);
    const rate = (ms: number) => Math.round((total / ms) * 1000);
    process.stdout.write(
      `catch-up ${rate(catchUp.ms)} ev/s, naive ${rate(naiveMs)} ev/s, ratio ${((naiveMs / catchUp.ms) * 100).toFixed(1)} %\n`,
    );
    process.stdout.write(`profile written to ${out}; top self time:\n`);
    for (const line of topSelf(profile, 40)) process.stdout.write(`${line}\n`);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

await main();
