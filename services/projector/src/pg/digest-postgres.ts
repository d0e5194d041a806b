/**
 * The digest of a PostgreSQL read model, computed exactly as `digestReadModel` computes it on
 * SQLite (each table's rows in primary-key order, each row a JSON array of its columns, one per
 * line), so `hub verify` and the tests compare a PostgreSQL read model with a SQLite rebuild.
 * Text keys are ordered with the "C" collation: byte order, as SQLite orders them.
 *
 * @example
 * const d = await digestPostgresReadModel('postgres://hub@db/hub');
 * diffDigests(d, digestReadModelFile('rebuilt.sqlite')); // []
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { READ_MODEL_TABLES, type ReadModelTable } from '@hub/read-model';
import type { ReadModelDigest } from '../digest.js';

export async function digestPostgresReadModel(url: string): Promise<ReadModelDigest> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One snapshot for every table, as on SQLite.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = {} as Record<ReadModelTable, string>;
    const rows = {} as Record<ReadModelTable, number>;
    const names = (Object.keys(READ_MODEL_TABLES) as ReadModelTable[]).sort();
    for (const t of names) {
      const types = await client.query<{ column_name: string; data_type: string }>(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [t],
      );
      const typeOf = new Map(types.rows.map((c) => [c.column_name, c.data_type]));
      const order = READ_MODEL_TABLES[t]
        .map((c) => (typeOf.get(c) === 'text' ? `"${c}" COLLATE "C"` : `"${c}"`))
        .join(', ');
      const cols = types.rows.map((c) =>
        c.data_type === 'bigint' || c.data_type === 'integer'
          ? `"${c.column_name}"::float8`
          : `"${c.column_name}"`,
      );
      const r = await client.query<unknown[]>({
        text: `SELECT ${cols.join(', ')} FROM "${t}" ORDER BY ${order}`,
        rowMode: 'array',
      });
      const hash = createHash('sha256');
      for (const row of r.rows) {
        hash.update(JSON.stringify(row));
        hash.update('\n');
      }
      tables[t] = hash.digest('hex');
      rows[t] = r.rows.length;
    }
    await client.query('COMMIT');
    const all = createHash('sha256')
      .update(names.map((t) => `${t}:${tables[t]}`).join('\n'))
      .digest('hex');
    return { tables, rows, all };
  } finally {
    await client.end();
  }
}
