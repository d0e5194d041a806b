/**
 * The PostgreSQL writer after a rebuild (services/projector/src/pg/pg-shipper.ts), on real
 * PostgreSQL: when CURRENT names a rebuilt working copy that stands exactly where PostgreSQL
 * stands — nothing new to ship — PostgreSQL still holds the old projection (a tampered row, say),
 * so the writer copies the rebuilt one whole, without waiting for another event to arrive.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { join } from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@hub/platform';
import {
  currentReadModelPath,
  openPostgresReadModel,
  openReadModelFile,
  readModelDir,
  switchCurrentReadModel,
  type ReadModelDatabase,
} from '@hub/read-model';
import { PG_TESTS_OFF, startTestPostgres, tempDir, type TestPostgres } from '@hub/testing';
import { createPgShipper, prepareWorkingCopy } from '../services/projector/src/pg/pg-shipper.js';
import { applyTimelineRows } from './working-copy-rows.js';

describe.skipIf(PG_TESTS_OFF)('the PostgreSQL writer after a rebuild', () => {
  const dir = tempDir('hub-pg-switch-');
  let postgres: TestPostgres;
  let url: string;
  let db: Kysely<ReadModelDatabase>;
  let client: pg.Client;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase('switched');
    db = await openPostgresReadModel({ url, max: 2 });
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await db?.destroy();
    await postgres?.stop();
    dir.remove();
  });

  it('copies a rebuilt working copy whole even when it stands where PostgreSQL stands', async () => {
    await prepareWorkingCopy(dir.path);
    const live = await openReadModelFile(currentReadModelPath(dir.path));
    applyTimelineRows(live.sqlite, 0, 50);
    await live.db.destroy();
    const shipper = createPgShipper({
      dataDir: dir.path,
      db,
      url,
      log: silentLogger(),
      passMs: 3_600_000, // passes only when kicked
      lockPollMs: 0,
      vacuumAfterRows: 0,
    });
    try {
      shipper.start();
      await shipper.idle();
      expect(shipper.status()).toMatchObject({ role: 'active', pgPosition: 50, fullCopies: 0 });
      // A row altered in PostgreSQL; a rebuild from the stream, at the same position, has it right.
      await client.query(`UPDATE timeline SET payload_json = '{"altered":true}' WHERE seq = 5`);
      const rebuilt = join(readModelDir(dir.path), 'read-model-rebuilt.sqlite');
      const fresh = await openReadModelFile(rebuilt);
      applyTimelineRows(fresh.sqlite, 0, 50);
      await fresh.db.destroy();
      switchCurrentReadModel(dir.path, rebuilt);

      shipper.kick();
      await shipper.idle();
      expect(shipper.status()).toMatchObject({ pgPosition: 50, fullCopies: 1 });
      const row = await client.query<{ payload_json: string }>(
        'SELECT payload_json FROM timeline WHERE seq = 5',
      );
      expect(row.rows[0]?.payload_json).toBe('{}');
      const origin = await client.query<{ model_id: string }>('SELECT model_id FROM hub_pg_origin');
      expect(origin.rows[0]?.model_id).not.toBe('from-empty');

      // Then idle: nothing more is copied.
      shipper.kick();
      await shipper.idle();
      expect(shipper.status().fullCopies).toBe(1);
    } finally {
      await shipper.stop();
    }
  });
});
