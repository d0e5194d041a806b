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
  /** Whether a sync is running now (what is committed meanwhile waits for the next one). */
  readonly busy: boolean;
  /** Synchronous flush (for close): everything written so far is on disk on return. */
  syncNow(): void;
  close(): void;
}

/** Opens the WAL file of a database in WAL mode (it must exist: open the database first). */
export function createWalSync(walPath: string): WalSync {
  const fd = openSync(walPath, 'r+');
  // The WAL's directory entry, once: a power cut must not take the file itself.
  const dir = openSync(dirname(walPath), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  let running: ((err: Error | null) => void)[] | undefined;
  let waiting: ((err: Error | null) => void)[] = [];
  let closed = false;
  let fdOpen = true;

  const start = () => {
    const batch = waiting;
    waiting = [];
    running = batch;
    fdatasync(fd, (err) => {
      running = undefined;
      if (closed) {
        if (fdOpen) closeSync(fd);
        fdOpen = false;
      }
      for (const done of batch) done(err);
      if (waiting.length > 0 && !closed) start();
    });
  };

  return {
    sync(done) {
      waiting.push(done);
      if (running === undefined) start();
    },
    get busy() {
      return running !== undefined;
    },
    syncNow() {
      fdatasyncSync(fd);
      const batch = [...(running ?? []), ...waiting];
      // Those callbacks are answered now; the sync in flight still ends, with nobody waiting.
      if (running) running.length = 0;
      waiting = [];
      for (const done of batch) done(null);
    },
    close() {
      closed = true;
      if (running === undefined && fdOpen) {
        closeSync(fd);
        fdOpen = false;
      }
    },
  };
}
