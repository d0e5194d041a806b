/**
 * The projector's port onto a read model file: only the operations the projection uses,
 * each a kysely query compiled once and run as a prepared statement.
 */
import { sql, type Kysely } from 'kysely';
import { param, prepare, type Args, type Prepared } from './prepared.js';
import type { SqliteDb } from './open.js';
import {
  READ_MODEL_TABLES,
  type ChainLinksTable,
  type ReadModelDatabase,
  type TimelineTable,
} from './schema.js';

/** Tables written row by row through get/put/remove (all keyed by their primary key). */
export type RowTable =
  | 'timeline'
  | 'businesses'
  | 'inspections'
  | 'penalty_cases'
  | 'penalty_steps'
  | 'transfers'
  | 'complaints'
  | 'corrections'
  | 'dead_letters';
export type Row<T extends RowTable> = ReadModelDatabase[T];

export interface EntityCounts {
  inspection_count: number;
  penalty_case_count: number;
  complaint_count: number;
  transfer_count: number;
}

export interface ReadModelStore {
  /** Runs `fn` in one write transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  position(): number;
  setPosition(seq: number): void;
  get<T extends RowTable>(table: T, key: Partial<Row<T>>): Row<T> | undefined;
  put<T extends RowTable>(table: T, row: Row<T>): void;
  remove<T extends RowTable>(table: T, key: Partial<Row<T>>): void;
  timelineByEventId(eventId: string): TimelineTable | undefined;
  /** Cheaper than timelineByEventId: the hot path's "already applied?" check. */
  isApplied(eventId: string): boolean;
  /**
   * Adds a timeline row unless its event id has one already (then writes nothing and returns
   * false): the "already applied?" check and the insert in one statement.
   */
  insertTimeline(row: TimelineTable): boolean;
  /** A business's timeline rows with this subject reference, in stream order. */
  timelineBySubjectRef(uscc: string, ref: string): TimelineTable[];
  /**
   * A business's timeline rows of the given event types applied before stream sequence
   * `beforeSeq`, in stream order: the business as the stream prefix before one event left it,
   * whatever rows later events of the same batch have added since (retrospective checks).
   */
  businessEventsBefore(uscc: string, beforeSeq: number, types: readonly string[]): TimelineTable[];
  removePenaltySteps(agency: string, caseId: string): void;
  findTransfer(caseId: string, transferNo: string, policeAgency: string): Row<'transfers'> | undefined;
  addActivity(agency: string, day: string, eventType: string, delta: number): void;
  countEntities(uscc: string): EntityCounts;
  countDeadLetters(uscc: string): number;
  deadLettersAfter(seq: number): Row<'dead_letters'>[];
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** The chain's last link (greatest sequence), if any. */
  chainHead(): ChainLinksTable | undefined;
  chainLink(seq: number): ChainLinksTable | undefined;
  /** Appends a link (chain.ts); the caller computes it from `chainHead()`. */
  putChainLink(link: ChainLinksTable): void;
}

/** Event type slots of `businessEventsBefore` (one prepared statement for any list up to this long). */
const TYPE_SLOTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;

/** Entity tables written back once per (sub)transaction; read only through get/put/remove and counts. */
const WRITE_BACK: readonly RowTable[] = ['inspections', 'penalty_cases', 'complaints'];

export function createReadModelStore(sqlite: SqliteDb, db: Kysely<ReadModelDatabase>): ReadModelStore {
  const rowOps = new Map<
    RowTable,
    { get: Prepared; put: Prepared; remove: Prepared; pk: readonly string[] }
  >();
  const tables: RowTable[] = [
    'timeline',
    'businesses',
    'inspections',
    'penalty_cases',
    'penalty_steps',
    'transfers',
    'complaints',
    'corrections',
    'dead_letters',
  ];
  // Column lists come from the migrated file itself, so a column added to the schema is
  // written without touching this adapter.
  const k = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (const table of tables) {
    const pk: readonly string[] = READ_MODEL_TABLES[table];
    const cols = (sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    const nonPk = cols.filter((c) => !pk.includes(c));
    const byKey = <Q extends { where: (c: string, op: '=', v: unknown) => Q }>(q: Q): Q =>
      pk.reduce((acc, c) => acc.where(c, '=', param(c)), q);
    rowOps.set(table, {
      pk,
      get: prepare(sqlite, byKey(k.selectFrom(table).selectAll())),
      remove: prepare(sqlite, byKey(k.deleteFrom(table))),
      put: prepare(
        sqlite,
        k
          .insertInto(table)
          .values(Object.fromEntries(cols.map((c) => [c, param(c)])))
          .onConflict((oc) =>
            oc.columns(pk).doUpdateSet(Object.fromEntries(nonPk.map((c) => [c, sql.ref(`excluded.${c}`)]))),
          ),
      ),
    });
  }
  const ops = (t: RowTable) => rowOps.get(t)!;

  // Write-back within a transaction for the entity rows an event stream touches again and
  // again (an inspection is planned, started and completed within a few events): reads see
  // the pending row, and each row is written once, at the end of the (sub)transaction.
  // Anything else that reads these tables (counts) writes the pending rows first.
  const pending = new Map<RowTable, Map<string, { key: Args; row: Args | null }>>(
    WRITE_BACK.map((t) => [t, new Map()]),
  );
  const keyOf = (pk: readonly string[], key: Args): string =>
    pk.length === 2
      ? `${String(key[pk[0]!])}\u0000${String(key[pk[1]!])}`
      : pk.map((c) => String(key[c])).join('\u0000');
  const flush = () => {
    for (const [table, rows] of pending) {
      if (rows.size === 0) continue;
      const o = ops(table);
      for (const { key, row } of rows.values()) {
        if (row) o.put.run(row);
        else o.remove.run(key);
      }
      rows.clear();
    }
  };
  // The chain's last link, known once read or written: every message reads it, and a query per
  // message for it cost as much as the timeline insert. This connection is the only writer of
  // chain_links (the writer lock); a rollback forgets it (`undefined`: read it again).
  let head: ChainLinksTable | null | undefined;
  const discard = () => {
    for (const rows of pending.values()) rows.clear();
    head = undefined;
  };

  const getPosition = prepare(
    sqlite,
    db.selectFrom('projection_position').select('last_seq').where('name', '=', 'events'),
  );
  const putPosition = prepare(
    sqlite,
    db
      .insertInto('projection_position')
      .values({ name: 'events', last_seq: param('seq') })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_seq: param('seq') })),
  );
  const byEventId = prepare(
    sqlite,
    db.selectFrom('timeline').selectAll().where('event_id', '=', param('id')),
  );
  const applied = prepare(
    sqlite,
    db.selectFrom('timeline').select('seq').where('event_id', '=', param('id')),
  );
  const timelineCols = (sqlite.pragma('table_info(timeline)') as { name: string }[]).map((c) => c.name);
  // A plain insert (no upsert by sequence): a row at an occupied sequence is a bug and fails.
  const insertTimeline = prepare(
    sqlite,
    k
      .insertInto('timeline')
      .values(Object.fromEntries(timelineCols.map((c) => [c, param(c)])))
      .onConflict((oc) => oc.column('event_id').doNothing()),
  );
  const bySubjectRef = prepare(
    sqlite,
    db
      .selectFrom('timeline')
      .selectAll()
      .where('uscc', '=', param('uscc'))
      .where('subject_ref', '=', param('ref'))
      .orderBy('seq'),
  );
  const beforeSeq = prepare(
    sqlite,
    db
      .selectFrom('timeline')
      .selectAll()
      .where('uscc', '=', param('uscc'))
      .where('seq', '<', param('seq'))
      .where(
        'event_type',
        'in',
        TYPE_SLOTS.map((i) => param<string>(`t${i}`)),
      )
      .orderBy('seq'),
  );
  const removeSteps = prepare(
    sqlite,
    db
      .deleteFrom('penalty_steps')
      .where('agency', '=', param('agency'))
      .where('case_id', '=', param('caseId')),
  );
  const findTransfer = prepare(
    sqlite,
    db
      .selectFrom('transfers')
      .selectAll()
      .where('case_id', '=', param('caseId'))
      .where('transfer_no', '=', param('transferNo'))
      .where('police_agency', '=', param('police'))
      .orderBy('agency')
      .limit(1),
  );
  const addActivity = prepare(
    sqlite,
    db
      .insertInto('agency_activity_daily')
      .values({
        agency: param('agency'),
        day: param('day'),
        event_type: param('type'),
        count: param('delta'),
      })
      .onConflict((oc) =>
        oc
          .columns(['agency', 'day', 'event_type'])
          .doUpdateSet((eb) => ({ count: eb('agency_activity_daily.count', '+', eb.ref('excluded.count')) })),
      ),
  );
  const count = (table: 'inspections' | 'penalty_cases' | 'complaints' | 'transfers') =>
    prepare(
      sqlite,
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('uscc', '=', param('uscc')),
    );
  const counts = {
    inspection_count: count('inspections'),
    penalty_case_count: count('penalty_cases'),
    complaint_count: count('complaints'),
    transfer_count: count('transfers'),
  };
  const deadLetters = prepare(
    sqlite,
    db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('uscc', '=', param('uscc')),
  );
  const deadAfter = prepare(
    sqlite,
    db.selectFrom('dead_letters').selectAll().where('seq', '>', param('seq')).orderBy('seq'),
  );
  const getMeta = prepare(
    sqlite,
    db.selectFrom('read_model_meta').select('value').where('key', '=', param('key')),
  );
  const setMeta = prepare(
    sqlite,
    db
      .insertInto('read_model_meta')
      .values({ key: param('key'), value: param('value') })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: param('value') })),
  );

  const chainHead = prepare(sqlite, db.selectFrom('chain_links').selectAll().orderBy('seq', 'desc').limit(1));
  const chainLink = prepare(sqlite, db.selectFrom('chain_links').selectAll().where('seq', '=', param('seq')));
  const putChainLink = prepare(
    sqlite,
    db.insertInto('chain_links').values({
      seq: param('seq'),
      prev_hash: param('prev_hash'),
      event_hash: param('event_hash'),
      hash: param('hash'),
    }),
  );

  return {
    transaction: (fn) => {
      // Nested (a savepoint): what the enclosing transaction holds is written first, so a
      // rollback of this one discards exactly its own pending rows.
      flush();
      try {
        // IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first
        // read. A deferred transaction that reads first and then writes cannot wait for the lock:
        // if another connection (the PostgreSQL shipper sealing its changes, a `hub dlq retry`)
        // committed meanwhile, SQLite answers "database is locked" at once. Nested: a savepoint.
        return sqlite
          .transaction(() => {
            const result = fn();
            flush();
            return result;
          })
          .immediate();
      } catch (err) {
        discard();
        throw err;
      }
    },
    position: () => getPosition.get<{ last_seq: number }>()?.last_seq ?? 0,
    setPosition: (seq) => void putPosition.run({ seq }),
    get: (table, key) => {
      const rows = pending.get(table);
      if (rows) {
        const hit = rows.get(keyOf(ops(table).pk, key));
        // A copy: callers may change a row they read and not write it back.
        if (hit) return hit.row ? ({ ...hit.row } as never) : undefined;
      }
      return ops(table).get.get(key);
    },
    put: (table, row) => {
      const rows = pending.get(table);
      const args = row as unknown as Args;
      if (rows) rows.set(keyOf(ops(table).pk, args), { key: args, row: { ...args } });
      else ops(table).put.run(args);
    },
    remove: (table, key) => {
      const rows = pending.get(table);
      if (rows) rows.set(keyOf(ops(table).pk, key), { key, row: null });
      else ops(table).remove.run(key);
    },
    timelineByEventId: (id) => byEventId.get({ id }),
    isApplied: (id) => applied.get({ id }) !== undefined,
    insertTimeline: (row) => insertTimeline.run(row as unknown as Args) === 1,
    timelineBySubjectRef: (uscc, ref) => bySubjectRef.all({ uscc, ref }),
    businessEventsBefore: (uscc, seq, types) => {
      if (types.length > TYPE_SLOTS.length)
        throw new Error(`businessEventsBefore: at most ${TYPE_SLOTS.length} event types`);
      const args: Record<string, unknown> = { uscc, seq };
      // Unused slots repeat the first type: `IN (a, b, a, a)` is `IN (a, b)`.
      for (const i of TYPE_SLOTS) args[`t${i}`] = types[i] ?? types[0] ?? '';
      return beforeSeq.all<TimelineTable>(args);
    },
    removePenaltySteps: (agency, caseId) => void removeSteps.run({ agency, caseId }),
    findTransfer: (caseId, transferNo, police) => findTransfer.get({ caseId, transferNo, police }),
    addActivity: (agency, day, type, delta) => void addActivity.run({ agency, day, type, delta }),
    countEntities: (uscc) => {
      flush();
      const n = (p: Prepared) => p.get<{ n: number }>({ uscc })?.n ?? 0;
      return {
        inspection_count: n(counts.inspection_count),
        penalty_case_count: n(counts.penalty_case_count),
        complaint_count: n(counts.complaint_count),
        transfer_count: n(counts.transfer_count),
      };
    },
    countDeadLetters: (uscc) => deadLetters.get<{ n: number }>({ uscc })?.n ?? 0,
    deadLettersAfter: (seq) => deadAfter.all({ seq }),
    getMeta: (key) => getMeta.get<{ value: string }>({ key })?.value,
    setMeta: (key, value) => void setMeta.run({ key, value }),
    chainHead: () => {
      if (head === undefined) head = chainHead.get<ChainLinksTable>() ?? null;
      return head ?? undefined;
    },
    chainLink: (seq) => chainLink.get<ChainLinksTable>({ seq }),
    putChainLink: (link) => {
      putChainLink.run(link as unknown as Args);
      if (head !== undefined && (head === null || link.seq > head.seq)) head = { ...link };
    },
  };
}
