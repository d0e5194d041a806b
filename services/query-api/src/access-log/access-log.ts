/**
 * The access log (访问日志): every read of a business's history or profile — who (token id and
 * holder), with which roles, which business, when, what was asked and the answer's status.
 *
 * It lives in the query API's own SQLite file, not in the read model: the read model must stay a
 * pure function of the events. Append-only: the API has no route that changes it, and triggers
 * refuse UPDATE and DELETE on the table itself.
 *
 * Durability (docs/decisions.md): a read is answered only after its row is committed. Rows of
 * reads that arrive together share one transaction, at the end of the event-loop turn; the
 * commit is in the WAL (it survives a crash of the process), and the WAL is fsynced off the event
 * loop within 20 ms, so an OS crash or power cut can take at most the reads of the last ~20 ms.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

export interface AccessLogTable {
  id: Generated<number>;
  at: string;
  token_id: string;
  subject: string | null;
  roles: string;
  uscc: string;
  resource: string;
  query: string | null;
  status: number;
}
export interface AccessLogDb {
  access_log: AccessLogTable;
}

export interface AccessRecord {
  tokenId: string;
  subject?: string | undefined;
  roles: readonly string[];
  uscc: string;
  /** `evidence-export`: `hub evidence export` (the CLI appends its own row). */
  resource: 'history' | 'profile' | 'inspection-check' | 'evidence-export';
  /** The query string as asked (filters, asOf), without the token. */
  query?: string | undefined;
  status: number;
}

export interface AccessEntry extends Omit<AccessRecord, 'query' | 'subject'> {
  id: number;
  at: string;
  subject: string | null;
  query: string | null;
}

export interface AccessLogFilter {
  uscc?: string | undefined;
  tokenId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Entries with an id below this one (newest first). */
  beforeId?: number | undefined;
  limit: number;
}

/** The port the HTTP layer uses. */
export interface AccessLog {
  /** Resolves once the row is committed; answer the read after that. */
  record(entry: AccessRecord): Promise<void>;
  list(filter: AccessLogFilter): Promise<{ entries: AccessEntry[]; nextBeforeId: number | undefined }>;
  close(): Promise<void>;
}

const DDL = [
  `create table if not exists access_log (
     id integer primary key autoincrement,
     at text not null,
     token_id text not null,
     subject text,
     roles text not null,
     uscc text not null,
     resource text not null,
     query text,
     status integer not null)`,
  `create index if not exists access_log_uscc on access_log (uscc, id)`,
  `create index if not exists access_log_token on access_log (token_id, id)`,
  `create trigger if not exists access_log_no_update before update on access_log
     begin select raise(abort, 'access log is append-only'); end`,
  `create trigger if not exists access_log_no_delete before delete on access_log
     begin select raise(abort, 'access log is append-only'); end`,
];

/** How long a committed row may wait for the WAL's fsync (its loss window on a power cut). */
const SYNC_EVERY_MS = 20;

/**
 * Opens (creating when missing) the access log at `path`.
 *
 * @example
 * const log = openAccessLog({ path: join(dataDir, 'query-api', 'access-log.sqlite') });
 */
export function openAccessLog(opts: { path: string; now?: () => Date }): AccessLog {
  mkdirSync(dirname(opts.path), { recursive: true });
  const sqlite = new SQLite(opts.path);
  sqlite.pragma('journal_mode = WAL');
  // In WAL, NORMAL survives any crash of the process (the record is in the WAL before the answer
  // is sent); the WAL is fsynced within 20 ms of a commit, off the event loop (below). Waiting for
  // that fsync before answering would put the disk's sync latency into every read of a business's
  // file (it was the p99 of history over HTTP, docs/benchmarks.md).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  for (const statement of DDL) sqlite.exec(statement);
  const now = opts.now ?? (() => new Date());
  // Compiled once; the rows of one event-loop turn go in one transaction.
  const insert = sqlite.prepare(
    `insert into access_log (at, token_id, subject, roles, uscc, resource, query, status)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAll = sqlite.transaction((rows: readonly AccessRecord[], at: string) => {
    for (const e of rows) {
      insert.run(
        at,
        e.tokenId,
        e.subject ?? null,
        e.roles.join(','),
        e.uscc,
        e.resource,
        e.query ?? null,
        e.status,
      );
    }
  });
  const db = new Kysely<AccessLogDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  const wal = openSync(`${opts.path}-wal`, 'r+');
  // One fsync of the WAL at most every SYNC_EVERY_MS, off the event loop: each call hands work
  // to the thread pool, which on a busy 2-core machine costs the event loop ~0.3 ms of its time.
  let syncing = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const syncWal = () => {
    timer = undefined;
    if (syncing) return void (timer = setTimeout(syncWal, SYNC_EVERY_MS));
    syncing = true;
    fdatasync(wal, () => {
      syncing = false;
      if (closed) closeSync(wal);
    });
  };
  const syncSoon = () => {
    timer ??= setTimeout(syncWal, SYNC_EVERY_MS);
  };
  let queue: { row: AccessRecord; done: (err?: Error) => void }[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      insertAll(
        batch.map((b) => b.row),
        now().toISOString(),
      );
    } catch (err) {
      for (const b of batch) b.done(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const b of batch) b.done();
    syncSoon();
  };

  return {
    record(e) {
      return new Promise<void>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ row: e, done: (err) => (err === undefined ? resolve() : reject(err)) });
      });
    },
    list: (f) => listAccessLog(db, f),
    async close() {
      if (queue.length > 0) flush();
      closed = true;
      if (timer) clearTimeout(timer);
      if (!syncing) {
        fdatasyncSync(wal);
        closeSync(wal);
      }
      await db.destroy();
    },
  };
}

/** One page of the log, newest first (the same query on SQLite and PostgreSQL). */
export async function listAccessLog(
  db: Kysely<AccessLogDb>,
  f: AccessLogFilter,
): Promise<{ entries: AccessEntry[]; nextBeforeId: number | undefined }> {
  let q = db
    .selectFrom('access_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.uscc !== undefined) q = q.where('uscc', '=', f.uscc);
  if (f.tokenId !== undefined) q = q.where('token_id', '=', f.tokenId);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<=', f.to);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    entries: page.map((r) => ({
      // PostgreSQL's BIGSERIAL arrives as text.
      id: Number(r.id),
      at: r.at,
      tokenId: r.token_id,
      subject: r.subject,
      roles: r.roles === '' ? [] : r.roles.split(','),
      uscc: r.uscc,
      resource: r.resource as AccessRecord['resource'],
      query: r.query,
      status: r.status,
    })),
    nextBeforeId: rows.length > f.limit ? Number(page[page.length - 1]?.id) : undefined,
  };
}
