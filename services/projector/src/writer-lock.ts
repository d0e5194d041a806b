/**
 * One writer per read model. The lock is a row in the file itself, taken in an IMMEDIATE
 * transaction so two projectors starting together cannot both win. A projector killed with
 * SIGKILL leaves its row behind; the next one sees that the PID is gone and takes over.
 */
import { hostname } from 'node:os';
import { HubError } from '@hub/domain';
import type { SqliteDb } from '@hub/read-model';

export interface WriterLock {
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function acquireWriterLock(sqlite: SqliteDb, path: string): WriterLock {
  const host = hostname();
  const take = sqlite.transaction(() => {
    const holder = sqlite
      .prepare('SELECT pid, host, started_at FROM writer_lock WHERE name = ?')
      .get('projector') as { pid: number; host: string; started_at: string } | undefined;
    if (holder && (holder.host !== host || alive(holder.pid))) {
      throw new HubError(
        'READ_MODEL_LOCKED',
        `读模型已有写入进程 (the read model already has a writer): ${path} — ` +
          `PID ${holder.pid} @ ${holder.host}，自 ${holder.started_at} 起 (since ${holder.started_at})。` +
          `每个读模型只能有一个投影进程，请先停止它 (one projector per read model: stop it first).`,
      );
    }
    sqlite
      .prepare(
        'INSERT INTO writer_lock (name, pid, host, started_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, started_at = excluded.started_at',
      )
      .run('projector', process.pid, host, new Date().toISOString());
  });
  take.immediate();
  let held = true;
  return {
    release() {
      if (!held || !sqlite.open) return;
      held = false;
      sqlite.prepare('DELETE FROM writer_lock WHERE name = ? AND pid = ?').run('projector', process.pid);
    },
  };
}
