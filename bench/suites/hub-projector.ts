/**
 * The projector (@hub/projector): catch-up of a fresh read model over 1 M events (quick:
 * 100 k) in every read model, next to the naive single-table pipeline over the same stream in
 * the same run; and the as-of audit replay (mode `replay`, bounded by stream time) over the
 * same events. Each of the three runs in a fresh process of its own (catchup-main.ts), their
 * order turning from run to run; the peak RSS is the catch-up process's own.
 */
import { join } from 'node:path';
import { EVENTS_STREAM } from '@hub/domain';
import { tempDir } from '@hub/testing';
import { createProjector, type ProjectorMode } from '@hub/projector';
import { catchUpInProcess, type CatchUpResult } from '../lib/catchup.js';
import { publishCore, startBenchNats, streamLastSeq, type BenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { registerDepartmentKeys, signChunk } from '../lib/signed.js';
import { throughput, type RunContext, type Scenario } from '../lib/types.js';
import { benchEvents, checkWorkload } from '../lib/workload.js';

/** `1,000,000 events in 75.2 s (13,298 ev/s)` */
const rate = (events: number, ms: number): string =>
  `${events.toLocaleString('en-US')} events in ${(ms / 1000).toFixed(1)} s (${Math.round((events / ms) * 1000).toLocaleString('en-US')} ev/s)`;

const eventsFor = (quick: boolean) => eventsAtScale(quick, 1_000_000, 100_000);

interface ProjectorFixture extends Record<string, unknown> {
  nats: BenchNats;
  total: number;
  /** Stream time of the last event and of the middle one: as-of bounds of the replay. */
  lastTime: string;
  midTime: string;
}

/**
 * Preloads the stream with the mixed workload; shared with the history and verify scenarios.
 * `signed`: each department's key registered on ENF_KEYS and every event signed as the relay
 * signs it, for a projector that checks signatures (the service's default).
 */
export async function preloadStream(
  ctx: RunContext,
  total: number,
  opts: { signed?: boolean } = {},
): Promise<ProjectorFixture> {
  checkWorkload();
  const nats = await startBenchNats(ctx);
  const t0 = performance.now();
  ctx.log(`publishing ${total.toLocaleString('en-US')} events${opts.signed ? ', signed' : ''}`);
  if (opts.signed) {
    const keyDir = tempDir('hub-bench-keys-');
    ctx.defer(() => keyDir.remove());
    const keys = await registerDepartmentKeys(nats, keyDir.path, benchEvents(Math.min(total, 1000)));
    await publishCore(nats.nc, benchEvents(total), 1024, (chunk) => signChunk(chunk, keys));
  } else await publishCore(nats.nc, benchEvents(total));
  const seq = await streamLastSeq(nats.js);
  if (seq !== total) throw new Error(`stream holds ${seq} events, expected ${total}`);
  ctx.log(`preloaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const jsm = await nats.js.jetstreamManager();
  const last = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
  const mid = await jsm.streams.getMessage(EVENTS_STREAM, { seq: Math.floor(seq / 2) });
  if (!last || !mid) throw new Error('messages not found');
  return { nats, total, lastTime: last.time.toISOString(), midTime: mid.time.toISOString() };
}

/** Projects the whole stream into a fresh read model; returns ms and the file. */
export async function project(
  run: RunContext,
  f: ProjectorFixture,
  mode: ProjectorMode,
  until?: { time: string; expectSeq: number },
  into?: string,
): Promise<{ ms: number; path: string; applied: number; peakRssMiB: number }> {
  let path = into;
  if (path === undefined) {
    const dir = tempDir('hub-bench-rm-');
    run.defer(() => dir.remove());
    path = join(dir.path, 'read-model.sqlite');
  }
  const projector = createProjector({
    nc: f.nats.nc,
    readModelPath: path,
    mode,
    ...(until ? { until } : {}),
  });
  run.defer(() => projector.stop().catch(() => undefined));
  // Peak resident memory while it runs (the whole bench process, sampled: an upper bound).
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const t0 = performance.now();
  await projector.start();
  await projector.catchUp();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const stats = projector.stats();
  await projector.stop();
  const expected = until?.expectSeq ?? f.total;
  // Several events can share the bound's millisecond: the replay may stop a little past it.
  const short = until ? stats.appliedSeq < expected : stats.appliedSeq !== expected;
  if (short || stats.deadLetters !== 0) {
    throw new Error(
      `projector ${mode}: applied up to ${stats.appliedSeq} of ${expected}, ${stats.deadLetters} dead letters — the bench workload is being refused`,
    );
  }
  return { ms, path, applied: stats.appliedSeq, peakRssMiB: peak / 1024 / 1024 };
}

export const hubProjector: Scenario<ProjectorFixture> = {
  name: 'hub-projector',
  title: '投影追赶与审计回放 (projector catch-up vs naive pipeline; as-of replay)',
  sizes: (quick) => ({
    events: eventsFor(quick),
    businesses: Math.max(1000, eventsFor(quick) / 100),
    replayedEvents: quick ? eventsFor(quick) / 2 : eventsFor(quick),
  }),
  // Each full run projects 1 M events twice and the naive pipeline once: two runs keep it near 15 min.
  runs: { full: 2, quick: 1 },
  setup: (ctx) => preloadStream(ctx, eventsFor(ctx.quick)),
  run: (ctx, f, runIndex) =>
    scoped(ctx, async (run) => {
      const url = f.nats.server.url;
      const events = f.total;
      // Quick: as of the middle of the stream (half the events); full: as of its last event.
      const asOf = ctx.quick
        ? { time: f.midTime, expectSeq: Math.floor(f.total / 2) }
        : { time: f.lastTime, expectSeq: f.total };
      const jobs = {
        'catch-up': () => catchUpInProcess(run, { url, events, mode: 'rebuild' }),
        'naive single-table pipeline': () => catchUpInProcess(run, { url, events, mode: 'naive' }),
        'as-of replay': () =>
          catchUpInProcess(run, { url, events, mode: 'replay', until: { time: asOf.time } }, asOf.expectSeq),
      };
      // Each in a fresh process (D58); the order turns from run to run, so that none always
      // meets the machine first. Each figure is logged as it comes: a 10 M-event run stopped
      // before its end keeps them.
      const names = Object.keys(jobs) as (keyof typeof jobs)[];
      const order = names.map((_, i) => names[(i + runIndex) % names.length]!);
      const done = new Map<keyof typeof jobs, CatchUpResult>();
      for (const name of order) {
        const r = await jobs[name]();
        done.set(name, r);
        run.log(
          `${name}: ${rate(r.appliedSeq, r.ms)}, ${r.cpuMicrosPerEvent.toFixed(1)} µs CPU an event, peak RSS ${Math.round(r.peakRssMiB)} MiB`,
        );
      }
      const catchUp = done.get('catch-up')!;
      const replay = done.get('as-of replay')!;
      return [
        throughput('catch-up, all read models', f.total, catchUp.ms),
        throughput('naive single-table pipeline', f.total, done.get('naive single-table pipeline')!.ms),
        throughput('as-of replay (until stream time)', replay.appliedSeq, replay.ms),
        {
          metric: 'peak RSS during catch-up',
          value: Math.round(catchUp.peakRssMiB),
          unit: 'MiB',
          better: 'lower',
        },
        {
          metric: 'catch-up CPU per event',
          value: catchUp.cpuMicrosPerEvent,
          unit: 'µs',
          better: 'lower',
        },
      ];
    }),
};
