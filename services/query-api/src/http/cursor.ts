/**
 * Opaque, stable cursors for keyset pagination. A cursor carries the sort key of the last row
 * returned and a fingerprint of the query it belongs to: reusing it with other filters is a 400,
 * not a silently wrong page. Keyset (not offset) pagination keeps pages stable while new events
 * arrive: a new event sorts after the cursor or lands on a page already read, never shifts rows.
 */
import { createHash } from 'node:crypto';
import { invalidParams } from './params.js';

type Key = readonly (string | number | null)[];

const fingerprintOf = (query: unknown): string =>
  createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);

/** Encodes the last row's sort key for the query described by `query` (its filters, not its page). */
export const encodeCursor = (key: Key, query: unknown): string =>
  Buffer.from(JSON.stringify({ v: 1, k: key, q: fingerprintOf(query) }), 'utf8').toString('base64url');

/** Decodes a cursor for the same query; throws a 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, query: unknown, shape: readonly ('string' | 'number')[]): Key {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = parsed as { v?: unknown; k?: unknown; q?: unknown } | undefined;
  const keyOk =
    Array.isArray(c?.k) && c.k.length === shape.length && c.k.every((v, i) => typeof v === shape[i]);
  if (!c || c.v !== 1 || !keyOk) {
    throw invalidParams([{ field: 'cursor', message: '游标无效或已损坏 (the cursor is malformed)' }]);
  }
  if (c.q !== fingerprintOf(query)) {
    throw invalidParams([
      {
        field: 'cursor',
        message:
          '游标属于另一组查询条件 (the cursor belongs to a query with other filters; start again without it)',
      },
    ]);
  }
  return c.k as Key;
}
