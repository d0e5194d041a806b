/**
 * Where the active read model lives: `<HUB_DATA_DIR>/read-model/CURRENT` names the file in
 * that folder. A rebuild writes a new file beside the live one and switches CURRENT by an
 * atomic rename; the projector and the query API follow it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const DEFAULT_READ_MODEL_FILE = 'read-model.sqlite';

export const readModelDir = (dataDir: string): string => join(dataDir, 'read-model');

/** The file named by CURRENT, or the default file when there is no CURRENT yet. */
export function currentReadModelPath(dataDir: string): string {
  const dir = readModelDir(dataDir);
  const current = join(dir, 'CURRENT');
  const name = existsSync(current) ? readFileSync(current, 'utf8').trim() : '';
  return join(dir, name || DEFAULT_READ_MODEL_FILE);
}

/** Points CURRENT at `file` (a file in the read-model folder) atomically. */
export function switchCurrentReadModel(dataDir: string, file: string): void {
  const dir = readModelDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `CURRENT.${process.pid}.tmp`);
  writeFileSync(tmp, `${basename(file)}\n`);
  renameSync(tmp, join(dir, 'CURRENT'));
}
