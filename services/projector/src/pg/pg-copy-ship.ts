/**
 * Shipping a change set (`readChanges` of @hub/read-model) with COPY: the shipper's fast path,
 * with the same transaction, guard and answers as `shipChanges` (postgres-ship.ts of
 * @hub/read-model) — one PostgreSQL transaction holding the rows and the position; refused as
 * `other-model` when PostgreSQL holds another projection, as `behind` when PostgreSQL's position
 * is ahead of the shipment's — so the exactly-once argument of docs/decisions.md D45 is unchanged.
 *
 * Only the way rows travel differs: each table's rows are COPYed (text format) into a temporary
 * table shaped like it, then upserted from there with one `INSERT … SELECT … ON CONFLICT`, and
 * deleted keys likewise with one `DELETE … USING`. Against one `unnest` of a parameter array per
 * column, PostgreSQL parses no arrays and the client serialises none: a catch-up ships about
 * twice as fast (docs/benchmarks.md, hub-pg).
 *
 * @example
 * const client = new pg.Client({ connectionString: url }); await client.connect();
 * const r = await shipChangesByCopy(client, readChanges(sqlite));
 * if (r.kind === 'shipped') pruneChanges(sqlite, r.position);
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ChangeSet, ShipResult, TableChanges } from '@hub/read-model';

const q = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unexpected identifier ${name}`);
  return `"${name}"`;
};

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeText = (v: string): string => v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);

/** One SQLite value in COPY's text format (the same text PostgreSQL's input functions parse). */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  throw new Error(`cannot ship a value of type ${typeof v}`);
}

/** Rows (column arrays) as COPY text, a chunk of lines at a time. */
function* copyLines(rows: readonly unknown[][], width: number): Generator<string> {
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let out = '';
    for (const row of rows.slice(i, i + CHUNK)) {
      for (let c = 0; c < width; c++) out += (c === 0 ? '' : '\t') + copyValue(row[c]);
      out += '\n';
    }
    yield out;
  }
}

async function copyInto(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  await pipeline(
    Readable.from(copyLines(rows, columns.length)),
    client.query(copyFrom(`COPY ${table} (${columns.map(q).join(', ')}) FROM STDIN`)),
  );
}

async function shipTable(client: pg.Client, t: TableChanges): Promise<void> {
  const pk = t.pk.map(q).join(', ');
  if (t.deletes.length > 0) {
    const tmp = q(`hub_ship_del_${t.name}`);
    await client.query(
      `CREATE TEMP TABLE ${tmp} ON COMMIT DROP AS SELECT ${pk} FROM ${q(t.name)} WITH NO DATA`,
    );
    await copyInto(client, tmp, t.pk, t.deletes);
    const on = t.pk.map((c) => `t.${q(c)} = d.${q(c)}`).join(' AND ');
    await client.query(`DELETE FROM ${q(t.name)} t USING ${tmp} d WHERE ${on}`);
  }
  if (t.upserts.length > 0) {
    const tmp = q(`hub_ship_${t.name}`);
    const cols = t.columns.map(q).join(', ');
    const nonPk = t.columns.filter((c) => !t.pk.includes(c));
    const conflict =
      nonPk.length === 0
        ? `ON CONFLICT (${pk}) DO NOTHING`
        : `ON CONFLICT (${pk}) DO UPDATE SET ${nonPk.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}`;
    // Shaped like the table as it is now (a migration may have added columns since the last shipment).
    await client.query(`CREATE TEMP TABLE ${tmp} (LIKE ${q(t.name)}) ON COMMIT DROP`);
    await copyInto(client, tmp, t.columns, t.upserts);
    await client.query(`INSERT INTO ${q(t.name)} (${cols}) SELECT ${cols} FROM ${tmp} ${conflict}`);
  }
}

/** Ships a change set over `client` (a connection of its own, outside any transaction). */
export async function shipChangesByCopy(client: pg.Client, changes: ChangeSet): Promise<ShipResult> {
  await client.query('BEGIN');
  try {
    await client.query(
      "INSERT INTO projection_position (name, last_seq) VALUES ('events', 0) ON CONFLICT (name) DO NOTHING",
    );
    const r = await client.query<{ last_seq: string | number; model_id: string | null }>(
      `SELECT p.last_seq, o.model_id FROM projection_position p LEFT JOIN hub_pg_origin o ON o.name = p.name
        WHERE p.name = 'events' FOR UPDATE OF p`,
    );
    const pgPosition = Number(r.rows[0]?.last_seq ?? 0);
    const pgModel = r.rows[0]?.model_id ?? undefined;
    const sameModel =
      pgModel === undefined
        ? pgPosition === 0 && changes.captureFrom === 0
        : pgModel === changes.modelId && pgPosition >= changes.captureFrom;
    if (!sameModel) {
      await client.query('ROLLBACK');
      return { kind: 'other-model', pgPosition, pgModel };
    }
    if (pgPosition > changes.position) {
      await client.query('ROLLBACK');
      return { kind: 'behind', pgPosition };
    }
    let rows = 0;
    for (const t of changes.tables) {
      await shipTable(client, t);
      rows += t.upserts.length + t.deletes.length;
    }
    await client.query("UPDATE projection_position SET last_seq = $1 WHERE name = 'events'", [
      changes.position,
    ]);
    await client.query(
      `INSERT INTO hub_pg_origin (name, model_id) VALUES ('events', $1)
       ON CONFLICT (name) DO UPDATE SET model_id = EXCLUDED.model_id`,
      [changes.modelId],
    );
    await client.query('COMMIT');
    return { kind: 'shipped', position: changes.position, rows };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
