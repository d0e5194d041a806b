/** Every scenario, in the order they run, and the ratios computed between their figures. */
import type { BoundDefinition, RatioDefinition } from '../lib/derived.js';
import type { Scenario } from '../lib/types.js';
import { ceilingJetStream } from './ceiling-jetstream.js';
import { ceilingSqlite } from './ceiling-sqlite.js';
import { peerEmmett } from './peer-emmett.js';
import { hubProjector } from './hub-projector.js';
import { hubIngest } from './hub-ingest.js';
import { hubHistory } from './hub-history.js';
import { hubAlerts } from './hub-alerts.js';
import { hubSignatures } from './hub-signatures.js';
import { hubDashboard } from './hub-dashboard.js';
import { hubRetrospective } from './hub-retrospective.js';
import { hubReconcile } from './hub-reconcile.js';
import { hubPg } from './hub-pg.js';
import { hubCluster } from './hub-cluster.js';
import { hubVerify } from './hub-verify.js';

export const SCENARIOS: readonly Scenario[] = [
  ceilingJetStream,
  ceilingSqlite,
  peerEmmett,
  hubIngest,
  hubProjector,
  hubHistory,
  hubAlerts,
  hubSignatures,
  hubDashboard,
  hubRetrospective,
  hubReconcile,
  hubPg,
  hubCluster,
  hubVerify,
] as Scenario[];

export const RATIOS: readonly RatioDefinition[] = [
  {
    name: 'ingest, signatures on ÷ off',
    description:
      'records posted to an agency service (50 per request, 202 after the durable commit) until every one is on the stream, the service signing as it runs against the same service unsigned, same run',
    numerator: ['hub-signatures', 'ingest through the service, signed'],
    denominator: ['hub-signatures', 'ingest through the service, unsigned'],
    atLeast: 0.9,
    percent: true,
  },
  {
    name: 'relay stage, signatures on ÷ off',
    description:
      "the stage of ingest that signs, alone: a relay draining an outbox, signing as the service's relay signs (a batch signature per department and read), against unsigned, same run",
    numerator: ['hub-signatures', 'relay stage, signed'],
    denominator: ['hub-signatures', 'relay stage, unsigned'],
    percent: true,
  },
  {
    name: 'direct publish loop, signatures on ÷ off',
    description:
      'a bare publish loop (a department publishing directly) signing as the relay signs, against unsigned, same run: the signing CPU against a client that does nothing else',
    numerator: ['hub-signatures', 'publish, signed'],
    denominator: ['hub-signatures', 'publish, unsigned'],
    percent: true,
  },
  {
    name: 'catch-up, signatures on ÷ off',
    description: 'catch-up checking every signature against catch-up checking none, same run',
    numerator: ['hub-signatures', 'catch-up, signatures checked'],
    denominator: ['hub-signatures', 'catch-up, signatures off'],
    atLeast: 0.9,
    percent: true,
  },
  {
    name: 'projector catch-up ÷ naive pipeline',
    description: 'catch-up into every read model as a share of the naive single-table pipeline',
    numerator: ['hub-projector', 'catch-up, all read models'],
    denominator: ['hub-projector', 'naive single-table pipeline'],
    atLeast: 0.9,
    percent: true,
  },
  {
    name: 'projector catch-up ÷ JetStream consume+decode',
    description: 'share of the consume-and-decode ceiling',
    numerator: ['hub-projector', 'catch-up, all read models'],
    denominator: ['ceiling-jetstream', 'consume + protobuf decode'],
    percent: true,
  },
  {
    name: 'projector catch-up ÷ SQLite insert ceiling',
    description: 'share of raw batched inserts into one table',
    numerator: ['hub-projector', 'catch-up, all read models'],
    denominator: ['ceiling-sqlite', 'insert, 3 indexes, 10k-row tx'],
    percent: true,
  },
  {
    name: 'hub ÷ peer, one event per request, appended+projected',
    description:
      'single-event requests through the agency service until projected, against Emmett one event per append (inline projection)',
    numerator: ['hub-ingest', 'single events, appended and projected'],
    denominator: ['peer-emmett', 'one event per append'],
    atLeast: 3,
  },
  {
    name: 'hub ÷ peer, 50 events per request, appended+projected',
    description:
      "batches of one business's 50 events until projected, against Emmett appending a stream's 50 events together",
    numerator: ['hub-ingest', 'batched 50/request, appended and projected'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 2,
  },
  {
    name: 'hub ÷ peer, one event per request, 202 only',
    description:
      'single-event requests, 16 in flight, acknowledged (outbox durable) against Emmett one event per append',
    numerator: ['hub-ingest', 'single-event requests (202)'],
    denominator: ['peer-emmett', 'one event per append'],
    atLeast: 10,
  },
  {
    name: 'hub ÷ peer, 50 events per request, 202 only',
    description: "acknowledged (outbox durable) against Emmett appending a stream's 50 events together",
    numerator: ['hub-ingest', 'batched 50/request (202)'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 1,
  },
  {
    name: 'hub ÷ peer, 50 per request, 202 only, worst run',
    description: "the hub's slowest run against Emmett's fastest: above it in every run",
    numerator: ['hub-ingest', 'batched 50/request (202)'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 1,
    worstCase: true,
  },
  {
    name: 'hub ÷ peer, 500 per request, 202 only, worst run',
    description: "the hub's slowest run of 500-event requests against Emmett's fastest 50-event appends",
    numerator: ['hub-ingest', 'batched 500/request (202)'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 1,
    worstCase: true,
  },
  {
    name: 'batched ingest 50/request ÷ multi-row insert ceiling',
    description: 'accepted (202) against 50-row multi-row inserts of outbox rows, one durable commit each',
    numerator: ['hub-ingest', 'batched 50/request (202)'],
    denominator: ['ceiling-sqlite', 'multi-row insert, 50 per durable commit'],
    atLeast: 0.7,
    percent: true,
  },
  {
    name: 'batched ingest 500/request ÷ multi-row insert ceiling',
    description: 'accepted (202) against 500-row multi-row inserts of outbox rows, one durable commit each',
    numerator: ['hub-ingest', 'batched 500/request (202)'],
    denominator: ['ceiling-sqlite', 'multi-row insert, 500 per durable commit'],
    atLeast: 0.7,
    percent: true,
  },
  {
    name: 'single-event ingest ÷ durable-commit ceiling',
    description: 'requests per second against one fsynced SQLite commit per row',
    numerator: ['hub-ingest', 'single-event requests (202)'],
    denominator: ['ceiling-sqlite', 'one row per commit (WAL, sync FULL)'],
    percent: true,
  },
  {
    name: 'relay drain ÷ core-publish ceiling',
    description: 'outbox to JetStream against raw core publishes with ack tracking (the relay’s method)',
    numerator: ['hub-ingest', 'relay drain after NATS outage'],
    denominator: ['ceiling-jetstream', 'core publish + own ack tracking'],
    atLeast: 0.8,
    percent: true,
  },
  {
    name: 'relay drain ÷ signed core-publish ceiling',
    description:
      'the same against core publishes signed as the relay signs them (Ed25519 per message): the share of what a signing relay can reach',
    numerator: ['hub-ingest', 'relay drain after NATS outage'],
    denominator: ['ceiling-jetstream', 'core publish + own ack tracking, signed'],
    percent: true,
  },
  {
    name: 'PostgreSQL catch-up ÷ naive COPY pipeline',
    description:
      'catch-up into a PostgreSQL read model (working copy shipped by the writer thread) as a share of COPY into one PostgreSQL table, same stream, same run',
    numerator: ['hub-pg', 'catch-up into PostgreSQL'],
    denominator: ['hub-pg', 'naive COPY pipeline, one table'],
    atLeast: 0.7,
    percent: true,
  },
  {
    name: 'ingest into a 3-node R3 cluster ÷ one node',
    description:
      'batches of 50 through the agency service until JetStream acknowledged them all, on a loopback 3-node cluster with every stream R3 against one nats-server, same run',
    numerator: ['hub-cluster', '3 nodes R3: 50/request → JetStream'],
    denominator: ['hub-cluster', '1 node: 50/request → JetStream'],
    atLeast: 0.6,
    percent: true,
  },
  {
    name: 'single-event ingest, 3-node R3 cluster ÷ one node',
    description: 'one event per request, 16 in flight, until JetStream acknowledged them all, same run',
    numerator: ['hub-cluster', '3 nodes R3: single events → JetStream'],
    denominator: ['hub-cluster', '1 node: single events → JetStream'],
    percent: true,
  },
  {
    name: 'as-of replay ÷ catch-up',
    description: 'replay bounded by time against the unbounded catch-up',
    numerator: ['hub-projector', 'as-of replay (until stream time)'],
    denominator: ['hub-projector', 'catch-up, all read models'],
    atLeast: 0.95,
    percent: true,
  },
];

export const BOUNDS: readonly BoundDefinition[] = [
  {
    name: 'read model checks that differ at scale',
    description:
      'hub verify and verify --chain after the catch-up and after hub rebuild, the as-of replay and the rebuild compared with the live file, and dead letters in the catch-up (1 M events; quick: 100 k): any is a bug',
    figure: ['hub-verify', 'checks that differ'],
    atMost: 0,
    unit: 'checks',
  },
  {
    name: 'projector peak RSS during catch-up',
    description: 'resident memory of the process catching up (1 M events; quick: 100 k), sampled every 50 ms',
    figure: ['hub-projector', 'peak RSS during catch-up'],
    atMost: 1024,
    unit: 'MiB',
  },
  {
    name: 'publish → visible in history p99',
    description: 'one event at 3 000 ev/s background until its timeline row is readable (quick: 2 000 ev/s)',
    figure: ['hub-alerts', 'publish → visible in history p99'],
    atMost: 50,
  },
  {
    name: 'publish → duplicate alert readable p99',
    description: 'the second routine inspection at 3 000 ev/s background until its alert is readable',
    figure: ['hub-alerts', 'publish → alert readable p99'],
    atMost: 100,
  },
  {
    name: 'projector lag at the end of the alert load',
    description:
      'events published and not yet applied when the last trigger is measured: more than a second of the background load means the projector falls behind and the latencies measure its backlog',
    figure: ['hub-alerts', 'projector lag at the end'],
    atMost: 3000,
    unit: 'events',
  },
  {
    name: 'history p99 in the store',
    description:
      '100-row history of one business with 1 M events in the read model, read as the endpoint reads it (payloads as stored text)',
    figure: ['hub-history', 'store p99'],
    atMost: 2,
  },
  {
    name: 'history p99 over HTTP',
    description: 'the same through the query API (token, validation, access log, JSON)',
    figure: ['hub-history', 'HTTP p99'],
    atMost: 5,
  },
  {
    name: 'history p99 on PostgreSQL, in the store',
    description: '100-row history of one business with 1 M events in a PostgreSQL read model (quick: 100 k)',
    figure: ['hub-pg', 'history, store p99'],
    atMost: 5,
  },
  {
    name: 'history p99 on PostgreSQL, over HTTP',
    description: 'the same through the query API reading PostgreSQL (READ_MODEL_URL)',
    figure: ['hub-pg', 'history, HTTP p99'],
    atMost: 10,
  },
  {
    name: 'dashboard business page p99',
    description: 'navigation to a 1 000-event timeline on screen, headless Chromium',
    figure: ['hub-dashboard', 'navigation → timeline p99'],
    atMost: 1000,
  },
  {
    name: 'dashboard initial JS',
    description: 'JS loaded by the first page, gzipped (kB)',
    figure: ['hub-dashboard', 'initial JS, gzipped'],
    atMost: 300,
    unit: 'kB',
  },
];
