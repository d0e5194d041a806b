/**
 * The read model on PostgreSQL: the same kysely schema and queries through kysely's
 * PostgresDialect over a `pg` pool. Migrations run at open, idempotently, under an advisory lock
 * (several processes may open the same database at once). `copyReadModel` writes a read model
 * (e.g. a SQLite file built by the projector) into PostgreSQL in one transaction, position
 * included, with multi-row inserts.
 *
 * @example
 * const db = await openPostgresReadModel({ url: 'postgres://hub@db:5432/hub' });
 * const page = await getHistory(db, uscc, { limit: 50 }); // the query API's store functions
 * await db.destroy();
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import {
  migrateReadModel,
  READ_MODEL_TABLES,
  type ReadModelDatabase,
  type ReadModelTable,
} from './schema.js';

/** pg returns BIGINT (int8) as a string; the read model's integers are stream sequences and counts. */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === 20
      ? (v: string) => Number(v)
      : (pg.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown),
};

/** Key of the advisory lock held while migrating (any constant shared by every process). */
const MIGRATION_LOCK = 72_610_001;

export const isPostgresUrl = (url: string | undefined): boolean =>
  url !== undefined && /^postgres(ql)?:\/\//.test(url);

export interface OpenPostgresOptions {
  url: string;
  /** Pool size. @default 10 */
  max?: number;
  /** Migrate at open (the projector, `hub` commands); readers may skip it. @default true */
  migrate?: boolean;
}

export async function openPostgresReadModel(opts: OpenPostgresOptions): Promise<Kysely<ReadModelDatabase>> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, types });
  // An idle connection dropped by the server (restart, failover) is replaced on next use; without
  // a listener its error would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool }) });
  if (opts.migrate ?? true) {
    try {
      await migratePostgresReadModel(db);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  return db;
}

/**
 * Creates what is missing, in one transaction holding an advisory lock: two processes starting
 * together would otherwise race on CREATE TABLE IF NOT EXISTS (PostgreSQL's catalog refuses the
 * second), and a failed migration leaves nothing half-made.
 */
export async function migratePostgresReadModel(db: Kysely<ReadModelDatabase>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await migrateReadModel(tx);
    // Which projection the rows are (postgres-ship.ts): continued only by a working copy of the same one.
    await sql`CREATE TABLE IF NOT EXISTS hub_pg_origin (name TEXT PRIMARY KEY, model_id TEXT NOT NULL)`.execute(
      tx,
    );
  });
}

/** Rows per INSERT: PostgreSQL takes at most 65 535 parameters per statement. */
const rowsPerInsert = (columns: number) => Math.max(1, Math.floor(60_000 / Math.max(1, columns)));

/**
 * Copies every read-model table from `from` into `to` (replacing what `to` holds) in one
 * transaction on `to`: readers see the old model or the new one, never half.
 */
export async function copyReadModel(
  from: Kysely<ReadModelDatabase>,
  to: Kysely<ReadModelDatabase>,
): Promise<Record<ReadModelTable, number>> {
  const k = (db: unknown) => db as Kysely<Record<string, Record<string, unknown>>>;
  const counts = {} as Record<ReadModelTable, number>;
  const tables = Object.keys(READ_MODEL_TABLES) as ReadModelTable[];
  const data = new Map<ReadModelTable, Record<string, unknown>[]>();
  for (const table of tables) data.set(table, await k(from).selectFrom(table).selectAll().execute());
  await to.transaction().execute(async (tx) => {
    for (const table of tables) {
      await k(tx).deleteFrom(table).execute();
      const rows = data.get(table) ?? [];
      const step = rowsPerInsert(Object.keys(rows[0] ?? {}).length);
      for (let i = 0; i < rows.length; i += step) {
        await k(tx)
          .insertInto(table)
          .values(rows.slice(i, i + step))
          .execute();
      }
      counts[table] = rows.length;
    }
  });
  return counts;
}
