/**
 * Opening a read model file: SQLite through better-sqlite3, tuned for one writer and many
 * readers (WAL, busy timeout). Readers use `openReadModel`; the projector uses
 * `openReadModelFile` for the raw connection it prepares its statements on.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateReadModel, type ReadModelDatabase } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type SqliteDb = Database.Database;

export interface OpenReadModelOptions {
  /** The SQLite file, e.g. `currentReadModelPath(dataDir)`. */
  path: string;
  /** Readers open read-only (the default); the file must exist. */
  readonly?: boolean;
}

/**
 * A kysely instance over the read model, for readers (the query API, verify, tests).
 *
 * @example
 * const db = openReadModel({ path: currentReadModelPath(process.env.HUB_DATA_DIR ?? './var') });
 * const rows = await db.selectFrom('timeline').selectAll().where('uscc', '=', uscc).execute();
 * await db.destroy();
 */
export function openReadModel(opts: OpenReadModelOptions): Kysely<ReadModelDatabase> {
  const readonly = opts.readonly ?? true;
  const sqlite = openSqlite(opts.path, readonly);
  return kyselyOver(readonly ? withStatementCache(sqlite) : sqlite);
}

export const kyselyOver = (sqlite: SqliteDb): Kysely<ReadModelDatabase> =>
  new Kysely<ReadModelDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });

export function openSqlite(path: string, readonly: boolean): SqliteDb {
  const sqlite = new Database(path, { readonly, fileMustExist: readonly });
  sqlite.pragma('busy_timeout = 5000');
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    // One big transaction per batch: fsync at commit is enough with WAL (NORMAL keeps the
    // database consistent on power loss; the stream still holds every event to re-apply).
    sqlite.pragma('synchronous = NORMAL');
    // Checkpoint less often: a checkpoint per 1000 pages stalls large batches.
    sqlite.pragma('wal_autocheckpoint = 20000');
    sqlite.pragma('cache_size = -131072'); // 128 MiB
    sqlite.pragma('temp_store = MEMORY');
  } else {
    // Readers (query API, verify, tools): the file memory-mapped, so that a page read is a memory
    // access, not a read() into SQLite's cache — about a fifth less CPU per history page — and a
    // larger page cache for what is not mapped (the WAL's pages).
    sqlite.pragma('mmap_size = 1073741824'); // 1 GiB of address space
    sqlite.pragma('cache_size = -32768'); // 32 MiB
  }
  return sqlite;
}

/** Opens (creating when missing) a read model file for writing and migrates it. */
export async function openReadModelFile(
  path: string,
): Promise<{ sqlite: SqliteDb; db: Kysely<ReadModelDatabase> }> {
  const sqlite = openSqlite(path, false);
  const db = kyselyOver(sqlite);
  await migrateReadModel(db);
  return { sqlite, db };
}
