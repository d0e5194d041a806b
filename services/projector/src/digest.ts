/**
 * Deterministic digests of the read model: sha256 over each table's rows in primary-key
 * order (each row as a JSON array of its columns, one per line). Two read models built from
 * the same events have the same digests, whatever their batch sizes or crashes.
 *
 * @example
 * const live = digestReadModelFile('var/read-model/read-model.sqlite');
 * live.tables.timeline; // 'c0ffee…'
 */
import { createHash } from 'node:crypto';
import { openSqlite, type SqliteDb, READ_MODEL_TABLES, type ReadModelTable } from '@hub/read-model';

export interface ReadModelDigest {
  /** sha256 hex per table. */
  tables: Record<ReadModelTable, string>;
  rows: Record<ReadModelTable, number>;
  /** sha256 over the table digests in name order. */
  all: string;
}

export function digestTable(sqlite: SqliteDb, table: ReadModelTable): { sha256: string; rows: number } {
  const pk = READ_MODEL_TABLES[table].join(', ');
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of sqlite.prepare(`SELECT * FROM ${table} ORDER BY ${pk}`).raw().iterate()) {
    hash.update(JSON.stringify(row));
    hash.update('\n');
    rows += 1;
  }
  return { sha256: hash.digest('hex'), rows };
}

export function digestReadModel(sqlite: SqliteDb): ReadModelDigest {
  const tables = {} as Record<ReadModelTable, string>;
  const rows = {} as Record<ReadModelTable, number>;
  const names = (Object.keys(READ_MODEL_TABLES) as ReadModelTable[]).sort();
  // One read transaction: every table digested from the same snapshot.
  sqlite.transaction(() => {
    for (const t of names) {
      const d = digestTable(sqlite, t);
      tables[t] = d.sha256;
      rows[t] = d.rows;
    }
  })();
  const all = createHash('sha256')
    .update(names.map((t) => `${t}:${tables[t]}`).join('\n'))
    .digest('hex');
  return { tables, rows, all };
}

export function digestReadModelFile(path: string): ReadModelDigest {
  const sqlite = openSqlite(path, true);
  try {
    return digestReadModel(sqlite);
  } finally {
    sqlite.close();
  }
}

/** Tables whose digests differ. */
export const diffDigests = (a: ReadModelDigest, b: ReadModelDigest): ReadModelTable[] =>
  (Object.keys(a.tables) as ReadModelTable[]).filter((t) => a.tables[t] !== b.tables[t]);
