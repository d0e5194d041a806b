/**
 * Kysely queries compiled ONCE and run as prepared better-sqlite3 statements: the hot path
 * pays neither kysely's per-call compilation nor its async driver (about 3× per row).
 *
 * Queries are built with named markers (`param('uscc')`) in place of values; after
 * `.compile()` the markers in `parameters` say which argument goes to which `?`.
 */
import type { CompiledQuery } from 'kysely';
import type { SqliteDb } from './open.js';

const MARK = Symbol('param');
interface Marker {
  readonly [MARK]: string;
}

/** A named placeholder for a value supplied at each execution. */
export const param = <T = never>(name: string): T => ({ [MARK]: name }) as Marker as unknown as T;

const markerName = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && MARK in v ? (v as Marker)[MARK] : undefined;

export type Args = Readonly<Record<string, unknown>>;

export interface Prepared {
  run(args?: Args): number;
  get<R>(args?: Args): R | undefined;
  all<R>(args?: Args): R[];
}

export function prepare(sqlite: SqliteDb, query: { compile(): CompiledQuery }): Prepared {
  const compiled = query.compile();
  const slots = compiled.parameters.map((v) => ({ name: markerName(v), constant: v }));
  const stmt = sqlite.prepare(compiled.sql);
  const bind = (args: Args = {}): unknown[] => {
    const values = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      values[i] = s.name === undefined ? s.constant : toSqlite(args[s.name]);
    }
    return values;
  };
  return {
    run: (args) => stmt.run(bind(args)).changes,
    get: <R>(args?: Args) => stmt.get(bind(args)) as R | undefined,
    all: <R>(args?: Args) => stmt.all(bind(args)) as R[],
  };
}

// better-sqlite3 refuses booleans and undefined.
const toSqlite = (v: unknown): unknown => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v);
