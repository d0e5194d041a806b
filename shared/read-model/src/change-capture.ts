/**
 * Change capture on a SQLite read model used as the working copy of a PostgreSQL one.
 *
 * Triggers on every read-model table (found in the file itself, so a table added by a later
 * migration is captured with no change here) record the primary key of each row inserted,
 * updated or deleted into `hub_pg_changes`, in the same SQLite transaction as the write. Nothing
 * is recorded about *what* changed: shipping sends the row as it is at the moment it is read
 * (or its absence), so shipping is idempotent and counters (`agency_activity_daily`) are never
 * added twice. The projector and every writer through any API are captured alike.
 *
 * An entry's `seq` is NULL until a shipper seals it with the position it read the row at; an
 * entry written again after that is NULL again, so pruning what was shipped never drops a newer
 * change.
 *
 * @example
 * const info = installChangeCapture(sqlite);            // once, before the projector starts
 * const changes = readChanges(sqlite);                    // a consistent snapshot at changes.position
 * await shipChanges(pg, changes);                         // PostgreSQL, position included
 * pruneChanges(sqlite, changes.position);
 */
import { randomUUID } from 'node:crypto';
import type { SqliteDb } from './open.js';

export const CHANGES_TABLE = 'hub_pg_changes';
const CAPTURE_META = 'hub_pg_capture';

/** Tables never shipped row by row: local bookkeeping, and the position (shipped by itself). */
const NOT_CAPTURED = new Set(['writer_lock', 'projection_position', CHANGES_TABLE, CAPTURE_META]);

/** Model id of a working copy captured from its first event: every such copy is the same projection. */
export const FROM_EMPTY_MODEL = 'from-empty';

export interface CapturedTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly pk: readonly string[];
}

export interface CaptureInfo {
  /** The position at which capture began: every change after it is recorded. */
  readonly captureFrom: number;
  /**
   * Which projection this copy is: `from-empty` when captured from position 0; otherwise an id of
   * its own (a file built without capture, e.g. by a rebuild), which PostgreSQL can only adopt by
   * a full copy.
   */
  readonly modelId: string;
}

export interface TableChanges extends CapturedTable {
  /** Rows to upsert, as column arrays in `columns` order. */
  readonly upserts: unknown[][];
  /** Primary keys (in `pk` order) of rows no longer present. */
  readonly deletes: unknown[][];
}

export interface ChangeSet extends CaptureInfo {
  /** The working copy's position the rows were read at. */
  readonly position: number;
  readonly tables: readonly TableChanges[];
  /** Entries read (upserts + deletes). */
  readonly count: number;
}

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};

/** The read-model tables of the file with their columns and primary keys. */
export function capturedTables(sqlite: SqliteDb): CapturedTable[] {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const tables: CapturedTable[] = [];
  for (const name of names) {
    if (NOT_CAPTURED.has(name)) continue;
    const cols = sqlite.pragma(`table_info(${ident(name)})`) as { name: string; pk: number }[];
    const pk = cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    if (pk.length === 0) throw new Error(`read-model table ${name} has no primary key: it cannot be shipped`);
    tables.push({ name, columns: cols.map((c) => c.name), pk });
  }
  return tables;
}

const position = (sqlite: SqliteDb): number =>
  (sqlite.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").pluck().get() as
    number | undefined) ?? 0;

/**
 * Creates the changes table and the triggers (idempotent), in one write transaction, and
 * returns where capture began. Run it on a migrated file before the projector writes to it;
 * run on a file being written it is still exact (`captureFrom` is read under the same lock).
 */
export function installChangeCapture(sqlite: SqliteDb): CaptureInfo {
  return sqlite
    .transaction((): CaptureInfo => {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS ${CHANGES_TABLE} (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, ` +
          `key TEXT NOT NULL, seq INTEGER, UNIQUE (tbl, key));` +
          `CREATE TABLE IF NOT EXISTS ${CAPTURE_META} (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
      );
      for (const t of capturedTables(sqlite)) {
        const rec = (row: 'NEW' | 'OLD') =>
          `INSERT INTO ${CHANGES_TABLE} (tbl, key, seq) VALUES ('${t.name}', ` +
          `json_array(${t.pk.map((c) => `${row}.${ident(c)}`).join(', ')}), NULL) ` +
          `ON CONFLICT (tbl, key) DO UPDATE SET seq = NULL;`;
        const trig = (suffix: string, event: string, body: string) =>
          `CREATE TRIGGER IF NOT EXISTS ${ident(`hub_pg_${t.name}_${suffix}`)} AFTER ${event} ON ${ident(t.name)} ` +
          `BEGIN ${body} END;`;
        sqlite.exec(
          trig('i', 'INSERT', rec('NEW')) +
            trig('u', 'UPDATE', rec('OLD') + rec('NEW')) +
            trig('d', 'DELETE', rec('OLD')),
        );
      }
      const get = sqlite.prepare(`SELECT value FROM ${CAPTURE_META} WHERE key = ?`).pluck();
      const from = get.get('capture_from') as string | undefined;
      const id = get.get('model_id') as string | undefined;
      if (from !== undefined && id !== undefined) return { captureFrom: Number(from), modelId: id };
      const at = position(sqlite);
      const info = { captureFrom: at, modelId: at === 0 ? FROM_EMPTY_MODEL : randomUUID() };
      const put = sqlite.prepare(`INSERT OR REPLACE INTO ${CAPTURE_META} (key, value) VALUES (?, ?)`);
      put.run('capture_from', String(info.captureFrom));
      put.run('model_id', info.modelId);
      return info;
    })
    .immediate();
}

/**
 * Gives a file capture info before capture is installed: a copy of PostgreSQL's rows continues
 * PostgreSQL's projection (its model id) from the position copied.
 */
export function setCaptureInfo(sqlite: SqliteDb, info: CaptureInfo): void {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ${CAPTURE_META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const put = sqlite.prepare(`INSERT OR REPLACE INTO ${CAPTURE_META} (key, value) VALUES (?, ?)`);
  put.run('capture_from', String(info.captureFrom));
  put.run('model_id', info.modelId);
}

/** Capture info of a file where capture is installed, else undefined. */
export function captureInfo(sqlite: SqliteDb): CaptureInfo | undefined {
  try {
    const get = sqlite.prepare(`SELECT value FROM ${CAPTURE_META} WHERE key = ?`).pluck();
    const from = get.get('capture_from') as string | undefined;
    const id = get.get('model_id') as string | undefined;
    return from !== undefined && id !== undefined ? { captureFrom: Number(from), modelId: id } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seals what is recorded with the current position (one short write), then reads every entry,
 * with each row as it is now, in one read transaction: a consistent snapshot of the working copy
 * at `position`, taken without holding the projector's write lock. Entries recorded between the
 * two stay unsealed (and are read, and shipped again next time: shipping is idempotent).
 */
export function readChanges(sqlite: SqliteDb): ChangeSet {
  sealChanges(sqlite);
  return sqlite
    .transaction((): ChangeSet => {
      const info = captureInfo(sqlite);
      if (!info) throw new Error('change capture is not installed on this read model');
      const at = position(sqlite);
      const tables: TableChanges[] = [];
      let count = 0;
      const pending = new Set(
        sqlite.prepare(`SELECT DISTINCT tbl FROM ${CHANGES_TABLE}`).pluck().all() as string[],
      );
      for (const t of capturedTables(sqlite)) {
        if (!pending.has(t.name)) continue;
        const on = t.pk.map((c, i) => `t.${ident(c)} = json_extract(c.key, '$[${i}]')`).join(' AND ');
        const rows = sqlite
          .prepare(
            `SELECT c.key, t.${ident(t.pk[0]!)} IS NOT NULL AS present, ${t.columns.map((c) => `t.${ident(c)}`).join(', ')} ` +
              `FROM ${CHANGES_TABLE} c LEFT JOIN ${ident(t.name)} t ON ${on} WHERE c.tbl = ?`,
          )
          .raw()
          .all(t.name) as unknown[][];
        const upserts: unknown[][] = [];
        const deletes: unknown[][] = [];
        for (const r of rows) {
          if (r[1] === 1) upserts.push(r.slice(2));
          else deletes.push(JSON.parse(r[0] as string) as unknown[]);
        }
        count += rows.length;
        tables.push({ ...t, upserts, deletes });
      }
      return { ...info, position: at, tables, count };
    })
    .deferred();
}

/** Marks unsealed entries with the current position (one statement: position and marks agree). */
export function sealChanges(sqlite: SqliteDb): void {
  sqlite
    .prepare(
      `UPDATE ${CHANGES_TABLE} SET seq = (SELECT coalesce(max(last_seq), 0) FROM projection_position WHERE name = 'events') WHERE seq IS NULL`,
    )
    .run();
}

/** Entries sealed at or below `upTo` (shipped, or known to be in PostgreSQL already). */
export function pruneChanges(sqlite: SqliteDb, upTo: number): number {
  return sqlite.prepare(`DELETE FROM ${CHANGES_TABLE} WHERE seq IS NOT NULL AND seq <= ?`).run(upTo).changes;
}

/** How many entries wait (sealed or not). */
export const pendingChanges = (sqlite: SqliteDb): number =>
  sqlite.prepare(`SELECT count(*) FROM ${CHANGES_TABLE}`).pluck().get() as number;
