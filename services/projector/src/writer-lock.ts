/**
 * One writer per read model, held as an OS file lock: an exclusive SQLite lock on
 * `<read model>.lock`, kept by an open connection in `locking_mode = EXCLUSIVE` after one write
 * transaction. The kernel drops the lock when the process ends, however it ends (SIGKILL, OOM,
 * power loss), so a projector started again at once never finds a stale lock. Nothing here
 * depends on PIDs, which lie: a zombie's PID still exists, a PID is reused, and in a container
 * the projector may be PID 1 every time.
 *
 * Who holds the lock is also written, for information only, to the read model's
 * `writer_lock` row, so that a refusal can name the holder.
 */
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { HubError } from '@hub/domain';
import type { SqliteDb } from '@hub/read-model';

export interface WriterLock {
  release(): void;
}

/** How long to wait for the lock before refusing. */
const LOCK_WAIT_MS = 1000;

export const writerLockPath = (readModelPath: string): string => `${readModelPath}.lock`;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

function lockedError(sqlite: SqliteDb, path: string, cause: unknown): HubError {
  let holder: { pid: number; host: string; started_at: string } | undefined;
  try {
    holder = sqlite
      .prepare('SELECT pid, host, started_at FROM writer_lock WHERE name = ?')
      .get('projector') as typeof holder;
  } catch {
    holder = undefined;
  }
  const who = holder
    ? ` — PID ${holder.pid} @ ${holder.host}，自 ${holder.started_at} 起 (since ${holder.started_at})`
    : '';
  return new HubError(
    'READ_MODEL_LOCKED',
    `读模型已有写入进程 (the read model already has a writer): ${path}${who}。` +
      `每个读模型只能有一个投影进程，请先停止它 (one projector per read model: stop it first).`,
    { cause },
  );
}

/** Takes the lock, or throws READ_MODEL_LOCKED when another process keeps it. */
export function acquireWriterLock(sqlite: SqliteDb, path: string): WriterLock {
  // A short wait: a predecessor killed a moment ago may not be gone yet.
  const file = new Database(writerLockPath(path), { timeout: LOCK_WAIT_MS });
  try {
    file.pragma('locking_mode = EXCLUSIVE');
    // The write takes the exclusive lock; in EXCLUSIVE mode it is kept until the connection closes.
    file.exec(
      'BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER, started_at TEXT); ' +
        `INSERT OR REPLACE INTO holder VALUES (1, ${process.pid}, '${new Date().toISOString()}'); COMMIT;`,
    );
  } catch (err) {
    file.close();
    if (isBusy(err)) throw lockedError(sqlite, path, err);
    throw err;
  }
  sqlite
    .prepare(
      'INSERT INTO writer_lock (name, pid, host, started_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, started_at = excluded.started_at',
    )
    .run('projector', process.pid, hostname(), new Date().toISOString());
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      if (sqlite.open) {
        sqlite.prepare('DELETE FROM writer_lock WHERE name = ? AND pid = ?').run('projector', process.pid);
      }
      // The lock file stays: removing it would let a waiting opener lock a file no one else sees.
      file.close();
    },
  };
}
