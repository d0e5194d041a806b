/**
 * A standby's working copy that lacks what PostgreSQL holds beyond the stream — a dead letter the
 * active projector retried (`hub dlq retry`): replaying the stream cannot give it, and shipping
 * from such a copy after a takeover would write over it. The copy is replaced by a snapshot of
 * PostgreSQL (its rows, position and model id), which the live projector follows by CURRENT as
 * after a rebuild and continues from the stream; its changes then ship incrementally.
 *
 * The check reads one `read_model_meta` value on each side (the retry count), on a standby's
 * passes and on the pass that takes the lock — never on the active projector's shipping path.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '@hub/platform';
import {
  captureInfo,
  DLQ_RETRIES_META,
  installChangeCapture,
  openSqlite,
  readModelDir,
  snapshotPostgresToFile,
  switchCurrentReadModel,
  type ReadModelDatabase,
  type SqliteDb,
} from '@hub/read-model';

const localRetries = (sqlite: SqliteDb): number =>
  Number(
    sqlite.prepare('SELECT value FROM read_model_meta WHERE key = ?').pluck().get(DLQ_RETRIES_META) ?? 0,
  );

/**
 * True when the working copy and PostgreSQL disagree on dead-letter retries: PostgreSQL holds
 * the same projection with another retry count (a retry applied by the active projector, or one
 * this copy applied and PostgreSQL refused after a takeover), or another projection that was
 * retried into (which this copy cannot have). A PostgreSQL with no projection yet is filled from
 * the copy as before.
 */
export async function lacksRetries(db: Kysely<ReadModelDatabase>, sqlite: SqliteDb): Promise<boolean> {
  const r = await sql<{ retries: string | null; model: string | null }>`
    SELECT (SELECT value FROM read_model_meta WHERE key = ${DLQ_RETRIES_META}) AS retries,
           (SELECT model_id FROM hub_pg_origin WHERE name = 'events') AS model`.execute(db);
  const pg = r.rows[0];
  if (!pg?.model) return false;
  const pgRetries = Number(pg.retries ?? 0);
  return pg.model === captureInfo(sqlite)?.modelId ? pgRetries !== localRetries(sqlite) : pgRetries > 0;
}

/** Snapshots PostgreSQL into a new working copy, capture installed, and switches CURRENT to it. */
export async function reseedFromPostgres(
  db: Kysely<ReadModelDatabase>,
  dataDir: string,
  log: Logger,
): Promise<{ path: string; position: number }> {
  const path = join(readModelDir(dataDir), `read-model-pg-${Date.now()}.sqlite`);
  const snap = await snapshotPostgresToFile(db, path);
  const sqlite = openSqlite(path, false);
  try {
    installChangeCapture(sqlite); // before any projector writes it: keeps PostgreSQL's model id
  } finally {
    sqlite.close();
  }
  switchCurrentReadModel(dataDir, path);
  // Earlier snapshots are no longer followed (a file still open is unlinked, not lost to its reader).
  for (const name of readdirSync(readModelDir(dataDir))) {
    if (/^read-model-pg-\d+\.sqlite(-wal|-shm)?$/.test(name) && !name.startsWith(basename(path)))
      rmSync(join(readModelDir(dataDir), name), { force: true });
  }
  log.warn(
    { path, position: snap.position, rows: snap.rows },
    '工作副本缺少 PostgreSQL 中已重试的死信，改用 PostgreSQL 的快照继续 (the working copy lacks dead-letter retries PostgreSQL holds: continuing from a snapshot of PostgreSQL)',
  );
  return { path, position: snap.position };
}
