/**
 * Ingest through one agency service (market supervision) as the launcher runs it — its own
 * process, real HTTP, the outbox committed (WAL, synchronous=FULL) before each 202, the relay
 * publishing to JetStream in the same process meanwhile, and the projector in its own process
 * applying what arrives: the peer's workload (append, then project), end to end. Then the
 * relay alone: events accepted while nats-server was stopped, drained when it returns.
 */
import { rmSync } from 'node:fs';
import { issueToken } from '@hub/platform';
import { tempDir } from '@hub/testing';
import { httpClient, load, type HttpClient } from '../lib/http.js';
import type { JetStreamClient } from '@nats-io/jetstream';
import { EVENTS_STREAM } from '@hub/domain';
import { startBenchNats, streamLastSeq } from '../lib/nats.js';
import { scoped } from '../lib/scope.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { percentiles } from '../lib/stats.js';
import { latency, throughput, type Measurement, type Scenario } from '../lib/types.js';
import { submittedInspection } from '../lib/workload.js';
import { STREAM_BATCH } from './peer-emmett.js';

const SERVICE = 'market-supervision';
const sizes = (quick: boolean) =>
  quick
    ? { singleRequests: 2_000, batched50Events: 5_000, batched500Events: 10_000, relayEvents: 10_000 }
    : { singleRequests: 10_000, batched50Events: 50_000, batched500Events: 100_000, relayEvents: 100_000 };
const SINGLE_CONCURRENCY = 16;
const BATCH_CONCURRENCY = 4;

interface OutboxStatsBody {
  pending: number;
  total: number;
}

const outboxStats = async (client: HttpClient): Promise<OutboxStatsBody> =>
  JSON.parse((await client.get('/v1/outbox/stats')).body) as OutboxStatsBody;

/** The projector's applied stream position, from its /metrics. */
async function appliedSeq(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^hub_projector_applied_seq\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

async function projected(url: string, seq: number, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await appliedSeq(url)) >= seq) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`projector did not reach ${seq}`);
}

/** Polls until the outbox holds nothing unpublished. Returns when it happened. */
export async function drained(client: HttpClient, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await outboxStats(client)).pending === 0) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('outbox did not drain');
}

/*
 * The projector's process also publishes a clock tick a minute into the stream (docs/decisions.md
 * D24): "projected" waits for the stream's last sequence once the outbox is drained, and the
 * final check counts the agency's events only.
 */
async function onStreamOnceDrained(client: HttpClient, js: JetStreamClient): Promise<number> {
  await drained(client);
  return streamLastSeq(js);
}

async function agencyEventsOnStream(js: JetStreamClient): Promise<number> {
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: 'enf.evt.GSJ.>' });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

export const hubIngest: Scenario = {
  name: 'hub-ingest',
  title: '机构服务接收与转发 (agency service ingest over HTTP, durable outbox; relay to JetStream)',
  unavailable: () => Promise.resolve(serviceMissing(SERVICE) ?? serviceMissing('projector')),
  sizes: (quick) => ({
    ...sizes(quick),
    singleConcurrency: SINGLE_CONCURRENCY,
    batchConcurrency: BATCH_CONCURRENCY,
  }),
  runs: { full: 3, quick: 1 },
  run: (ctx) =>
    scoped(ctx, async (run) => {
      const n = sizes(ctx.quick);
      const nats = await startBenchNats(run);
      const data = tempDir('hub-bench-ingest-');
      run.defer(() => rmSync(data.path, { recursive: true, force: true }));
      const { token } = issueToken(data.path, { name: 'bench', scopes: ['ingest:GSJ'] });
      const service = await startService(
        run,
        SERVICE,
        { NATS_URL: nats.server.url, HUB_DATA_DIR: data.path },
        async (url) => (await fetch(`${url}/healthz`)).status === 200,
      );
      const projector = await startService(
        run,
        'projector',
        { NATS_URL: nats.server.url, HUB_DATA_DIR: data.path },
        async (url) => (await fetch(`${url}/healthz`)).status === 200,
      );
      /*
       * New sockets for each load: the service closes a keep-alive connection idle for 5 s, and
       * the waits for the projector between loads can leave sockets idle that long on a busy
       * machine — a request sent on one as the server closes it fails with ECONNRESET.
       */
      let client = httpClient(service.url, { token, sockets: SINGLE_CONCURRENCY });
      run.defer(() => client.close());
      const freshClient = () => {
        client.close();
        client = httpClient(service.url, { token, sockets: SINGLE_CONCURRENCY });
        return client;
      };
      const out: Measurement[] = [];
      let offset = 0;
      const total = n.singleRequests + n.batched50Events + n.batched500Events + n.relayEvents;
      const event = (i: number) => submittedInspection(offset + i, total);

      // Single events: one request, one outbox commit, one 202.
      const lat: number[] = [];
      const singleStart = performance.now();
      const singleMs = await load(
        client,
        '/v1/events',
        n.singleRequests,
        SINGLE_CONCURRENCY,
        (i) => JSON.stringify(event(i)),
        202,
        (ms) => lat.push(ms),
      );
      out.push(throughput('single-event requests (202)', n.singleRequests, singleMs, 'req/s'));
      const p = percentiles(lat);
      out.push(latency('single-event request p50', p.p50), latency('single-event request p99', p.p99));
      offset += n.singleRequests;
      out.push(
        throughput(
          'single events, appended and projected',
          n.singleRequests,
          (await projected(projector.url, await onStreamOnceDrained(client, nats.js))) - singleStart,
        ),
      );

      for (const [size, count] of [
        [STREAM_BATCH, n.batched50Events],
        [500, n.batched500Events],
      ] as const) {
        const base = offset;
        const batches = count / size;
        const start = performance.now();
        const ms = await load(freshClient(), '/v1/events', batches, BATCH_CONCURRENCY, (b) =>
          JSON.stringify({
            events: Array.from({ length: size }, (_, k) => submittedInspection(base + b * size + k, total)),
          }),
        );
        out.push(throughput(`batched ${size}/request (202)`, count, ms));
        // Accepted and on the stream: the relay was publishing while requests came in.
        const done = await drained(client);
        out.push(throughput(`batched ${size}/request, through to JetStream`, count, done - start));
        offset += count;
        out.push(
          throughput(
            `batched ${size}/request, appended and projected`,
            count,
            (await projected(projector.url, await streamLastSeq(nats.js))) - start,
          ),
        );
      }

      // Relay alone: accept while nats-server is down, then time the drain once it is back.
      await projector.stop();
      await nats.server.stop();
      const base = offset;
      await load(freshClient(), '/v1/events', n.relayEvents / 500, BATCH_CONCURRENCY, (b) =>
        JSON.stringify({
          events: Array.from({ length: 500 }, (_, k) => submittedInspection(base + b * 500 + k, total)),
        }),
      );
      const before = (await outboxStats(client)).pending;
      const restarted = await nats.server.restart();
      run.defer(() => restarted.stop());
      // The clock starts at the first publish seen, not at the reconnect (500 ms backoff).
      let first: { at: number; pending: number } | undefined;
      while (!first) {
        const s = await outboxStats(client);
        if (s.pending < before) first = { at: performance.now(), pending: s.pending };
        else await new Promise((r) => setTimeout(r, 10));
      }
      const end = await drained(client);
      out.push(throughput('relay drain after NATS outage', first.pending, end - first.at));
      offset += n.relayEvents;

      const onStream = await agencyEventsOnStream(nats.js);
      if (onStream !== offset) {
        throw new Error(`stream holds ${onStream} GSJ events, ${offset} were accepted`);
      }
      return out;
    }),
};
