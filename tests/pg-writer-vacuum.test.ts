/**
 * The PostgreSQL writer's VACUUM (ANALYZE) after a large shipment (services/projector/src/pg/
 * pg-shipper.ts), on real PostgreSQL: once it has shipped `vacuumAfterRows` rows and has nothing
 * left to ship, it vacuums and analyzes the read model's tables (statistics, visibility map); a
 * smaller shipment after that starts none.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@hub/platform';
import {
  currentReadModelPath,
  openPostgresReadModel,
  openReadModelFile,
  type ReadModelDatabase,
  type SqliteDb,
} from '@hub/read-model';
import { PG_TESTS_OFF, startTestPostgres, tempDir, waitFor, type TestPostgres } from '@hub/testing';
import { createPgShipper, prepareWorkingCopy } from '../services/projector/src/pg/pg-shipper.js';
import { applyTimelineRows } from './working-copy-rows.js';

describe.skipIf(PG_TESTS_OFF)('the PostgreSQL writer vacuums after a large shipment', () => {
  const dir = tempDir('hub-pg-vacuum-');
  let postgres: TestPostgres;
  let url: string;
  let db: Kysely<ReadModelDatabase>;
  let client: pg.Client;
  let sqlite: SqliteDb;
  let close: () => Promise<void>;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase('vacuumed');
    // As a production server commits (the harness's default is off): an asynchronous commit's
    // rows cannot be marked all-visible until its WAL is flushed.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('ALTER DATABASE vacuumed SET synchronous_commit = on');
    await admin.end();
    db = await openPostgresReadModel({ url, max: 2 });
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await prepareWorkingCopy(dir.path);
    const opened = await openReadModelFile(currentReadModelPath(dir.path));
    sqlite = opened.sqlite;
    close = () => opened.db.destroy();
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await client?.end();
    await db?.destroy();
    await postgres?.stop();
    dir.remove();
  });

  const apply = (from: number, n: number) => applyTimelineRows(sqlite, from, n);

  const timelineStats = async () =>
    (
      await client.query<{ vacuumed: boolean; analyzed: boolean; allvisible: number }>(
        `SELECT s.last_vacuum IS NOT NULL AS vacuumed, s.last_analyze IS NOT NULL AS analyzed,
                c.relallvisible AS allvisible
         FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'timeline'`,
      )
    ).rows[0];

  it('vacuums and analyzes once idle after the threshold, and not after less', async () => {
    const shipper = createPgShipper({
      dataDir: dir.path,
      db,
      url,
      log: silentLogger(),
      passMs: 3_600_000, // passes only when kicked
      lockPollMs: 0,
      vacuumAfterRows: 500,
    });
    try {
      apply(0, 600);
      shipper.start();
      await shipper.idle();
      expect(shipper.status()).toMatchObject({ role: 'active', pgPosition: 600 });
      // The pass that shipped started none: a catch-up's shipments are not held up by it.
      expect(shipper.status().vacuums).toBe(0);
      expect(shipper.status().rowsSinceVacuum).toBeGreaterThanOrEqual(600);

      shipper.kick(); // nothing left to ship
      await shipper.idle();
      await waitFor(() => (shipper.status().vacuums === 1 ? true : undefined), {
        timeoutMs: 30_000,
        what: 'the VACUUM (ANALYZE)',
      });
      expect(shipper.status()).toMatchObject({ vacuuming: false, rowsSinceVacuum: 0 });
      const stats = await timelineStats();
      expect(stats).toMatchObject({ vacuumed: true, analyzed: true });
      expect(stats?.allvisible).toBeGreaterThan(0);

      // Fewer rows than the threshold since: shipped, and no second VACUUM.
      apply(600, 100);
      shipper.kick();
      await shipper.idle();
      shipper.kick();
      await shipper.idle();
      expect(shipper.status()).toMatchObject({
        pgPosition: 700,
        vacuums: 1,
        vacuuming: false,
        rowsSinceVacuum: 100,
      });
    } finally {
      await shipper.stop();
    }
  });
});
