/**
 * `node bench/dist/profile-pg-reads.js [events] [rounds]`
 *
 * Where a history read on the PostgreSQL read model spends its time: builds the read model as
 * `hub-pg` does (the bench's mixed workload, default 100 000 events, caught up by the projector
 * and shipped by its writer thread), prints the table's state after the catch-up (dead rows,
 * pages marked all-visible, autovacuum) and the plan of the history query (EXPLAIN ANALYZE,
 * BUFFERS), then times `rounds` rounds (default 3) of 1 000 reads in the store and over HTTP
 * (the query API process with READ_MODEL_URL), as `hub-pg` does, one at a time and 8 at a time.
 *
 * `HUB_BENCH_QUERY_API_B=<dir>`: a second query API build (a copy of `services/query-api/dist`
 * made before a change, placed beside it, e.g. `services/query-api/dist-base`) started over the
 * same database; each round times both, alternating which goes first (A = the current build).
 */
import { readFileSync, rmSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { openPostgresTokens } from '@hub/platform';
import { getHistoryRows } from '@hub/query-api';
import { openPostgresReadModel, type ReadModelDatabase } from '@hub/read-model';
import { sampleUscc, startTestPostgres, tempDir } from '@hub/testing';
import type { HttpClient } from './lib/http.js';
import { httpClient } from './lib/http.js';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, waitFor } from '@hub/testing';
import { REPO_ROOT, serviceEntry, serviceNodeArgs } from './lib/service-process.js';
import { percentiles } from './lib/stats.js';
import type { RunContext } from './lib/types.js';
import { businessesFor } from './lib/workload.js';
import { catchUpIntoPostgres } from './suites/hub-pg.js';
import { preloadStream } from './suites/hub-projector.js';

const total = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const QUERIES = 1_000;
const WARMUP = 200;
const LIMIT = 100;
const cleanups: (() => void | Promise<void>)[] = [];
const ctx: RunContext = {
  quick: true,
  log: (m) => process.stderr.write(`${m}\n`),
  defer: (c) => cleanups.push(c),
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const out = (line: string) => process.stdout.write(`${line}\n`);
const businesses = businessesFor(total);
const businessOf = (i: number) => sampleUscc((i * 7919) % businesses);
const fmt = (p: { p50: number; p99: number; max: number }) =>
  `p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, max ${p.max.toFixed(1)} ms`;

async function tableState(db: Kysely<ReadModelDatabase>): Promise<void> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT c.relname, c.relpages, c.relallvisible, s.n_live_tup, s.n_dead_tup, s.n_ins_since_vacuum,
           s.last_autovacuum IS NOT NULL AS autovacuumed, s.last_autoanalyze IS NOT NULL AS autoanalyzed
    FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE c.relname IN ('timeline', 'businesses', 'access_log') ORDER BY 1`.execute(db);
  for (const r of rows) out(`  ${JSON.stringify(r)}`);
}

async function explain(db: Kysely<ReadModelDatabase>, uscc: string): Promise<void> {
  const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS)
    SELECT seq, event_id, agency, event_type, occurred_at, recorded_at, correlation_id, source_system,
           source_record_id, revision, subject_ref, target_event_id, business_name, payload_json, status,
           superseded_by_event_id, superseded_at
    FROM timeline WHERE uscc = ${uscc} ORDER BY occurred_at, seq LIMIT ${LIMIT + 1}`.execute(db);
  for (const r of rows) out(`  ${r['QUERY PLAN']}`);
}

async function storeRound(db: Kysely<ReadModelDatabase>): Promise<string> {
  const samples: number[] = [];
  for (let i = -WARMUP; i < QUERIES; i++) {
    const t0 = performance.now();
    await getHistoryRows(db, businessOf(i + WARMUP), { limit: LIMIT });
    if (i >= 0) samples.push(performance.now() - t0);
  }
  return fmt(percentiles(samples));
}

try {
  const f = await preloadStream(ctx, total);
  const postgres = await startTestPostgres();
  ctx.defer(() => postgres.stop());
  const data = tempDir('hub-prof-pg-reads-');
  ctx.defer(() => rmSync(data.path, { recursive: true, force: true }));
  const url = await postgres.createDatabase('reads');
  const c = await catchUpIntoPostgres(ctx, { ...f, postgres }, url, data.path);
  out(`catch-up: ${(c.ms / 1000).toFixed(1)} s, ${c.shipments} shipments`);
  await f.nats.server.stop();

  const db = await openPostgresReadModel({ url, max: 1, migrate: false });
  ctx.defer(() => db.destroy());
  out('after the catch-up:');
  await tableState(db);
  await explain(db, businessOf(WARMUP + 1));
  await explain(db, businessOf(WARMUP + 1));

  const tokens = await openPostgresTokens(url);
  const { token } = await tokens
    .issue({ name: 'bench', scopes: ['committee'] })
    .finally(() => tokens.close());
  const start = async (entry: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [...serviceNodeArgs('query-api'), entry], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        HUB_DATA_DIR: data.path,
        READ_MODEL_URL: url,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    ctx.defer(async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status === 200 || undefined,
      {
        timeoutMs: 60_000,
        what: 'query API ready',
      },
    );
    const one = httpClient(base, { token, sockets: 1 });
    const eight = httpClient(base, { token, sockets: 8 });
    ctx.defer(() => {
      one.close();
      eight.close();
    });
    return { one, eight };
  };
  const builds: [string, { one: HttpClient; eight: HttpClient }][] = [
    ['A', await start(serviceEntry('query-api'))],
  ];
  const other = process.env.HUB_BENCH_QUERY_API_B;
  if (other) builds.push(['B', await start(resolve(REPO_ROOT, other, 'main.js'))]);
  const get = async (client: HttpClient, i: number) => {
    const t0 = performance.now();
    const res = await client.get(`/v1/businesses/${businessOf(i)}/history?limit=${LIMIT}`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    return performance.now() - t0;
  };
  const httpRound = async (client: HttpClient) => {
    const samples: number[] = [];
    for (let i = -WARMUP; i < QUERIES; i++) {
      const ms = await get(client, i + WARMUP);
      if (i >= 0) samples.push(ms);
    }
    return fmt(percentiles(samples));
  };
  const concurrentRound = async (client: HttpClient) => {
    const samples: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < QUERIES) samples.push(await get(client, next++));
      }),
    );
    const rate = (QUERIES / (performance.now() - t0)) * 1000;
    return `${fmt(percentiles(samples))}, ${rate.toFixed(0)} reads/s`;
  };
  for (let r = 0; r < rounds; r++) {
    out(`round ${r + 1}: store ${await storeRound(db)}  (load ${loadavg()})`);
    const order = r % 2 === 0 ? builds : [...builds].reverse();
    for (const [name, c] of order) out(`round ${r + 1}: HTTP ${name}      ${await httpRound(c.one)}`);
    for (const [name, c] of order)
      out(`round ${r + 1}: HTTP ${name}, 8 in flight ${await concurrentRound(c.eight)}`);
  }
  out('at the end:');
  await tableState(db);
} finally {
  for (const c of cleanups.reverse()) await c();
}
