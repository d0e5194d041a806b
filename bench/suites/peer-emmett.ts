/**
 * The peer: the same workload on Emmett's SQLite event store — append inspection events and
 * project them, inline in the append's transaction, into a read model equivalent to the
 * hub's (inspections, business profile, business timeline, agency activity by day).
 * Emmett at its best here: one shared connection (its default opens one per call), WAL.
 */
import { join } from 'node:path';
import { tempDir } from '@hub/testing';
import { scoped } from '../lib/scope.js';
import { throughput, type RunContext, type Scenario } from '../lib/types.js';
import { submittedInspection } from '../lib/workload.js';

/*
 * The peer is installed into bench/node_modules by `npm run bench` (bench/install-peer.mjs), not
 * by the root `npm ci` (node-sqlite3 compiles from source). It is loaded at run time, and typed
 * here by the few calls the bench makes, so that the bench compiles without it.
 */
interface SQLiteConnection {
  command(sql: string, params?: unknown[]): Promise<unknown>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): void;
}
interface ProjectionContext {
  connection: SQLiteConnection;
}
interface PeerEventStore {
  appendToStream<E>(stream: string, events: E[]): Promise<unknown>;
}
interface EmmettSqlite {
  sqliteConnection(opts: { fileName: string }): SQLiteConnection;
  sqliteProjection<E>(def: {
    name: string;
    canHandle: string[];
    init(opts: { context: ProjectionContext }): Promise<void>;
    handle(events: E[], context: ProjectionContext): Promise<void>;
  }): unknown;
  getSQLiteEventStore(opts: {
    fileName: string;
    connectionOptions: { singleton: true; connection: SQLiteConnection };
    projections: { type: 'inline'; projection: unknown }[];
  }): PeerEventStore;
}

const PEER = '@event-driven-io/emmett-sqlite';
let loaded: Promise<EmmettSqlite> | undefined;
const loadPeer = (): Promise<EmmettSqlite> => (loaded ??= import(PEER) as Promise<EmmettSqlite>);

/** Events of one business appended together in the batched variant (and per hub batch request). */
export const STREAM_BATCH = 50;
const singleFor = (quick: boolean) => (quick ? 1_500 : 5_000);
const batchedFor = (quick: boolean) => (quick ? 5_000 : 25_000);

interface InspectionData extends Record<string, unknown> {
  agency: string;
  business: { uscc: string; name?: string };
  occurredAt: string;
  source: { system: string; recordId: string; revision: number };
  inspectionCompleted: { inspectionId: string; reason: string; result: string; matterCodes: string[] };
}
type InspectionEvent = { type: 'InspectionCompleted'; data: InspectionData };

const readModel = (emmett: EmmettSqlite) =>
  emmett.sqliteProjection<InspectionEvent>({
    name: 'hub-equivalent-read-model',
    canHandle: ['InspectionCompleted'],
    init: async ({ context }) => {
      const c = context.connection;
      await c.command(`CREATE TABLE IF NOT EXISTS inspections (
      agency TEXT NOT NULL, inspection_id TEXT NOT NULL, uscc TEXT NOT NULL, reason TEXT NOT NULL,
      result TEXT NOT NULL, occurred_at TEXT NOT NULL, PRIMARY KEY (agency, inspection_id))`);
      await c.command('CREATE INDEX IF NOT EXISTS inspections_business ON inspections (uscc, occurred_at)');
      await c.command(`CREATE TABLE IF NOT EXISTS businesses (
      uscc TEXT PRIMARY KEY, name TEXT, inspections INTEGER NOT NULL, last_event_at TEXT NOT NULL)`);
      await c.command(`CREATE TABLE IF NOT EXISTS timeline (
      uscc TEXT NOT NULL, occurred_at TEXT NOT NULL, agency TEXT NOT NULL, type TEXT NOT NULL, ref TEXT NOT NULL)`);
      await c.command('CREATE INDEX IF NOT EXISTS timeline_business ON timeline (uscc, occurred_at)');
      await c.command(`CREATE TABLE IF NOT EXISTS agency_days (
      agency TEXT NOT NULL, day TEXT NOT NULL, inspections INTEGER NOT NULL, PRIMARY KEY (agency, day))`);
    },
    // One multi-row statement per table per append (four round trips to sqlite3's thread,
    // whatever the number of events): the fastest way to use Emmett's projection API.
    handle: async (events, { connection: c }) => {
      const rows = events.map(({ data: e }) => ({ e, ins: e.inspectionCompleted }));
      const values = (n: number) =>
        rows.map(() => `(${Array.from({ length: n }, () => '?').join(', ')})`).join(', ');
      await c.command(
        `INSERT INTO inspections VALUES ${values(6)} ON CONFLICT DO NOTHING`,
        rows.flatMap(({ e, ins }) => [
          e.agency,
          ins.inspectionId,
          e.business.uscc,
          ins.reason,
          ins.result,
          e.occurredAt,
        ]),
      );
      await c.command(
        `INSERT INTO businesses VALUES ${rows.map(() => '(?, ?, 1, ?)').join(', ')} ON CONFLICT (uscc) DO UPDATE SET
         inspections = inspections + 1, name = coalesce(excluded.name, name), last_event_at = excluded.last_event_at`,
        rows.flatMap(({ e }) => [e.business.uscc, e.business.name ?? null, e.occurredAt]),
      );
      await c.command(
        `INSERT INTO timeline VALUES ${values(5)}`,
        rows.flatMap(({ e, ins }) => [
          e.business.uscc,
          e.occurredAt,
          e.agency,
          'inspectionCompleted',
          ins.inspectionId,
        ]),
      );
      await c.command(
        `INSERT INTO agency_days VALUES ${rows.map(() => '(?, ?, 1)').join(', ')}
         ON CONFLICT (agency, day) DO UPDATE SET inspections = inspections + 1`,
        rows.flatMap(({ e }) => [e.agency, e.occurredAt.slice(0, 10)]),
      );
    },
  });

async function openStore(run: RunContext) {
  const emmett = await loadPeer();
  const dir = tempDir('hub-bench-emmett-');
  run.defer(() => dir.remove());
  const connection = emmett.sqliteConnection({ fileName: join(dir.path, 'emmett.sqlite') });
  run.defer(async () => {
    connection.close();
    // sqlite3 closes asynchronously and Emmett's close() does not wait: let it finish before
    // the folder goes.
    await new Promise((r) => setTimeout(r, 200));
  });
  const store = emmett.getSQLiteEventStore({
    fileName: join(dir.path, 'emmett.sqlite'),
    connectionOptions: { singleton: true, connection },
    projections: [{ type: 'inline', projection: readModel(emmett) }],
  });
  // The first append creates the schema; keep it out of the timing.
  const warmup = event(0, 1);
  warmup.data.inspectionCompleted.inspectionId = 'WARMUP';
  await store.appendToStream<InspectionEvent>('business-warmup', [warmup]);
  return { store, connection };
}

const event = (i: number, n: number, businesses?: number): InspectionEvent => ({
  type: 'InspectionCompleted',
  data: submittedInspection(i, n, businesses) as InspectionData,
});

async function countRows(connection: SQLiteConnection): Promise<number> {
  const [row] = await connection.query<{ n: number }>('SELECT count(*) AS n FROM inspections');
  return (row?.n ?? 0) - 1;
}

export const peerEmmett: Scenario = {
  name: 'peer-emmett',
  title: '同类对照: Emmett SQLite 事件存储 + 内联投影 (peer: Emmett-SQLite, inline projection)',
  unavailable: () =>
    loadPeer().then(
      () => undefined,
      (err: unknown) =>
        `对照组未安装 (peer not installed: ${String(err).split('\n')[0]}); npm run bench installs it into bench/node_modules`,
    ),
  sizes: (quick) => ({
    singleAppends: singleFor(quick),
    batchedEvents: batchedFor(quick),
    eventsPerAppend: STREAM_BATCH,
  }),
  runs: { full: 3, quick: 1 },
  run: (ctx) =>
    scoped(ctx, async (run) => {
      const single = singleFor(ctx.quick);
      const a = await openStore(run);
      const events = Array.from({ length: single }, (_, i) => event(i, single));
      let t0 = performance.now();
      for (const e of events) await a.store.appendToStream(`business-${e.data.business.uscc}`, [e]);
      const oneByOne = throughput('one event per append', single, performance.now() - t0);
      if ((await countRows(a.connection)) !== single)
        throw new Error('emmett read model incomplete (one per append)');

      const batched = batchedFor(ctx.quick);
      const b = await openStore(run);
      const businesses = batched / STREAM_BATCH;
      const streams: InspectionEvent[][] = Array.from({ length: businesses }, () => []);
      for (let i = 0; i < batched; i++) {
        // Business of event i is i mod B (as submittedInspection picks it): group by it.
        streams[i % businesses]!.push(event(i, batched, businesses));
      }
      t0 = performance.now();
      for (const s of streams) await b.store.appendToStream(`business-${s[0]!.data.business.uscc}`, s);
      const together = throughput(
        `a stream's ${STREAM_BATCH} events per append`,
        batched,
        performance.now() - t0,
      );
      if ((await countRows(b.connection)) !== batched)
        throw new Error('emmett read model incomplete (batched)');
      return [oneByOne, together];
    }),
};
