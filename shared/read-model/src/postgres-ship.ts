/**
 * Shipping a SQLite working copy's captured changes (change-capture.ts) into a PostgreSQL read
 * model: one PostgreSQL transaction per shipment, rows and position together, guarded by a
 * compare on the position row (locked `FOR UPDATE`):
 *
 * - PostgreSQL must hold the same projection (`hub_pg_origin.model_id`) — else a full copy;
 * - PostgreSQL's position must not be ahead of the shipment's — else the working copy catches
 *   up first (it is behind, e.g. a standby, or after a crash between the two commits).
 *
 * Why that is exactly once: PostgreSQL at position P holds the projection of events 1..P (by
 * induction). A shipment read at working-copy position L ≥ P carries every row changed in
 * (P, L] (nothing recorded after P was pruned), each as it is at L; every other row is the same
 * at P and at L. So after the commit PostgreSQL holds the projection of 1..L — whoever shipped
 * it, however often it is shipped again, and whatever crashed in between.
 *
 * @example
 * const r = await shipChanges(pg, readChanges(sqlite));
 * if (r.kind === 'shipped') pruneChanges(sqlite, r.position);
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { SqliteDb } from './open.js';
import type { ReadModelDatabase } from './schema.js';
import {
  capturedTables,
  captureInfo,
  sealChanges,
  type CapturedTable,
  type ChangeSet,
} from './change-capture.js';

export type ShipResult =
  | { kind: 'shipped'; position: number; rows: number }
  /** PostgreSQL is ahead of the working copy: apply locally up to `pgPosition` first. */
  | { kind: 'behind'; pgPosition: number }
  /** PostgreSQL holds another projection (or none this copy can continue): a full copy is needed. */
  | { kind: 'other-model'; pgPosition: number; pgModel: string | undefined };

type Db = Kysely<ReadModelDatabase>;
type Tx = Transaction<ReadModelDatabase>;

/** Rows per statement (arrays, one parameter per column). */
const CHUNK = 20_000;

/** PostgreSQL's position and model id (no locks). */
export async function postgresPosition(db: Db): Promise<{ position: number; modelId: string | undefined }> {
  const pos = await sql<{
    last_seq: number;
  }>`SELECT last_seq FROM projection_position WHERE name = 'events'`.execute(db);
  const origin = await sql<{
    model_id: string;
  }>`SELECT model_id FROM hub_pg_origin WHERE name = 'events'`.execute(db);
  return { position: Number(pos.rows[0]?.last_seq ?? 0), modelId: origin.rows[0]?.model_id };
}

async function lockPosition(tx: Tx): Promise<{ position: number; modelId: string | undefined }> {
  await sql`INSERT INTO projection_position (name, last_seq) VALUES ('events', 0) ON CONFLICT (name) DO NOTHING`.execute(
    tx,
  );
  const r = await sql<{ last_seq: number; model_id: string | null }>`
    SELECT p.last_seq, o.model_id FROM projection_position p LEFT JOIN hub_pg_origin o ON o.name = p.name
     WHERE p.name = 'events' FOR UPDATE OF p`.execute(tx);
  return { position: Number(r.rows[0]?.last_seq ?? 0), modelId: r.rows[0]?.model_id ?? undefined };
}

async function setPosition(tx: Tx, position: number, modelId: string): Promise<void> {
  await sql`UPDATE projection_position SET last_seq = ${position} WHERE name = 'events'`.execute(tx);
  await sql`INSERT INTO hub_pg_origin (name, model_id) VALUES ('events', ${modelId})
            ON CONFLICT (name) DO UPDATE SET model_id = EXCLUDED.model_id`.execute(tx);
}

const q = (name: string) => `"${name}"`;

/** PostgreSQL's type of each column (for the array casts), per table, cached per database. */
const typeCache = new WeakMap<object, Map<string, Map<string, string>>>();
async function columnTypes(tx: Tx, db: object, table: string): Promise<Map<string, string>> {
  let tables = typeCache.get(db);
  if (!tables) typeCache.set(db, (tables = new Map<string, Map<string, string>>()));
  let types = tables.get(table);
  if (!types) {
    const r = await sql<{ column_name: string; data_type: string }>`
      SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ${table}`.execute(tx);
    types = new Map(r.rows.map((c) => [c.column_name, c.data_type === 'text' ? 'text' : c.data_type]));
    if (types.size === 0) throw new Error(`PostgreSQL has no table ${table}: migrate it first`);
    tables.set(table, types);
  }
  return types;
}

const arrayCast = (types: Map<string, string>, col: string) => {
  const t = types.get(col);
  if (!t) throw new Error(`PostgreSQL has no column ${col}`);
  return sql.raw(`::${t === 'character varying' ? 'text' : t}[]`);
};

/** One array per column, from rows given as column arrays. */
const columnsOf = (rows: readonly unknown[][], n: number): unknown[][] => {
  const cols: unknown[][] = Array.from({ length: n }, () => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < n; c++) cols[c]![r] = row[c] ?? null;
  }
  return cols;
};

async function upsert(
  tx: Tx,
  db: object,
  t: CapturedTable,
  rows: readonly unknown[][],
  onConflict: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(tx, db, t.name);
  const nonPk = t.columns.filter((c) => !t.pk.includes(c));
  const conflict = !onConflict
    ? sql``
    : nonPk.length === 0
      ? sql.raw(` ON CONFLICT (${t.pk.map(q).join(', ')}) DO NOTHING`)
      : sql.raw(
          ` ON CONFLICT (${t.pk.map(q).join(', ')}) DO UPDATE SET ` +
            nonPk.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', '),
        );
  for (let i = 0; i < rows.length; i += CHUNK) {
    const cols = columnsOf(rows.slice(i, i + CHUNK), t.columns.length);
    const arrays = sql.join(t.columns.map((c, j) => sql`${cols[j]}${arrayCast(types, c)}`));
    await sql`INSERT INTO ${sql.raw(q(t.name))} (${sql.raw(t.columns.map(q).join(', '))})
              SELECT * FROM unnest(${arrays})${conflict}`.execute(tx);
  }
}

async function remove(tx: Tx, db: object, t: CapturedTable, keys: readonly unknown[][]): Promise<void> {
  if (keys.length === 0) return;
  const types = await columnTypes(tx, db, t.name);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const cols = columnsOf(keys.slice(i, i + CHUNK), t.pk.length);
    const arrays = sql.join(t.pk.map((c, j) => sql`${cols[j]}${arrayCast(types, c)}`));
    const on = t.pk.map((c) => `t.${q(c)} = d.${q(c)}`).join(' AND ');
    await sql`DELETE FROM ${sql.raw(q(t.name))} t
              USING unnest(${arrays}) AS d(${sql.raw(t.pk.map(q).join(', '))})
              WHERE ${sql.raw(on)}`.execute(tx);
  }
}

/** Ships a change set (see the module comment for when it refuses). */
export async function shipChanges(db: Db, changes: ChangeSet): Promise<ShipResult> {
  return db.transaction().execute(async (tx): Promise<ShipResult> => {
    const pg = await lockPosition(tx);
    const sameModel =
      pg.modelId === undefined
        ? pg.position === 0 && changes.captureFrom === 0
        : pg.modelId === changes.modelId && pg.position >= changes.captureFrom;
    if (!sameModel) return { kind: 'other-model', pgPosition: pg.position, pgModel: pg.modelId };
    if (pg.position > changes.position) return { kind: 'behind', pgPosition: pg.position };
    let rows = 0;
    for (const t of changes.tables) {
      await remove(tx, db, t, t.deletes);
      await upsert(tx, db, t, t.upserts, true);
      rows += t.upserts.length + t.deletes.length;
    }
    await setPosition(tx, changes.position, changes.modelId);
    return { kind: 'shipped', position: changes.position, rows };
  });
}

/**
 * Replaces PostgreSQL's read model with the working copy, in one PostgreSQL transaction: readers
 * see the old model or the new one. Used when PostgreSQL holds another projection (a rebuild
 * switched the working copy) or none this copy can continue. Returns the position copied.
 * `sqlite` must be a connection no one else uses meanwhile (it holds a read snapshot).
 */
export async function copyWorkingCopy(db: Db, sqlite: SqliteDb): Promise<{ position: number; rows: number }> {
  const info = captureInfo(sqlite);
  if (!info) throw new Error('change capture is not installed on this read model');
  // What is recorded now is covered by the copy: sealed at or below the copied position.
  sealChanges(sqlite);
  sqlite.exec('BEGIN');
  try {
    const at =
      (sqlite.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").pluck().get() as
        number | undefined) ?? 0;
    const tables = capturedTables(sqlite);
    let rows = 0;
    await db.transaction().execute(async (tx) => {
      await lockPosition(tx);
      for (const t of tables) {
        await sql`DELETE FROM ${sql.raw(q(t.name))}`.execute(tx);
        let chunk: unknown[][] = [];
        for (const row of sqlite
          .prepare(`SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)}`)
          .raw()
          .iterate() as IterableIterator<unknown[]>) {
          chunk.push(row);
          if (chunk.length >= CHUNK) {
            // The iterator stays open across the await: nothing else uses this connection.
            await upsert(tx, db, t, chunk, false);
            rows += chunk.length;
            chunk = [];
          }
        }
        await upsert(tx, db, t, chunk, false);
        rows += chunk.length;
      }
      await setPosition(tx, at, info.modelId);
    });
    return { position: at, rows };
  } finally {
    sqlite.exec('COMMIT');
  }
}
