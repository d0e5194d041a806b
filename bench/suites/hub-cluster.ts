/**
 * Ingest through an agency service (market supervision, its own process, as in hub-ingest) into
 * a 3-node JetStream cluster on loopback ports (deploy/nats/cluster.conf, the service with its
 * own restricted user, every stream R3: each publish is acknowledged once a majority of the
 * three nodes stored it), against the same load through one nats-server (R1), in the same run.
 * Timed from the first request until the outbox is drained: every event accepted (202) and
 * acknowledged by JetStream.
 */
import { rmSync } from 'node:fs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@hub/domain';
import { ensureStreams, issueToken } from '@hub/platform';
import { startTestNatsCluster, tempDir } from '@hub/testing';
import { httpClient, load, type HttpClient } from '../lib/http.js';
import { startBenchNats } from '../lib/nats.js';
import { scoped } from '../lib/scope.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import { submittedInspection } from '../lib/workload.js';

const SERVICE = 'market-supervision';
export const ONE = '1 node';
export const THREE = '3 nodes R3';
const PER_REQUEST = 50;
const CONCURRENCY = 4;
const SINGLE_CONCURRENCY = 16;
/** Events sent before the timed load, in batches of 10. */
const WARMUP = 500;
const sizes = (quick: boolean) =>
  quick ? { batchedEvents: 10_000, singleRequests: 1_000 } : { batchedEvents: 50_000, singleRequests: 5_000 };

async function drained(client: HttpClient, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const s = JSON.parse((await client.get('/v1/outbox/stats')).body) as { pending: number };
    if (s.pending === 0) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('outbox did not drain');
}

async function agencyEventsOnStream(js: JetStreamClient): Promise<number> {
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: 'enf.evt.GSJ.>' });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

/** The service over `nats`, the load through it; figures labelled with `label`. */
async function ingest(
  run: RunContext,
  label: string,
  natsEnv: Record<string, string>,
  js: JetStreamClient,
): Promise<Measurement[]> {
  const n = sizes(run.quick);
  const data = tempDir('hub-bench-cluster-');
  run.defer(() => rmSync(data.path, { recursive: true, force: true }));
  const { token } = issueToken(data.path, { name: 'bench', scopes: ['ingest:GSJ'] });
  const service = await startService(
    run,
    SERVICE,
    { ...natsEnv, HUB_DATA_DIR: data.path },
    async (url) => (await fetch(`${url}/healthz`)).status === 200,
  );
  const client = httpClient(service.url, { token, sockets: SINGLE_CONCURRENCY });
  run.defer(() => client.close());
  const total = WARMUP + n.singleRequests + n.batchedEvents;
  const out: Measurement[] = [];
  // Untimed: the service's JIT, its outbox file and its NATS connection warmed up.
  await load(client, '/v1/events', WARMUP / 10, CONCURRENCY, (b) =>
    JSON.stringify({ events: Array.from({ length: 10 }, (_, k) => submittedInspection(b * 10 + k, total)) }),
  );
  await drained(client);

  let start = performance.now();
  await load(
    client,
    '/v1/events',
    n.singleRequests,
    SINGLE_CONCURRENCY,
    (i) => JSON.stringify(submittedInspection(WARMUP + i, total)),
    202,
  );
  out.push(
    throughput(`${label}: single events → JetStream`, n.singleRequests, (await drained(client)) - start),
  );

  start = performance.now();
  const ms = await load(client, '/v1/events', n.batchedEvents / PER_REQUEST, CONCURRENCY, (b) =>
    JSON.stringify({
      events: Array.from({ length: PER_REQUEST }, (_, k) =>
        submittedInspection(WARMUP + n.singleRequests + b * PER_REQUEST + k, total),
      ),
    }),
  );
  out.push(throughput(`${label}: ${PER_REQUEST}/request (202)`, n.batchedEvents, ms));
  out.push(
    throughput(
      `${label}: ${PER_REQUEST}/request → JetStream`,
      n.batchedEvents,
      (await drained(client)) - start,
    ),
  );
  await service.stop();
  const onStream = await agencyEventsOnStream(js);
  if (onStream !== total)
    throw new Error(`${label}: stream holds ${onStream} GSJ events, ${total} were accepted`);
  return out;
}

export const hubCluster: Scenario = {
  name: 'hub-cluster',
  title: '三节点集群接收 (agency service ingest into a 3-node R3 JetStream cluster vs one node)',
  unavailable: () => Promise.resolve(serviceMissing(SERVICE)),
  sizes: (quick) => ({
    ...sizes(quick),
    perRequest: PER_REQUEST,
    batchConcurrency: CONCURRENCY,
    singleConcurrency: SINGLE_CONCURRENCY,
    nodes: 3,
    replicas: 3,
  }),
  runs: { full: 3, quick: 1 },
  run: (ctx, _f, runIndex) =>
    scoped(ctx, async (run) => {
      const oneNode = () =>
        scoped(run, async (r) => {
          const nats = await startBenchNats(r);
          return ingest(r, ONE, { NATS_URL: nats.server.url }, nats.js);
        });
      const cluster = () =>
        scoped(run, async (r) => {
          const c = await startTestNatsCluster();
          r.defer(() => c.stop());
          const admin = await connect({
            servers: c.servers,
            ...c.user('admin'),
            noAsyncTraces: true,
          });
          r.defer(() => admin.close());
          // As `hub streams apply --replicas 3` does; the service's own user may not manage streams.
          const jsm = await ensureStreams(admin, 3);
          const replicas = (await jsm.streams.info(EVENTS_STREAM)).config.num_replicas;
          if (replicas !== 3) throw new Error(`${EVENTS_STREAM} has ${replicas} replicas, expected 3`);
          return ingest(r, THREE, c.envFor(SERVICE), jetstream(admin));
        });
      // Every other run starts with the cluster: neither side always gets the colder machine.
      if (runIndex % 2 === 1) {
        const three = await cluster();
        return [...(await oneNode()), ...three];
      }
      const one = await oneNode();
      return [...one, ...(await cluster())];
    }),
};
