/**
 * History query latency with 1 M events (quick: 100 k) in the read model: a business's
 * 100-row history in the store (`getHistoryRows` of @hub/query-api, what the endpoint reads, no
 * HTTP; and `getHistory`, which also parses the payloads) and over HTTP from the
 * query API process (token check, validation, access log, masking, JSON included); and the
 * same as of the middle of the year. One request at a time: latency, not throughput. The
 * catch-up that builds the read model is reported too (once: it is built before the runs).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { issueToken } from '@hub/platform';
import { currentReadModelPath, openReadModel, readModelDir } from '@hub/read-model';
import { getHistory, getHistoryRows } from '@hub/query-api';
import { sampleUscc, tempDir } from '@hub/testing';
import { httpClient } from '../lib/http.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { percentiles } from '../lib/stats.js';
import { latency, throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import { businessesFor, occurredAtOf } from '../lib/workload.js';
import { preloadStream, project } from './hub-projector.js';
import { eventsAtScale } from '../lib/scale.js';

const eventsFor = (quick: boolean) => eventsAtScale(quick, 1_000_000, 50_000);
const queriesFor = (quick: boolean) => (quick ? 1_000 : 5_000);
const LIMIT = 100;
const WARMUP = 200;

interface HistoryFixture extends Record<string, unknown> {
  dataDir: string;
  total: number;
  businesses: number;
  /** How long building the read model took (a catch-up into every read model), ms. */
  buildMs: number;
}

async function setup(ctx: RunContext): Promise<HistoryFixture> {
  const total = eventsFor(ctx.quick);
  const f = await preloadStream(ctx, total);
  const data = tempDir('hub-bench-history-');
  ctx.defer(() => rmSync(data.path, { recursive: true, force: true }));
  mkdirSync(readModelDir(data.path), { recursive: true });
  const built = await project(ctx, f, 'rebuild', undefined, currentReadModelPath(data.path));
  ctx.log(
    `read model of ${total.toLocaleString('en-US')} events built in ${(built.ms / 1000).toFixed(1)} s (${built.path})`,
  );
  await f.nats.server.stop();
  return { dataDir: data.path, total, businesses: businessesFor(total), buildMs: built.ms };
}

/** CPU time a process has used (ms, user + system), from /proc; undefined where there is none. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    const ticks = Number(fields?.[11]) + Number(fields?.[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** A deterministic spread of businesses: every run asks the same ones in the same order. */
const businessOf = (i: number, businesses: number) => sampleUscc((i * 7919) % businesses);

export const hubHistory: Scenario<HistoryFixture> = {
  name: 'hub-history',
  title: '企业历史查询延迟 (history query latency, store and HTTP)',
  unavailable: () => Promise.resolve(serviceMissing('query-api')),
  sizes: (quick) => ({
    events: eventsFor(quick),
    businesses: businessesFor(eventsFor(quick)),
    rowsPerQuery: LIMIT,
    queries: queriesFor(quick),
  }),
  runs: { full: 3, quick: 1 },
  setup,
  async run(ctx, f, runIndex) {
    const queries = queriesFor(ctx.quick);
    const asOf = occurredAtOf(f.total / 2, f.total);
    // The read model is built once, before the first run: its catch-up is a figure of that run
    // (with `--scale 10m`, the catch-up at 10 M events without building it twice).
    const out: Measurement[] =
      runIndex === 0 ? [throughput('catch-up building the read model', f.total, f.buildMs)] : [];

    const db = openReadModel({ path: currentReadModelPath(f.dataDir) });
    try {
      // `store`: the page as the history endpoint reads it (getHistoryRows: payloads as the stored
      // JSON text, which the answer carries as it is); `payloads parsed`: getHistory, which also
      // parses every payload into an object (what an in-process caller such as an audit tool gets).
      for (const [label, read, opts] of [
        ['store', getHistoryRows, { limit: LIMIT }],
        ['store, as of mid-year', getHistoryRows, { limit: LIMIT, asOf }],
        ['store, payloads parsed', getHistory, { limit: LIMIT }],
      ] as const) {
        const samples: number[] = [];
        // The first WARMUP queries warm the page cache and the JIT; only the rest are timed.
        for (let i = -WARMUP; i < queries; i++) {
          const t0 = performance.now();
          const page = await read(db, businessOf(i + WARMUP, f.businesses), opts);
          if (i >= 0) samples.push(performance.now() - t0);
          if (page.events.length === 0) throw new Error(`${label}: empty history`);
        }
        const p = percentiles(samples);
        out.push(latency(`${label} p50`, p.p50), latency(`${label} p99`, p.p99));
      }
    } finally {
      await db.destroy();
    }

    const { token } = issueToken(f.dataDir, { name: 'bench', scopes: ['committee'] });
    const api = await startService(
      ctx,
      'query-api',
      { HUB_DATA_DIR: f.dataDir },
      async (url) => (await fetch(`${url}/healthz`)).status === 200,
    );
    const client = httpClient(api.url, { token, sockets: 1 });
    try {
      const samples: number[] = [];
      let cpuAtStart: number | undefined;
      for (let i = -WARMUP; i < queries; i++) {
        if (i === 0) cpuAtStart = cpuMsOf(api.pid);
        const t0 = performance.now();
        const res = await client.get(
          `/v1/businesses/${businessOf(i + WARMUP, f.businesses)}/history?limit=${LIMIT}`,
        );
        if (i >= 0) samples.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      }
      const p = percentiles(samples);
      out.push(latency('HTTP p50', p.p50), latency('HTTP p99', p.p99));
      // The server's own CPU time per read (user + system, all its threads): unlike the
      // latencies, it hardly moves with what else the machine runs.
      const cpuAtEnd = cpuMsOf(api.pid);
      if (cpuAtStart !== undefined && cpuAtEnd !== undefined)
        out.push(latency('HTTP, query API CPU per read', (cpuAtEnd - cpuAtStart) / queries));
    } finally {
      client.close();
      await api.stop();
    }
    return out;
  },
};
