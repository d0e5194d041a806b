/**
 * The durable outbox (SQLite through better-sqlite3): an accepted record is a row here before
 * the service answers 202, and stays until the relay has the JetStream ack.
 *
 * Durability: an append resolves only once its commit is on disk (it survives an OS crash, not
 * only a process crash): the 202 is a promise. The writing connection commits in WAL mode with
 * `synchronous=NORMAL` and the WAL is then flushed with `fdatasync` off the event loop
 * (`wal-sync.ts`) — what `synchronous=FULL` does inside the commit, without blocking the
 * requests that arrive meanwhile. The relay sees only rows whose sync has completed. The relay's
 * connection marks rows published with `synchronous=NORMAL`: a mark lost to a power cut only
 * makes the relay publish the row again, which JetStream drops by its Nats-Msg-Id (and the
 * projector by event id).
 *
 * Idempotency: unique (agency, record_id, revision). A resubmission returns the stored event id
 * and stores nothing; the same key with different content is a conflict (send a new revision).
 *
 * Group commit: the appends of one event-loop turn share one transaction and one sync; up to
 * three syncs overlap, and appends arriving while that many run wait for one to end, then
 * share the next transaction; each request has its own savepoint, so that one request's
 * conflict leaves the others alone.
 */
import Database from 'better-sqlite3';
import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { HubError } from '@hub/domain';
import { prepareOutboxSchema } from './schema.js';
import { createWalSync } from './wal-sync.js';

/** A validated record ready to store: its key, its content hash, where and what to publish. */
export interface OutboxEntry {
  readonly eventId: string;
  readonly agency: string;
  readonly recordId: string;
  readonly revision: number;
  /** sha256 of the submitted content (without event id and recorded-at). */
  readonly contentSha256: string;
  readonly subject: string;
  readonly msgId: string;
  /** Protobuf bytes of the Envelope. */
  readonly body: Uint8Array;
  readonly acceptedAt: string;
}

export type AppendOutcome =
  | { status: 'accepted'; eventId: string }
  | { status: 'duplicate'; eventId: string }
  | { status: 'conflict'; eventId: string; index: number };

export interface PendingRow {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string;
  readonly body: Buffer;
}

export interface OutboxStats {
  pending: number;
  published: number;
  total: number;
  /** When the oldest record still waiting for the relay was accepted (ISO); null when none waits. */
  oldestPendingAt: string | null;
}

export interface Outbox {
  readonly path: string;
  /**
   * Stores the entries of one request atomically, committed (fsync) before the promise resolves.
   * When any entry conflicts, none of this request's entries is stored; every outcome is
   * returned (`conflict` marks the offending ones).
   */
  append(entries: readonly OutboxEntry[]): Promise<AppendOutcome[]>;
  /** Pending rows after a sequence number, oldest first; only rows already on disk. */
  pending(afterSeq: number, limit: number): PendingRow[];
  /** Marks rows as published with their stream sequence. */
  markPublished(acks: readonly { seq: number; streamSeq: number }[], at: string): void;
  stats(): OutboxStats;
  /** Throws when the file cannot be written (for /healthz). */
  checkWritable(): void;
  /**
   * Whether the disk was found full (a write failed with SQLITE_FULL and none succeeded
   * since). When it was, looks again: free space back and a write that succeeds clear it.
   */
  storageFull(): boolean;
  /** Every row with a sequence number below this is on disk (what a relay elsewhere may read). */
  durableBelow(): number;
  /** Called once the rows of a commit are on disk (wakes the relay). */
  onAppend(listener: () => void): () => void;
  close(): void;
}

interface Queued {
  entries: readonly OutboxEntry[];
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (err: unknown) => void;
}

class ConflictAbort extends Error {}

/** Free space below which the disk still counts as full once it was found full. */
const MIN_FREE_BYTES = 256 * 1024;

export const isDiskFull = (err: unknown): boolean =>
  (err as { code?: unknown }).code === 'SQLITE_FULL' || /database or disk is full/i.test(String(err));

/** The error answered (507) while the disk is full: nothing of the request was stored. */
export const storageFullError = (cause: unknown): HubError =>
  new HubError(
    'STORAGE_FULL',
    '服务器存储空间已满，本次记录未接收、未保存，请稍后重试；已接收的记录不受影响 (the disk is full: this record was not accepted or stored; try again later; records already accepted are safe)',
    { cause, issues: [{ field: '(body)', message: '存储空间已满 (disk full)' }] },
  );

export interface OutboxOptions {
  /** How many WAL syncs may run at once (wal-sync.ts). @default MAX_OVERLAPPING_SYNCS (3) */
  readonly overlappingSyncs?: number;
}

export function openOutbox(path: string, opts: OutboxOptions = {}): Outbox {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL: the commit writes the WAL; `wal` below makes it durable before any append resolves.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  prepareOutboxSchema(db);
  const wal = createWalSync(`${path}-wal`, opts.overlappingSyncs);
  // What an earlier run committed is on disk before anything of it is published.
  wal.syncNow();
  const relayDb = new Database(path);
  relayDb.pragma('busy_timeout = 5000');
  relayDb.pragma('synchronous = NORMAL');

  const insert = db.prepare(
    `insert into outbox (event_id, agency, record_id, revision, content_sha256, subject, msg_id, body, accepted_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (agency, record_id, revision) do nothing`,
  );
  const byKey = db.prepare<[string, string, number], { event_id: string; content_sha256: string }>(
    `select event_id, content_sha256 from outbox where agency = ? and record_id = ? and revision = ?`,
  );
  const heartbeat = db.prepare(`insert or replace into outbox_health (id, at) values (1, ?)`);
  const pendingStmt = relayDb.prepare<
    [number, number, number],
    { seq: number; subject: string; msg_id: string; body: Buffer }
  >(
    `select seq, subject, msg_id, body from outbox
     where published_at is null and seq > ? and seq < ? order by seq limit ?`,
  );
  const nextSeq = db.prepare<[], number>(`select coalesce(max(seq), 0) + 1 from outbox`).pluck();
  const mark = relayDb.prepare(
    `update outbox set published_at = ?, stream_seq = ? where seq = ? and published_at is null`,
  );
  const countPending = relayDb.prepare<[], { n: number }>(
    `select count(*) as n from outbox where published_at is null`,
  );
  const countAll = relayDb.prepare<[], { n: number }>(`select count(*) as n from outbox`);
  const oldestPending = relayDb.prepare<[], { accepted_at: string }>(
    `select accepted_at from outbox where published_at is null order by seq limit 1`,
  );

  const appendOne = db.transaction((entries: readonly OutboxEntry[]): AppendOutcome[] => {
    const outcomes: AppendOutcome[] = [];
    let conflict = false;
    entries.forEach((e, index) => {
      const r = insert.run(
        e.eventId,
        e.agency,
        e.recordId,
        e.revision,
        e.contentSha256,
        e.subject,
        e.msgId,
        e.body,
        e.acceptedAt,
      );
      if (r.changes === 1) return outcomes.push({ status: 'accepted', eventId: e.eventId });
      const existing = byKey.get(e.agency, e.recordId, e.revision);
      if (existing === undefined) throw new Error(`outbox: row vanished for ${e.msgId}`);
      if (existing.content_sha256 === e.contentSha256)
        return outcomes.push({ status: 'duplicate', eventId: existing.event_id });
      conflict = true;
      return outcomes.push({ status: 'conflict', eventId: existing.event_id, index });
    });
    if (conflict) throw Object.assign(new ConflictAbort(), { outcomes });
    return outcomes;
  });
  const commitGroup = db.transaction((group: Queued[]) =>
    group.map((q): AppendOutcome[] => {
      try {
        return appendOne(q.entries);
      } catch (err) {
        if (err instanceof ConflictAbort)
          return (err as ConflictAbort & { outcomes: AppendOutcome[] }).outcomes;
        throw err;
      }
    }),
  );

  const listeners = new Set<() => void>();
  let full = false;
  /** Every write goes through here: a full disk is noted and becomes STORAGE_FULL. */
  const writing = <T>(write: () => T): T => {
    try {
      const result = write();
      full = false;
      return result;
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      full = true;
      throw storageFullError(err);
    }
  };
  const markAll = relayDb.transaction((acks: readonly { seq: number; streamSeq: number }[], at: string) => {
    for (const a of acks) mark.run(at, a.streamSeq, a.seq);
  });
  let queue: Queued[] = [];
  let scheduled = false;
  // First sequence numbers of the commits whose sync has not completed, oldest first: the relay
  // stops below the oldest.
  const unsynced: number[] = [];
  // One past the last committed sequence number.
  let committedBelow = nextSeq.get() ?? 1;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  // Commits what is queued and syncs it; a sync may start while earlier ones run (wal-sync.ts),
  // and appends wait for the next round only while as many run as may overlap.
  function flush() {
    scheduled = false;
    if (wal.busy || queue.length === 0) return;
    const group = queue;
    queue = [];
    let results: AppendOutcome[][];
    let first: number;
    try {
      first = nextSeq.get() ?? 1;
      results = writing(() => commitGroup(group));
    } catch (err) {
      for (const q of group) q.reject(err);
      return;
    }
    const stored = results.some((r) => r.some((o) => o.status === 'accepted'));
    if (stored) {
      unsynced.push(first);
      committedBelow = nextSeq.get() ?? first;
    }
    // Duplicates and conflicts wait too: the row they name may be the one being synced.
    wal.sync((err) => {
      if (stored) unsynced.splice(unsynced.indexOf(first), 1);
      const failed = err && (err as { code?: string }).code === 'ENOSPC' ? storageFullError(err) : err;
      if (failed) for (const q of group) q.reject(failed);
      else group.forEach((q, i) => q.resolve(results[i] ?? []));
      if (stored && !err) for (const l of listeners) l();
      if (queue.length > 0) schedule();
    });
  }

  return {
    path,
    append(entries) {
      if (entries.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ entries, resolve, reject });
        if (!wal.busy) schedule();
      });
    },
    pending: (afterSeq, limit) =>
      pendingStmt
        .all(afterSeq, unsynced[0] ?? Number.MAX_SAFE_INTEGER, limit)
        .map((r) => ({ seq: r.seq, subject: r.subject, msgId: r.msg_id, body: r.body })),
    markPublished: (acks, at) => writing(() => markAll(acks, at)),
    stats() {
      const pending = countPending.get()?.n ?? 0;
      const total = countAll.get()?.n ?? 0;
      const oldestPendingAt = pending > 0 ? (oldestPending.get()?.accepted_at ?? null) : null;
      return { pending, published: total - pending, total, oldestPendingAt };
    },
    checkWritable() {
      writing(() => heartbeat.run(new Date().toISOString()));
    },
    storageFull() {
      if (!full) return false;
      try {
        const fs = statfsSync(dirname(path));
        if (fs.bavail * fs.bsize < MIN_FREE_BYTES) return true;
        writing(() => heartbeat.run(new Date().toISOString()));
      } catch {
        return true;
      }
      return full;
    },
    durableBelow: () => unsynced[0] ?? committedBelow,
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      // What is queued is committed, and everything is synced before the files close.
      const group = queue;
      queue = [];
      if (group.length > 0) {
        try {
          const results = commitGroup(group);
          wal.sync((err) => {
            if (err) for (const q of group) q.reject(err);
            else group.forEach((q, i) => q.resolve(results[i] ?? []));
          });
        } catch (err) {
          for (const q of group) q.reject(err);
        }
      }
      wal.syncNow();
      wal.close();
      relayDb.close();
      db.close();
    },
  };
}
