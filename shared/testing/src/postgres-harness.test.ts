/**
 * The throwaway PostgreSQL cluster: starts on a free port, serves a fresh database, and is gone
 * (process and folder) after stop. Skipped only with HUB_TEST_PG=off.
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_TESTS_OFF, startTestPostgres, type TestPostgres } from './postgres-harness.js';

describe.skipIf(PG_TESTS_OFF)('startTestPostgres', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves a fresh database over TCP', async () => {
    const url = await server.createDatabase('harness_check');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; v: string }>(
        'SELECT current_database() AS db, current_setting($1) AS v',
        ['server_version_num'],
      );
      expect(rows[0]?.db).toBe('harness_check');
      expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(130000);
    } finally {
      await client.end();
    }
  });

  it('stops by PID and removes its folder', async () => {
    const other = await startTestPostgres();
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
    expect(other.running()).toBe(false);
  });
});
