/**
 * Prepared statements kept by their SQL text. Kysely's SQLite driver prepares every query it
 * runs; a reader asks the same few queries again and again (a history page, a profile), and
 * preparing was a twentieth of the query API's CPU per read (docs/benchmarks.md).
 */
import type { SqliteDb } from './open.js';

/** Distinct SQL texts kept; beyond it the cache starts over (IN lists vary in length). */
const MAX_STATEMENTS = 256;

/**
 * The connection with `prepare` answered from a cache: what kysely's dialect calls.
 *
 * @example
 * new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
 */
export function withStatementCache(sqlite: SqliteDb): SqliteDb {
  const cache = new Map<string, ReturnType<SqliteDb['prepare']>>();
  const prepare = (sql: string) => {
    const kept = cache.get(sql);
    // A statement still iterating (a streamed query) cannot run again: prepare another one.
    if (kept !== undefined && !kept.busy) return kept;
    const stmt = sqlite.prepare(sql);
    if (kept === undefined) {
      if (cache.size >= MAX_STATEMENTS) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
