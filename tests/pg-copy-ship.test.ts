/**
 * The shipper's COPY path (services/projector/src/pg/pg-copy-ship.ts) against `shipChanges` of
 * @hub/read-model on real PostgreSQL databases: the same change sets — values with tabs,
 * newlines, backslashes, quotes, Chinese text, NULL-looking text, large integers; updates and
 * deletions — leave both databases equal by the digest `hub verify` compares, and the COPY path
 * refuses exactly when `shipChanges` does (`behind`, `other-model`), changing nothing.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { join } from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installChangeCapture,
  openPostgresReadModel,
  openReadModelFile,
  pruneChanges,
  readChanges,
  shipChanges,
  type ReadModelDatabase,
  type SqliteDb,
} from '@hub/read-model';
import { digestPostgresReadModel } from '@hub/projector';
import { PG_TESTS_OFF, startTestPostgres, tempDir, type TestPostgres } from '@hub/testing';
import { shipChangesByCopy } from '../services/projector/src/pg/pg-copy-ship.js';

const AWKWARD = [
  'tab\there',
  'line\nbreak\r\nand return',
  'back\\slash \\N \\t',
  '\\N',
  'quote " and \' and {braces}, [a,b]',
  '企业名称（测试）— 城管局',
  '',
  '{"json":"value with \\"escapes\\" and \\\\n"}',
];

describe.skipIf(PG_TESTS_OFF)('shipping by COPY', () => {
  const dir = tempDir('hub-pg-copy-');
  let postgres: TestPostgres;
  let viaCopy: string;
  let viaUnnest: string;
  let unnestDb: Kysely<ReadModelDatabase>;
  let client: pg.Client;
  let sqlite: SqliteDb;
  let close: () => Promise<void>;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    viaCopy = await postgres.createDatabase('via_copy');
    viaUnnest = await postgres.createDatabase('via_unnest');
    await (await openPostgresReadModel({ url: viaCopy, max: 1 })).destroy();
    unnestDb = await openPostgresReadModel({ url: viaUnnest, max: 1 });
    client = new pg.Client({ connectionString: viaCopy });
    await client.connect();
    const opened = await openReadModelFile(join(dir.path, 'working-copy.sqlite'));
    sqlite = opened.sqlite;
    close = () => opened.db.destroy();
    installChangeCapture(sqlite);
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await client?.end();
    await unnestDb?.destroy();
    await postgres?.stop();
    dir.remove();
  });

  const setPosition = (seq: number) =>
    sqlite
      .prepare(
        "INSERT INTO projection_position (name, last_seq) VALUES ('events', ?) ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq",
      )
      .run(seq);

  /** Ships what is captured both ways, then forgets it; returns both answers. */
  const shipBoth = async () => {
    const changes = readChanges(sqlite);
    const byCopy = await shipChangesByCopy(client, changes);
    const byUnnest = await shipChanges(unnestDb, changes);
    expect(byCopy).toEqual(byUnnest);
    if (byCopy.kind === 'shipped') pruneChanges(sqlite, byCopy.position);
    return byCopy;
  };

  it('leaves PostgreSQL as shipChanges leaves it, awkward values, updates and deletions included', async () => {
    const meta = sqlite.prepare('INSERT OR REPLACE INTO read_model_meta (key, value) VALUES (?, ?)');
    const daily = sqlite.prepare(
      'INSERT INTO agency_activity_daily (agency, day, event_type, count) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (agency, day, event_type) DO UPDATE SET count = count + excluded.count',
    );
    sqlite.transaction(() => {
      AWKWARD.forEach((v, i) => meta.run(`awkward-${i}\t${v}`, v));
      for (let i = 0; i < 3000; i++)
        daily.run(i % 2 ? 'GSJ' : 'CGJ', `2026-01-${(i % 28) + 1}`, `t${i % 7}`, 1);
      daily.run('GSJ', '2026-12-31', 'big', 2 ** 40);
      setPosition(10);
    })();
    expect(await shipBoth()).toMatchObject({ kind: 'shipped', position: 10 });

    sqlite.transaction(() => {
      sqlite.prepare("DELETE FROM read_model_meta WHERE key LIKE 'awkward-1%'").run();
      sqlite.prepare("DELETE FROM agency_activity_daily WHERE agency = 'CGJ' AND day = '2026-01-3'").run();
      meta.run('awkward-0\ttab\there', 'changed\tvalue\\');
      daily.run('GSJ', '2026-01-2', 't1', 5);
      setPosition(20);
    })();
    expect(await shipBoth()).toMatchObject({ kind: 'shipped', position: 20 });

    const a = await digestPostgresReadModel(viaCopy);
    const b = await digestPostgresReadModel(viaUnnest);
    expect(a.rows.agency_activity_daily).toBe(b.rows.agency_activity_daily);
    expect(a.tables).toEqual(b.tables);
    const metaOf = async (url: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query<{ key: string; value: string }>(
          'SELECT key, value FROM read_model_meta ORDER BY key COLLATE "C"',
        );
        return r.rows;
      } finally {
        await c.end();
      }
    };
    const copied = await metaOf(viaCopy);
    expect(copied.filter((m) => m.key.startsWith('awkward-')).length).toBe(AWKWARD.length - 1);
    expect(copied).toEqual(await metaOf(viaUnnest));
    const r = await client.query<{ value: string }>('SELECT value FROM read_model_meta WHERE key = $1', [
      'awkward-0\ttab\there',
    ]);
    expect(r.rows[0]?.value).toBe('changed\tvalue\\');
  });

  it('refuses as shipChanges refuses, changing nothing', async () => {
    const before = await digestPostgresReadModel(viaCopy);
    const changes = readChanges(sqlite);
    // PostgreSQL ahead of the shipment: the working copy catches up first.
    expect(await shipChangesByCopy(client, { ...changes, position: 5 })).toEqual({
      kind: 'behind',
      pgPosition: 20,
    });
    // Another projection: only a full copy may replace it.
    expect(await shipChangesByCopy(client, { ...changes, modelId: 'another-model' })).toEqual({
      kind: 'other-model',
      pgPosition: 20,
      pgModel: changes.modelId,
    });
    expect((await digestPostgresReadModel(viaCopy)).all).toBe(before.all);
    // The connection is usable after a refusal (no transaction left open).
    expect((await client.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });
});
