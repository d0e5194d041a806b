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
import { hubDashboard } from './hub-dashboard.js';

export const SCENARIOS: readonly Scenario[] = [
  ceilingJetStream,
  ceilingSqlite,
  peerEmmett,
  hubIngest,
  hubProjector,
  hubHistory,
  hubAlerts,
  hubDashboard,
] as Scenario[];

export const RATIOS: readonly RatioDefinition[] = [
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
    atLeast: 10,
  },
  {
    name: 'hub ÷ peer, 50 events per request, appended+projected',
    description:
      "batches of one business's 50 events until projected, against Emmett appending a stream's 50 events together",
    numerator: ['hub-ingest', 'batched 50/request, appended and projected'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 10,
  },
  {
    name: 'hub ÷ peer, one event per request, 202 only',
    description: 'acknowledged (outbox committed) against Emmett appended and projected',
    numerator: ['hub-ingest', 'single-event requests (202)'],
    denominator: ['peer-emmett', 'one event per append'],
    atLeast: 10,
  },
  {
    name: 'hub ÷ peer, 50 events per request, 202 only',
    description: 'acknowledged (outbox committed) against Emmett appended and projected',
    numerator: ['hub-ingest', 'batched 50/request (202)'],
    denominator: ['peer-emmett', "a stream's 50 events per append"],
    atLeast: 10,
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
    percent: true,
  },
  {
    name: 'as-of replay ÷ catch-up',
    description: 'replay bounded by time against the unbounded catch-up',
    numerator: ['hub-projector', 'as-of replay (until stream time)'],
    denominator: ['hub-projector', 'catch-up, all read models'],
    percent: true,
  },
];

export const BOUNDS: readonly BoundDefinition[] = [
  {
    name: 'history p99 in the store',
    description: '100-row history of one business with 1 M events in the read model',
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
  },
];
