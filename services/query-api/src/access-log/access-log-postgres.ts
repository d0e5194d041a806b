/**
 * The access log in PostgreSQL (with `READ_MODEL_URL`): table `access_log` of the read model's
 * database, beside the read model but not part of it (never shipped, digested or replaced by a
 * rebuild). Every query API process over the database appends to the one log, and `hub evidence
 * export` too; any of them lists it.
 *
 * Durability: a read is answered only after its row is committed — PostgreSQL's commit (with the
 * server's default `synchronous_commit = on`) is on disk, so, unlike the SQLite file's 20 ms
 * window, nothing answered is lost even to a power cut. Group commit (docs/decisions.md): one
 * INSERT in flight at a time; the rows of reads that arrive meanwhile share the next one. Append-only:
 * triggers refuse UPDATE, DELETE and TRUNCATE.
 *
 * @example
 * const log = await openPostgresAccessLog({ url: config.READ_MODEL_URL });
 * await log.record({ tokenId, roles: ['committee'], uscc, resource: 'history', status: 200 });
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { listAccessLog, type AccessLog, type AccessLogDb, type AccessRecord } from './access-log.js';

/** Held while migrating (the read model's is 72_610_001, the tokens' 72_610_003). */
const ACCESS_LOG_MIGRATION_LOCK = 72_610_004;

/** Rows in one INSERT at most. */
const MAX_ROWS_PER_INSERT = 4_096;

const DDL = [
  `CREATE TABLE IF NOT EXISTS access_log (
     id BIGSERIAL PRIMARY KEY,
     at TEXT NOT NULL,
     token_id TEXT NOT NULL,
     subject TEXT,
     roles TEXT NOT NULL,
     uscc TEXT NOT NULL,
     resource TEXT NOT NULL,
     query TEXT,
     status INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS access_log_uscc ON access_log (uscc, id)`,
  `CREATE INDEX IF NOT EXISTS access_log_token ON access_log (token_id, id)`,
  `CREATE OR REPLACE FUNCTION hub_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'access log is append-only'; END $$`,
  // CREATE TRIGGER has no IF NOT EXISTS before PostgreSQL 14.
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'access_log_append_only') THEN
       CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
         FOR EACH ROW EXECUTE FUNCTION hub_access_log_append_only();
     END IF;
     IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'access_log_no_truncate') THEN
       CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
         FOR EACH STATEMENT EXECUTE FUNCTION hub_access_log_append_only();
     END IF;
   END $$`,
];

export async function openPostgresAccessLog(opts: {
  url: string;
  now?: () => Date;
  /** Pool size. @default 4 */
  max?: number;
}): Promise<AccessLog> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 4 });
  pool.on('error', () => undefined);
  const db = new Kysely<AccessLogDb>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Idempotent, in one transaction under an advisory lock: several processes may start together.
    await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${ACCESS_LOG_MIGRATION_LOCK})`.execute(tx);
      for (const statement of DDL) await sql.raw(statement).execute(tx);
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const now = opts.now ?? (() => new Date());
  // Group commit: one INSERT in flight at a time. Rows that arrive while it runs wait for it and
  // then go together in the next one (one statement, one commit, one round trip); a row that finds
  // nothing in flight goes at the end of its event-loop turn, with the others of that turn.
  const queue: { row: AccessRecord; done: (err?: Error) => void }[] = [];
  let inFlight: Promise<void> | undefined;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (inFlight !== undefined || queue.length === 0) return;
    // PostgreSQL takes at most 65 535 parameters in a statement (8 a row); the rest go next.
    const batch = queue.splice(0, MAX_ROWS_PER_INSERT);
    const at = now().toISOString();
    inFlight = db
      .insertInto('access_log')
      .values(
        batch.map(({ row: e }) => ({
          at,
          token_id: e.tokenId,
          subject: e.subject ?? null,
          roles: e.roles.join(','),
          uscc: e.uscc,
          resource: e.resource,
          query: e.query ?? null,
          status: e.status,
        })),
      )
      .execute()
      .then(
        () => {
          for (const b of batch) b.done();
        },
        (err: unknown) => {
          for (const b of batch) b.done(err instanceof Error ? err : new Error(String(err)));
        },
      )
      .finally(() => {
        inFlight = undefined;
        flush(); // the rows that waited for this commit
      });
  };

  return {
    record(e) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row: e, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (!scheduled && inFlight === undefined) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    list: (f) => listAccessLog(db, f),
    async close() {
      flush();
      while (inFlight !== undefined) await inFlight;
      await db.destroy();
    },
  };
}
