/**
 * When each token was last used, for `hub token list`. Kept cheap on the request path: a
 * verify only notes the time in memory; each process writes its own small file
 * (`<HUB_DATA_DIR>/token-use/<process>.json`) at most every 30 s and at exit, only when
 * something changed. Readers take the latest time across the files, so the figure may lag by
 * that interval.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export const tokenUsageDir = (dataDir: string): string => join(dataDir, 'token-use');

export interface TokenUsageRecorder {
  /** Notes a use (milliseconds since the epoch); no I/O. */
  touch(id: string, at: number): void;
  /** Writes what changed since the last write. */
  flush(): void;
  close(): void;
}

const open = new Set<TokenUsageRecorder>();
let exitHook = false;

function readUsageFile(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function createTokenUsageRecorder(
  dataDir: string,
  processName: string,
  opts: { flushMs?: number } = {},
): TokenUsageRecorder {
  const file = join(tokenUsageDir(dataDir), `${processName.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  const pending = new Map<string, number>();
  const flush = () => {
    if (pending.size === 0) return;
    try {
      mkdirSync(tokenUsageDir(dataDir), { recursive: true });
      // Merged with what is on disk: another store of the same name may have written meanwhile.
      const merged = readUsageFile(file);
      for (const [id, at] of pending) {
        const iso = new Date(at).toISOString();
        if ((merged[id] ?? '') < iso) merged[id] = iso;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(merged)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
      pending.clear();
    } catch {
      // Last use is information, not a control: a full disk must not fail a request.
    }
  };
  const timer = setInterval(flush, opts.flushMs ?? 30_000);
  timer.unref();
  const recorder: TokenUsageRecorder = {
    touch(id, at) {
      if ((pending.get(id) ?? 0) < at) pending.set(id, at);
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
      open.delete(recorder);
    },
  };
  open.add(recorder);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const r of open) r.flush();
    });
  }
  return recorder;
}

/** The latest use of each token id across every process's file. */
export function readTokenUsage(dataDir: string): Map<string, string> {
  const dir = tokenUsageDir(dataDir);
  const latest = new Map<string, string>();
  if (!existsSync(dir)) return latest;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    for (const [id, at] of Object.entries(readUsageFile(join(dir, name)))) {
      if (typeof at === 'string' && (latest.get(id) ?? '') < at) latest.set(id, at);
    }
  }
  return latest;
}
