/**
 * PostgreSQL's read model copied, as one consistent snapshot (a REPEATABLE READ transaction),
 * into a new SQLite file. Two users:
 *
 * - the `hub` commands that check or read a read model file (`verify`, `verify --chain`): run on
 *   the snapshot they check exactly what PostgreSQL held at one position, while it moves on;
 * - a standby projector whose working copy lacks something PostgreSQL holds that the stream
 *   cannot give it again (a dead letter retried by the active projector): it continues from the
 *   snapshot instead. The file carries PostgreSQL's model id and position as its capture info, so
 *   its later changes ship incrementally.
 *
 * @example
 * const { position } = await snapshotPostgresToFile(pg, join(dir, 'snapshot.sqlite'));
 * digestReadModelFile(join(dir, 'snapshot.sqlite')); // equals digestPostgresReadModel(url)
 */
import { existsSync, rmSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { capturedTables, FROM_EMPTY_MODEL, setCaptureInfo } from './change-capture.js';
import { openReadModelFile, type SqliteDb } from './open.js';
import type { ReadModelDatabase } from './schema.js';

/**
 * `read_model_meta` key counting the dead-letter retries applied to a read model: what a standby's
 * working copy may lack (a retry is not in the stream), compared with PostgreSQL's.
 */
export const DLQ_RETRIES_META = 'dlq_retries';

/** Rows fetched per round trip. */
const FETCH = 10_000;

const q = (name: string) => `"${name}"`;

export interface SnapshotResult {
  /** PostgreSQL's position in the snapshot. */
  position: number;
  /** PostgreSQL's model id (`from-empty` when it has none yet). */
  modelId: string;
  rows: number;
}

/** Writes PostgreSQL's read model into a new file at `path` (replaced when it exists). */
export async function snapshotPostgresToFile(
  pg: Kysely<ReadModelDatabase>,
  path: string,
): Promise<SnapshotResult> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const { sqlite, db: fileDb } = await openReadModelFile(path);
  try {
    // Every table a working copy ships, and the position (shipped by itself).
    const tables = [
      ...capturedTables(sqlite),
      { name: 'projection_position', columns: ['name', 'last_seq'], pk: ['name'] },
    ];
    let rows = 0;
    const result = await pg
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        for (const t of tables) rows += await copyTable(tx, sqlite, t.name, t.columns);
        const origin = await sql<{ model_id: string }>`
          SELECT model_id FROM hub_pg_origin WHERE name = 'events'`.execute(tx);
        const pos = await sql<{ last_seq: number }>`
          SELECT last_seq FROM projection_position WHERE name = 'events'`.execute(tx);
        const position = Number(pos.rows[0]?.last_seq ?? 0);
        return { position, modelId: origin.rows[0]?.model_id ?? FROM_EMPTY_MODEL };
      });
    setCaptureInfo(sqlite, { captureFrom: result.position, modelId: result.modelId });
    return { ...result, rows };
  } catch (err) {
    await fileDb.destroy();
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${path}${suffix}`)) rmSync(`${path}${suffix}`);
    throw err;
  } finally {
    await fileDb.destroy().catch(() => undefined);
  }
}

async function copyTable(
  tx: Kysely<ReadModelDatabase>,
  sqlite: SqliteDb,
  table: string,
  columns: readonly string[],
): Promise<number> {
  const insert = sqlite.prepare(
    `INSERT OR REPLACE INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const write = sqlite.transaction((batch: Record<string, unknown>[]) => {
    for (const r of batch) insert.run(...columns.map((c) => r[c] ?? null));
  });
  sqlite.prepare(`DELETE FROM ${q(table)}`).run();
  const cursor = `hub_snapshot_${table}`;
  await sql
    .raw(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`)
    .execute(tx);
  let n = 0;
  for (;;) {
    const batch = await sql.raw<Record<string, unknown>>(`FETCH ${FETCH} FROM ${cursor}`).execute(tx);
    if (batch.rows.length === 0) break;
    write(batch.rows);
    n += batch.rows.length;
  }
  await sql.raw(`CLOSE ${cursor}`).execute(tx);
  return n;
}
