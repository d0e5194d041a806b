/**
 * The access log on PostgreSQL (real PostgreSQL): group commit — one INSERT in flight, the rows of
 * reads that arrive meanwhile wait for it and share the next one — and no read answered before its
 * row is committed.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_TESTS_OFF, startTestPostgres, type TestPostgres } from '@hub/testing';
import type { AccessRecord } from './access-log.js';
import { openPostgresAccessLog } from './access-log-postgres.js';

const read = (uscc: string): AccessRecord => ({
  tokenId: 'tok_1',
  subject: '执委会办公室',
  roles: ['committee'],
  uscc,
  resource: 'history',
  query: 'limit=10',
  status: 200,
});

describe.skipIf(PG_TESTS_OFF)('access log on PostgreSQL', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it('commits the rows that arrive during a commit together in the next one, answering none before', async () => {
    const url = await postgres.createDatabase('access_log_group');
    let flushes = 0;
    const log = await openPostgresAccessLog({
      url,
      now: () => {
        flushes += 1;
        return new Date('2026-03-02T00:00:00Z');
      },
    });
    // Another session holds the table: the first INSERT waits for it.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    // Looks from outside the holder's transaction (which sees one snapshot of pg_stat_activity).
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE access_log IN EXCLUSIVE MODE');
      const done = new Set<string>();
      const first = log.record(read('A0')).then(() => done.add('A0'));
      // The first row's INSERT is sent (and waits on the lock) before the others arrive, one
      // event-loop turn apart: without group commit each would be a statement of its own.
      await waitUntilWaiting(watcher);
      const later = Array.from({ length: 20 }, async (_, i) => {
        for (let t = 0; t <= i; t++) await nextTurn();
        await log.record(read(`B${i}`));
        done.add(`B${i}`);
      });
      for (let t = 0; t < 30; t++) await nextTurn();
      expect(done.size).toBe(0); // nothing committed, nothing answered
      await holder.query('COMMIT');
      await Promise.all([first, ...later]);
      expect(done.size).toBe(21);
      expect(flushes).toBe(2); // A0 alone, then the twenty rows that waited for it in one INSERT
      const { rows } = await holder.query<{ n: string }>('SELECT count(*) AS n FROM access_log');
      expect(Number(rows[0]?.n)).toBe(21);
    } finally {
      await holder.end();
      await watcher.end();
      await log.close();
    }
  });

  it('rejects the reads of a batch that failed, and commits the next batch', async () => {
    const url = await postgres.createDatabase('access_log_failure');
    const log = await openPostgresAccessLog({ url });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE access_log RENAME TO access_log_away');
      await expect(Promise.all([log.record(read('X')), log.record(read('Y'))])).rejects.toThrow();
      await admin.query('ALTER TABLE access_log_away RENAME TO access_log');
      await log.record(read('Z'));
      const { entries } = await log.list({ limit: 10 });
      expect(entries.map((e) => e.uscc)).toEqual(['Z']);
    } finally {
      await admin.end();
      await log.close();
    }
  });

  it('commits what is queued before it closes', async () => {
    const url = await postgres.createDatabase('access_log_close');
    const log = await openPostgresAccessLog({ url });
    const recorded = Promise.all(['C1', 'C2', 'C3'].map((u) => log.record(read(u))));
    await log.close();
    await recorded;
    const again = await openPostgresAccessLog({ url });
    expect((await again.list({ limit: 10 })).entries.map((e) => e.uscc)).toEqual(['C3', 'C2', 'C1']);
    await again.close();
  });
});

/** Until some session waits for a lock (the first INSERT, behind the holder's). */
async function waitUntilWaiting(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'insert into \"access_log\"%'",
    );
    if (Number(rows[0]?.n) > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
