/**
 * The cost of retrospective checks (docs/coordination-rules.md §4) in the projector's catch-up.
 * One stream: the mixed workload over a year, then a tail of routine inspections dated at the
 * end of the year (checked by the in-memory state), then a tail of as many dated in its first
 * months (more than 92 days behind the watermark: each is checked against its business's
 * history read from the read model). One catch-up in batches of 500; the time spent on each
 * tail is read from the commits, so the two tails are compared within the same run.
 */
import { join } from 'node:path';
import { sampleUscc, sampleInspectionCompleted, tempDir } from '@hub/testing';
import { catchUpInto } from '@hub/projector';
import { publishPipelined, startBenchNats, streamLastSeq, type BenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import {
  benchEvents,
  businessesFor,
  checkWorkload,
  submittedMixed,
  toBenchEvent,
  type BenchEvent,
} from '../lib/workload.js';

const BATCH = 500;
const eventsFor = (quick: boolean) => eventsAtScale(quick, 1_000_000, 100_000);
const tailFor = (quick: boolean) => (quick ? 10_000 : 50_000);

interface RetroFixture extends Record<string, unknown> {
  nats: BenchNats;
  base: number;
  tail: number;
}

/** Tail inspection i, dated `at`, for a business of the workload (ids apart from the workload's). */
function* tail(
  from: number,
  count: number,
  businesses: number,
  at: (i: number) => string,
): Generator<BenchEvent> {
  for (let i = 0; i < count; i++) {
    const n = from + i;
    yield toBenchEvent({
      ...sampleInspectionCompleted(n, {
        uscc: sampleUscc(n % businesses),
        occurredAt: at(i),
        recordId: `BENCH-TAIL-${n}`,
      }),
      schemaVersion: 1, // the projector refuses an event without it
    });
  }
}

async function setup(ctx: RunContext): Promise<RetroFixture> {
  checkWorkload();
  const base = eventsFor(ctx.quick);
  const count = tailFor(ctx.quick);
  const businesses = businessesFor(base);
  const nats = await startBenchNats(ctx);
  ctx.log(
    `publishing ${base.toLocaleString('en-US')} events + 2 × ${count.toLocaleString('en-US')} inspections`,
  );
  await publishPipelined(
    nats.js,
    benchEvents(base, (i, n) => ({ ...submittedMixed(i, n), schemaVersion: 1 })),
  );
  // On time: the last day of the workload's year. Late: spread over its first four months.
  const end = Date.parse('2026-10-31T02:00:00Z');
  const first = Date.parse('2025-11-02T02:00:00Z');
  await publishPipelined(
    nats.js,
    tail(10_000_000, count, businesses, (i) => new Date(end + (i % 3600) * 1000).toISOString()),
  );
  await publishPipelined(
    nats.js,
    tail(20_000_000, count, businesses, (i) => new Date(first + (i % 120) * 86_400_000).toISOString()),
  );
  const seq = await streamLastSeq(nats.js);
  if (seq !== base + 2 * count) throw new Error(`stream holds ${seq} events, expected ${base + 2 * count}`);
  return { nats, base, tail: count };
}

export const hubRetrospective: Scenario<RetroFixture> = {
  name: 'hub-retrospective',
  title: '追溯核查的代价 (retrospective checks in the projector catch-up)',
  sizes: (quick) => ({ events: eventsFor(quick), onTimeTail: tailFor(quick), lateTail: tailFor(quick) }),
  runs: { full: 2, quick: 1 },
  setup,
  run: (ctx, f) =>
    scoped(ctx, async (run) => {
      const dir = tempDir('hub-bench-retro-');
      run.defer(() => dir.remove());
      const marks = [f.base, f.base + f.tail, f.base + 2 * f.tail];
      const at = new Map<number, number>();
      const t0 = performance.now();
      const r = await catchUpInto({
        nc: f.nats.nc,
        path: join(dir.path, 'read-model.sqlite'),
        batchSize: BATCH,
        onProgress: (seq) => {
          for (const m of marks) if (seq >= m && !at.has(m)) at.set(m, performance.now());
        },
      });
      if (r.stats.deadLetters !== 0)
        throw new Error(`${r.stats.deadLetters} dead letters: the workload is refused`);
      const [a, b, c] = marks.map((m) => at.get(m)!);
      const out: Measurement[] = [
        throughput('catch-up, mixed workload', f.base, a! - t0),
        throughput('on-time inspections (in-memory checks)', f.tail, b! - a!),
        throughput('late inspections (retrospective checks)', f.tail, c! - b!),
        {
          metric: 'per late inspection ÷ per on-time inspection',
          value: (c! - b!) / (b! - a!),
          unit: '×',
          better: 'lower',
        },
      ];
      return out;
    }),
};
