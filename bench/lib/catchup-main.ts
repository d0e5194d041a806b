/**
 * One catch-up over a stream in a process of its own — a fresh heap and JIT, nothing left over
 * from what the scenario did before, as the projector service runs: the projector
 * (`createProjector`, mode `rebuild` or the as-of `replay`) from sequence 1 into a new read
 * model, or the naive single-table pipeline.
 *
 *   node bench/dist/lib/catchup-main.js '<CatchUpJob as JSON>'
 *
 * Prints one JSON line (CatchUpResult): the milliseconds from start to caught up, the last
 * applied sequence, the dead letters, the process's CPU time per event applied and its peak resident
 * memory (the kernel's maximum, not a sample).
 */
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { createProjector, type SignaturePolicy } from '@hub/projector';
import { tempDir } from '@hub/testing';
import { runNaivePipeline } from './naive-pipeline.js';
import { connectFast } from './nats.js';

export interface CatchUpJob {
  url: string;
  /** Events in the stream (the naive pipeline stops there). */
  events: number;
  mode: 'rebuild' | 'replay' | 'naive';
  signatures?: SignaturePolicy;
  /** Replay: as of this stream time. */
  until?: { time: string };
}

export interface CatchUpResult {
  ms: number;
  appliedSeq: number;
  deadLetters: number;
  cpuMicrosPerEvent: number;
  peakRssMiB: number;
}

async function catchUp(
  job: CatchUpJob,
  path: string,
): Promise<Omit<CatchUpResult, 'cpuMicrosPerEvent' | 'peakRssMiB'>> {
  const nc = await connectFast(job.url);
  try {
    if (job.mode === 'naive') {
      const ms = await runNaivePipeline(jetstream(nc), path, job.events);
      return { ms, appliedSeq: job.events, deadLetters: 0 };
    }
    const projector = createProjector({
      nc,
      readModelPath: path,
      mode: job.mode,
      signatures: job.signatures ?? 'off',
      ...(job.until ? { until: job.until } : {}),
    });
    const t0 = performance.now();
    await projector.start();
    await projector.catchUp();
    const ms = performance.now() - t0;
    const stats = projector.stats();
    await projector.stop();
    return { ms, appliedSeq: stats.appliedSeq, deadLetters: stats.deadLetters };
  } finally {
    await nc.close();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as CatchUpJob;
if (typeof job.url !== 'string' || !(job.events > 0) || !['rebuild', 'replay', 'naive'].includes(job.mode)) {
  process.stderr.write(`usage: catchup-main.js '{"url":…,"events":…,"mode":"rebuild|replay|naive"}'\n`);
  process.exit(2);
}
const dir = tempDir('hub-bench-catchup-');
try {
  const cpu = process.cpuUsage();
  const done = await catchUp(job, join(dir.path, 'read-model.sqlite'));
  const used = process.cpuUsage(cpu);
  const result: CatchUpResult = {
    ...done,
    cpuMicrosPerEvent: (used.user + used.system) / Math.max(1, done.appliedSeq),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  dir.remove();
}
