/**
 * Follows the active read model: `<HUB_DATA_DIR>/read-model/CURRENT` names the file (the
 * projector switches it after a rebuild by an atomic rename). Each `get()` stats CURRENT and the
 * file it names — two system calls; CURRENT is read again only when its stamp changed — and
 * reopens when either changed: the request after a switch reads the new file. The old connection is
 * closed a little later, so requests already running on it finish.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  DEFAULT_READ_MODEL_FILE,
  openPostgresReadModel,
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

  // CURRENT's stamp (inode, change time, size) and the path it named then.
  let named: { stamp: string; path: string } | undefined;
  function target(): string {
    const st = statSync(currentFile, { throwIfNoEntry: false, bigint: true });
    const stamp = st ? `${st.ino}:${st.ctimeNs}:${st.size}` : '';
    if (named?.stamp === stamp) return named.path;
    const name = st ? readFileSync(currentFile, 'utf8').trim() : '';
    const path = join(dir, name || DEFAULT_READ_MODEL_FILE);
    named = { stamp, path };
    return path;
  }

  return {
    get() {
      const path = target();
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) {
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
      for (const timer of retiring.values()) clearTimeout(timer);
      const all = [...retiring.keys(), ...(open ? [open.db] : [])];
      retiring.clear();
      open = undefined;
      await Promise.all(all.map((db) => db.destroy()));
    },
  };
}

/**
 * The read model on PostgreSQL: one pool for every request; several query API processes may
 * serve the same database. A rebuild replaces the rows in one transaction, so there is nothing
 * to follow. Migrated at open (idempotent, under an advisory lock), so the API starts before
 * the projector has written anything.
 */
export async function createPostgresReadModelSource(url: string): Promise<ReadModelSource> {
  const db = await openPostgresReadModel({ url });
  const where = url.replace(/\/\/[^@/]*@/, '//');
  return {
    get: () => ({ ok: true, db, path: where }),
    close: () => db.destroy(),
  };
}
