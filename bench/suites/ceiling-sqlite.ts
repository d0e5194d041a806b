/**
 * Ceiling: raw better-sqlite3 writes on this disk. Two figures: batched inserts into one table
 * with three indexes (what any projection is bounded by), and one durable commit per row
 * (WAL, synchronous=FULL: what a per-request outbox commit is bounded by).
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

export const ceilingSqlite: Scenario = {
  name: 'ceiling-sqlite',
  title: '参考上限: better-sqlite3 写入 (raw SQLite inserts and durable commits)',
  sizes: (quick) => ({ rows: rowsFor(quick), rowsPerTransaction: TX, durableCommits: commitsFor(quick) }),
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
      return Promise.resolve([batched, perRow]);
    }),
};
