/**
 * Follows the active read model: `<HUB_DATA_DIR>/read-model/CURRENT` names the file (the
 * projector switches it after a rebuild by an atomic rename). `get()` looks at CURRENT and the
 * file it names — and reopens when either changed — only after a watch on the directory saw a
 * file appear, go or be renamed, or CURRENT change; with no watch (no directory yet, or none
 * possible here) it looks on every call. The old connection is closed a little later, so
 * requests already running on it finish.
 */
import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  DEFAULT_READ_MODEL_FILE,
  openReadModel,
  readModelDir,
  type ReadModelDatabase,
} from '@hub/read-model';

export type ReadModelState =
  { ok: true; db: Kysely<ReadModelDatabase>; path: string } | { ok: false; reason: string };

export interface ReadModelSource {
  get(): ReadModelState;
  close(): Promise<void>;
}

export interface ReadModelSourceOptions {
  dataDir: string;
  /** How long a replaced connection stays open for requests already using it. */
  graceMs?: number;
}

export function createReadModelSource(opts: ReadModelSourceOptions): ReadModelSource {
  const dir = readModelDir(opts.dataDir);
  const currentFile = join(dir, 'CURRENT');
  const graceMs = opts.graceMs ?? 5_000;
  let open: { db: Kysely<ReadModelDatabase>; path: string; ino: number } | undefined;
  const retiring = new Map<Kysely<ReadModelDatabase>, NodeJS.Timeout>();

  const retire = (db: Kysely<ReadModelDatabase>) => {
    const timer = setTimeout(() => {
      retiring.delete(db);
      void db.destroy();
    }, graceMs);
    retiring.set(db, timer.unref());
  };

  // Three system calls per request otherwise (a fifth of a history read's syscalls).
  let watcher: FSWatcher | undefined;
  let changed = true;
  const watchDir = () => {
    if (watcher !== undefined) return;
    try {
      watcher = watch(dir, { persistent: false }, (event, name) => {
        // Writes inside the database, its WAL and shared memory are `change` events: not ours.
        if (event === 'rename' || name === null || name === 'CURRENT') changed = true;
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
        changed = true;
      });
    } catch {
      watcher = undefined; // no directory yet: look on every call until there is one
    }
  };

  function target(): string {
    const name = existsSync(currentFile) ? readFileSync(currentFile, 'utf8').trim() : '';
    return join(dir, name || DEFAULT_READ_MODEL_FILE);
  }

  return {
    get() {
      if (!changed && watcher !== undefined && open !== undefined)
        return { ok: true, db: open.db, path: open.path };
      watchDir();
      changed = false;
      const path = target();
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) {
        // The directory may have gone with it: watch it anew once it is back.
        watcher?.close();
        watcher = undefined;
        return {
          ok: false,
          reason: `读模型尚不存在，投影服务未启动或未完成首次构建 (the read model ${path} does not exist yet: is the projector running?)`,
        };
      }
      // A rebuilt file replaced under the same name has a new inode.
      if (open && open.path === path && open.ino === stat.ino) return { ok: true, db: open.db, path };
      if (open) retire(open.db);
      try {
        const db = openReadModel({ path, readonly: true });
        open = { db, path, ino: stat.ino };
        return { ok: true, db, path };
      } catch (err) {
        open = undefined;
        return { ok: false, reason: `读模型无法打开 (cannot open the read model ${path}): ${String(err)}` };
      }
    },
    async close() {
      watcher?.close();
      watcher = undefined;
      for (const timer of retiring.values()) clearTimeout(timer);
      const all = [...retiring.keys(), ...(open ? [open.db] : [])];
      retiring.clear();
      open = undefined;
      await Promise.all(all.map((db) => db.destroy()));
    },
  };
}
