/**
 * The read model on PostgreSQL (READ_MODEL_URL): the projector's catch-up of 1 M events
 * (quick: 100 k) into a fresh PostgreSQL database — projected into its SQLite working copy and
 * shipped by its writer thread, timed until PostgreSQL's position is the stream's last event —
 * next to a naive COPY pipeline into one PostgreSQL table over the same stream in the same run;
 * then a business's 100-row history read from that PostgreSQL read model, in the store
 * (`getHistoryRows` on the PostgreSQL connection, what the history endpoint reads) and over HTTP from the query API process started
 * with the same READ_MODEL_URL. One query at a time: latency, not throughput.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { openPostgresTokens, silentLogger } from '@hub/platform';
import { createPgWriter, createProjector, PG_VACUUM_AFTER_ROWS } from '@hub/projector';
import { getHistoryRows } from '@hub/query-api';
import { currentReadModelPath, openPostgresReadModel } from '@hub/read-model';
import {
  findPostgresBin,
  sampleUscc,
  startTestPostgres,
  tempDir,
  waitFor,
  type TestPostgres,
} from '@hub/testing';
import { httpClient } from '../lib/http.js';
import { runNaivePgPipeline } from '../lib/naive-pg-pipeline.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { percentiles } from '../lib/stats.js';
import { latency, throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import { businessesFor } from '../lib/workload.js';
import { preloadStream } from './hub-projector.js';

const eventsFor = (quick: boolean) => eventsAtScale(quick, 1_000_000, 100_000);
const queriesFor = (quick: boolean) => (quick ? 1_000 : 5_000);
const LIMIT = 100;
const WARMUP = 200;

export type PgFixture = Awaited<ReturnType<typeof preloadStream>> & { postgres: TestPostgres };

async function setup(ctx: RunContext): Promise<PgFixture> {
  const f = await preloadStream(ctx, eventsFor(ctx.quick));
  const postgres = await startTestPostgres();
  ctx.defer(() => postgres.stop());
  return { ...f, postgres };
}

/** A deterministic spread of businesses: every run asks the same ones in the same order. */
const businessOf = (i: number, businesses: number) => sampleUscc((i * 7919) % businesses);

/**
 * Runs the projector with its PostgreSQL writer over the whole stream into a fresh database, as
 * the projector's entry point wires them; returns when PostgreSQL's position is the last event.
 */
export async function catchUpIntoPostgres(
  run: RunContext,
  f: PgFixture,
  url: string,
  dataDir: string,
): Promise<{ ms: number; localMs: number; shipments: number; vacuums: number; vacuumMs: number }> {
  // Migrated first, as the projector's entry point does before it starts the writer.
  await (await openPostgresReadModel({ url, max: 1 })).destroy();
  const writer = createPgWriter({ dataDir, url, log: silentLogger(), logLevel: 'silent' });
  await writer.prepare();
  const projector = createProjector({
    nc: f.nats.nc,
    readModelPath: currentReadModelPath(dataDir),
    mode: 'rebuild',
    onBatch: () => writer.kick(),
  });
  run.defer(() => projector.stop().catch(() => undefined));
  run.defer(() => writer.stop());
  const t0 = performance.now();
  writer.start();
  await projector.start();
  await projector.catchUp();
  const localMs = performance.now() - t0;
  await projector.stop();
  // The writer ships on its own thread: the catch-up ends when PostgreSQL holds the last event.
  for (;;) {
    writer.kick();
    await writer.idle();
    const s = writer.status();
    if (s.pgPosition >= f.total) break;
    if (s.lastError !== undefined) throw new Error(`PostgreSQL writer: ${s.lastError}`);
  }
  const ms = performance.now() - t0;
  const stats = projector.stats();
  if (stats.appliedSeq !== f.total || stats.deadLetters !== 0) {
    throw new Error(
      `projector: applied up to ${stats.appliedSeq} of ${f.total}, ${stats.deadLetters} dead letters — the bench workload is being refused`,
    );
  }
  const { shipments } = writer.status();
  // What the writer does next with nothing left to ship after a large catch-up: VACUUM (ANALYZE)
  // of the read model (pg-shipper.ts). Not part of the catch-up's time; the reads come after it.
  const vacuumStarted = performance.now();
  await waitFor(
    () => {
      const s = writer.status();
      return !s.vacuuming && s.rowsSinceVacuum < PG_VACUUM_AFTER_ROWS ? true : undefined;
    },
    { timeoutMs: 30 * 60_000, what: 'the PostgreSQL writer’s VACUUM (ANALYZE)' },
  );
  const vacuums = writer.status().vacuums;
  await writer.stop();
  return { ms, localMs, shipments, vacuums, vacuumMs: performance.now() - vacuumStarted };
}

async function historyLatencies(run: RunContext, url: string, dataDir: string, total: number) {
  const queries = queriesFor(run.quick);
  const businesses = businessesFor(total);
  const out: Measurement[] = [];
  const db = await openPostgresReadModel({ url, max: 1, migrate: false });
  try {
    // Planner statistics (the writer's VACUUM (ANALYZE) leaves them after a large catch-up, and
    // autovacuum within a minute of a smaller one): the queries measure the steady state.
    await sql`ANALYZE`.execute(db);
    const samples: number[] = [];
    // The first WARMUP queries warm the buffer cache, the plans and the JIT; only the rest are timed.
    for (let i = -WARMUP; i < queries; i++) {
      const t0 = performance.now();
      const page = await getHistoryRows(db, businessOf(i + WARMUP, businesses), { limit: LIMIT });
      if (i >= 0) samples.push(performance.now() - t0);
      if (page.events.length === 0) throw new Error('store: empty history');
    }
    const p = percentiles(samples);
    out.push(latency('history, store p50', p.p50), latency('history, store p99', p.p99));
  } finally {
    await db.destroy();
  }

  // With READ_MODEL_URL the query API's tokens are in PostgreSQL.
  const tokens = await openPostgresTokens(url);
  const { token } = await tokens
    .issue({ name: 'bench', scopes: ['committee'] })
    .finally(() => tokens.close());
  const api = await startService(
    run,
    'query-api',
    { HUB_DATA_DIR: dataDir, READ_MODEL_URL: url },
    async (u) => (await fetch(`${u}/healthz`)).status === 200,
  );
  const client = httpClient(api.url, { token, sockets: 1 });
  try {
    const samples: number[] = [];
    for (let i = -WARMUP; i < queries; i++) {
      const t0 = performance.now();
      const res = await client.get(
        `/v1/businesses/${businessOf(i + WARMUP, businesses)}/history?limit=${LIMIT}`,
      );
      if (i >= 0) samples.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
    const p = percentiles(samples);
    out.push(latency('history, HTTP p50', p.p50), latency('history, HTTP p99', p.p99));
  } finally {
    client.close();
    await api.stop();
  }
  return out;
}

export const hubPg: Scenario<PgFixture> = {
  name: 'hub-pg',
  title: 'PostgreSQL 读模型：追赶与历史查询 (catch-up into PostgreSQL vs naive COPY; history on PostgreSQL)',
  unavailable: () =>
    Promise.resolve(
      serviceMissing('query-api') ??
        (findPostgresBin()
          ? undefined
          : '未找到 PostgreSQL (initdb/pg_ctl not found: install postgresql or set PG_BIN)'),
    ),
  sizes: (quick) => ({
    events: eventsFor(quick),
    businesses: businessesFor(eventsFor(quick)),
    rowsPerQuery: LIMIT,
    queries: queriesFor(quick),
  }),
  runs: { full: 2, quick: 1 },
  setup,
  run: (ctx, f, runIndex) =>
    scoped(ctx, async (run) => {
      const data = tempDir('hub-bench-pg-');
      run.defer(() => rmSync(data.path, { recursive: true, force: true }));
      const url = await f.postgres.createDatabase(`hub_run_${runIndex}`);
      const catchUp = await catchUpIntoPostgres(run, f, url, data.path);
      ctx.log(
        `PostgreSQL holds ${f.total.toLocaleString('en-US')} events after ${(catchUp.ms / 1000).toFixed(1)} s ` +
          `(working copy at ${(catchUp.localMs / 1000).toFixed(1)} s, ${catchUp.shipments} shipments; ` +
          `${catchUp.vacuums} VACUUM (ANALYZE) by the writer, the last done ${(catchUp.vacuumMs / 1000).toFixed(1)} s later)`,
      );
      const naiveUrl = await f.postgres.createDatabase(`naive_run_${runIndex}`);
      const naiveMs = await runNaivePgPipeline(f.nats.js, naiveUrl, f.total);
      return [
        throughput('catch-up into PostgreSQL', f.total, catchUp.ms),
        throughput('naive COPY pipeline, one table', f.total, naiveMs),
        throughput('catch-up, working copy alone', f.total, catchUp.localMs),
        ...(await historyLatencies(run, url, data.path, f.total)),
      ];
    }),
};
