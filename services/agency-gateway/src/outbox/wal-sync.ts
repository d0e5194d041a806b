/**
 * Durability of the outbox's commits without blocking the event loop: the writing connection
 * commits with `synchronous = NORMAL` (the commit is written to the WAL, not yet fsynced), then
 * this flushes the WAL file with `fdatasync` on libuv's thread pool. A commit is durable — it
 * survives an OS crash or a power cut — once a sync that started after it has completed; that
 * is what SQLite's `synchronous = FULL` does inside the commit, on the calling thread.
 *
 * A process crash (SIGKILL) loses nothing even before the sync: the WAL frames are in the
 * kernel's page cache as soon as the commit returns.
 */
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WalSync {
  /** Calls `done` once everything written to the WAL before this call is on disk. */
  sync(done: (err: Error | null) => void): void;
  /** Whether as many syncs run as may overlap (what is committed meanwhile waits for one to end). */
  readonly busy: boolean;
  /** Synchronous flush (for close): everything written so far is on disk on return. */
  syncNow(): void;
  close(): void;
}

/**
 * How many `fdatasync` calls may run at once. A commit made while one runs starts its own at
 * once instead of waiting for it: the disk's queue takes the second while the first completes
 * (measured here: ~2× the syncs per second with three in flight against one), and the requests
 * of the second commit no longer wait for the first's remaining time plus a whole sync.
 */
export const MAX_OVERLAPPING_SYNCS = 3;

/** Opens the WAL file of a database in WAL mode (it must exist: open the database first). */
export function createWalSync(walPath: string, maxOverlapping = MAX_OVERLAPPING_SYNCS): WalSync {
  const fd = openSync(walPath, 'r+');
  // The WAL's directory entry, once: a power cut must not take the file itself.
  const dir = openSync(dirname(walPath), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  // Syncs running, by start order: one that completes covers every one started before it too.
  const running = new Map<number, ((err: Error | null) => void)[]>();
  let started = 0;
  let waiting: ((err: Error | null) => void)[] = [];
  let closed = false;
  let fdOpen = true;

  const start = () => {
    const id = ++started;
    running.set(id, waiting);
    waiting = [];
    fdatasync(fd, (err) => {
      const covered: ((err: Error | null) => void)[] = [];
      if (err) {
        // Only this sync's callers learn of it; syncs started earlier still answer for theirs.
        covered.push(...(running.get(id) ?? []));
        running.delete(id);
      } else {
        for (const [k, batch] of running) {
          if (k > id) break;
          covered.push(...batch);
          running.delete(k);
        }
      }
      if (closed && running.size === 0 && fdOpen) {
        closeSync(fd);
        fdOpen = false;
      }
      for (const done of covered) done(err);
      if (waiting.length > 0 && !closed && running.size < maxOverlapping) start();
    });
  };

  return {
    sync(done) {
      waiting.push(done);
      if (running.size < maxOverlapping) start();
    },
    get busy() {
      return running.size >= maxOverlapping;
    },
    syncNow() {
      fdatasyncSync(fd);
      const batch = [...[...running.values()].flat(), ...waiting];
      // Those callbacks are answered now; the syncs in flight still end, with nobody waiting.
      for (const k of running.keys()) running.set(k, []);
      waiting = [];
      for (const done of batch) done(null);
    },
    close() {
      closed = true;
      if (running.size === 0 && fdOpen) {
        closeSync(fd);
        fdOpen = false;
      }
    },
  };
}
