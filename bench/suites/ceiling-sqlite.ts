/**
 * Ceiling: raw better-sqlite3 writes on this disk. Batched inserts into one table with three
 * indexes (what any projection is bounded by); one durable commit per row (WAL,
 * synchronous=FULL: what a per-request outbox commit is bounded by); and multi-row inserts of 50
 * and 500 outbox rows per durable commit — the same rows, keys and table the agency services
 * store, one `INSERT … VALUES (…), (…)` statement per commit: what batched ingest is bounded by.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir, sampleUscc } from '@hub/testing';
import { scoped } from '../lib/scope.js';
import { throughput, type Scenario } from '../lib/types.js';
import { businessesFor, toBenchEvent, submittedMixed } from '../lib/workload.js';
import { newEventId } from '@hub/platform';

const rowsFor = (quick: boolean) => (quick ? 100_000 : 1_000_000);
const commitsFor = (quick: boolean) => (quick ? 2_000 : 10_000);
const TX = 10_000;

const SCHEMA = `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    uscc TEXT NOT NULL,
    agency TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    payload BLOB NOT NULL
  );
  CREATE INDEX events_business ON events (uscc, occurred_at);
  CREATE INDEX events_agency ON events (agency, occurred_at);
`;

type Row = [number, string, string, string, string, string, Uint8Array];

/** The agency services' outbox table (services/agency-gateway/src/outbox/schema.ts). */
const OUTBOX = `
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, agency TEXT NOT NULL,
    record_id TEXT NOT NULL, revision INTEGER NOT NULL, content_sha256 TEXT NOT NULL,
    subject TEXT NOT NULL, msg_id TEXT NOT NULL, body BLOB NOT NULL, accepted_at TEXT NOT NULL,
    published_at TEXT, stream_seq INTEGER, UNIQUE (agency, record_id, revision));
  CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
`;
/** Multi-row inserts: the ceiling of batched ingest, by rows per request. */
export const MULTI_ROW = [50, 500] as const;
const multiRowsFor = (quick: boolean) => (quick ? 10_000 : 50_000);

function multiRowInsert(path: string, perCommit: number, rows: number, body: Uint8Array): number {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(OUTBOX);
    const insert = db.prepare(
      `INSERT INTO outbox (event_id, agency, record_id, revision, content_sha256, subject, msg_id, body, accepted_at)
       VALUES ${Array.from({ length: perCommit }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    const hash = 'a'.repeat(64);
    let ms = 0;
    for (let start = 0; start < rows; start += perCommit) {
      const values: unknown[] = [];
      for (let i = start; i < start + perCommit; i++) {
        const recordId = `INS-${i}`;
        values.push(
          newEventId(),
          'GSJ',
          recordId,
          0,
          hash,
          `enf.evt.GSJ.inspection_completed.${sampleUscc(i % 1000)}`,
          `GSJ/${recordId}/0`,
          body,
          new Date().toISOString(),
        );
      }
      const t0 = performance.now();
      insert.run(values);
      ms += performance.now() - t0;
    }
    return ms;
  } finally {
    db.close();
  }
}

export const ceilingSqlite: Scenario = {
  name: 'ceiling-sqlite',
  title: '参考上限: better-sqlite3 写入 (raw SQLite inserts and durable commits)',
  sizes: (quick) => ({
    rows: rowsFor(quick),
    rowsPerTransaction: TX,
    durableCommits: commitsFor(quick),
    multiRowRows: multiRowsFor(quick),
  }),
  runs: { full: 3, quick: 1 },
  run: (ctx) =>
    scoped(ctx, async (run) => {
      const dir = tempDir('hub-bench-sqlite-');
      run.defer(() => dir.remove());
      const payload = toBenchEvent(submittedMixed(0, 1)).bytes;
      const n = rowsFor(ctx.quick);
      const businesses = businessesFor(n);
      const usccs = Array.from({ length: businesses }, (_, i) => sampleUscc(i));

      const db = new Database(join(dir.path, 'ceiling.sqlite'));
      run.defer(() => void db.close());
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)');
      const insertMany = db.transaction((rows: Row[]) => {
        for (const r of rows) insert.run(...r);
      });
      let ms = 0;
      for (let start = 0; start < n; start += TX) {
        const rows: Row[] = [];
        for (let i = start; i < Math.min(n, start + TX); i++) {
          rows.push([
            i + 1,
            newEventId(),
            usccs[i % businesses]!,
            'GSJ',
            'inspection_completed',
            new Date(1.76e12 + i * 1000).toISOString(),
            payload,
          ]);
        }
        const t0 = performance.now();
        insertMany(rows);
        ms += performance.now() - t0;
      }
      const batched = throughput(`insert, 3 indexes, ${TX / 1000}k-row tx`, n, ms, 'rows/s');

      const durable = new Database(join(dir.path, 'durable.sqlite'));
      run.defer(() => void durable.close());
      durable.pragma('journal_mode = WAL');
      durable.pragma('synchronous = FULL');
      durable.exec(SCHEMA);
      const one = durable.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)');
      const commits = commitsFor(ctx.quick);
      const t0 = performance.now();
      for (let i = 0; i < commits; i++) {
        one.run(
          i + 1,
          newEventId(),
          usccs[i % businesses]!,
          'GSJ',
          'inspection_completed',
          new Date().toISOString(),
          payload,
        );
      }
      const perRow = throughput(
        'one row per commit (WAL, sync FULL)',
        commits,
        performance.now() - t0,
        'rows/s',
      );
      const multi = MULTI_ROW.map((perCommit) => {
        const rows = multiRowsFor(ctx.quick);
        const ms = multiRowInsert(join(dir.path, `multi-${perCommit}.sqlite`), perCommit, rows, payload);
        return throughput(`multi-row insert, ${perCommit} per durable commit`, rows, ms, 'rows/s');
      });
      return Promise.resolve([batched, perRow, ...multi]);
    }),
};
