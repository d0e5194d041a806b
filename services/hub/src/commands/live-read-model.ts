/**
 * Which read model a command reads: PostgreSQL's with READ_MODEL_URL (the one every query API
 * serves), else the data folder's file. Commands that check a file (`verify`, `verify --chain`,
 * `evidence export`) read PostgreSQL through a snapshot: one REPEATABLE READ copy into a
 * temporary file beside the data folder's read models, removed afterwards, so what they check is
 * what PostgreSQL held at one position while the active projector moves on.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { HubError } from '@hub/domain';
import {
  currentReadModelPath,
  openPostgresReadModel,
  readModelDir,
  snapshotPostgresToFile,
  type ReadModelDatabase,
} from '@hub/read-model';
import { loadHubConfig } from '../config.js';

/** A URL as printed: without its password. */
export const withoutPassword = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** PostgreSQL's read model when READ_MODEL_URL is set, else undefined. */
export async function openLiveReadModelPostgres(): Promise<
  { db: Kysely<ReadModelDatabase>; label: string } | undefined
> {
  const url = loadHubConfig(process.env).readModelUrl;
  if (!url) return undefined;
  return { db: await openPostgresReadModel({ url, max: 2 }), label: withoutPassword(url) };
}

/**
 * Runs `fn` on a read model file: the data folder's live file, or a snapshot of PostgreSQL's.
 * `label` names what was read (the file, or the database and the snapshot's position).
 */
export async function withLiveReadModelFile<T>(
  dataDir: string,
  fn: (path: string, label: string) => Promise<T>,
): Promise<T> {
  const pg = await openLiveReadModelPostgres();
  if (!pg) {
    const path = currentReadModelPath(dataDir);
    if (!existsSync(path)) throw new HubError('NOT_FOUND', `读模型不存在 (no read model): ${path}`);
    return fn(path, path);
  }
  mkdirSync(readModelDir(dataDir), { recursive: true });
  const dir = mkdtempSync(join(readModelDir(dataDir), 'pg-snapshot-'));
  try {
    const path = join(dir, 'snapshot.sqlite');
    const snap = await snapshotPostgresToFile(pg.db, path);
    await pg.db.destroy();
    return await fn(path, `${pg.label} (快照 snapshot @ ${snap.position})`);
  } finally {
    await pg.db.destroy().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
