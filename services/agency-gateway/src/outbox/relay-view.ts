/**
 * The outbox as a relay on another thread sees it: its own SQLite connection to the file, rows
 * handed out only below the bound the writing side last reported as on disk
 * (`Outbox.durableBelow`), marks written on this connection. Appends belong to the writing
 * side; here they are refused.
 *
 * @example
 * const view = openRelayOutboxView(path, outbox.durableBelow()); // on the relay's thread
 * view.advance(below); // each time the writer reports a sync
 */
import Database from 'better-sqlite3';
import { HubError } from '@hub/domain';
import type { Outbox } from './outbox.js';

export interface RelayOutboxView extends Outbox {
  /** Rows below `below` are on disk now: hands them out and wakes the listeners. */
  advance(below: number): void;
}

export function openRelayOutboxView(path: string, below: number): RelayOutboxView {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  // As the writing side's relay connection: a lost mark only means one more publish (dedup).
  db.pragma('synchronous = NORMAL');
  const pendingStmt = db.prepare<
    [number, number, number],
    { seq: number; subject: string; msg_id: string; body: Buffer }
  >(
    `select seq, subject, msg_id, body from outbox
     where published_at is null and seq > ? and seq < ? order by seq limit ?`,
  );
  const mark = db.prepare(
    `update outbox set published_at = ?, stream_seq = ? where seq = ? and published_at is null`,
  );
  const markAll = db.transaction((acks: readonly { seq: number; streamSeq: number }[], at: string) => {
    for (const a of acks) mark.run(at, a.streamSeq, a.seq);
  });
  const countPending = db.prepare<[], { n: number }>(
    `select count(*) as n from outbox where published_at is null`,
  );
  const countAll = db.prepare<[], { n: number }>(`select count(*) as n from outbox`);
  const oldestPending = db.prepare<[], { accepted_at: string }>(
    `select accepted_at from outbox where published_at is null order by seq limit 1`,
  );
  const listeners = new Set<() => void>();
  let bound = below;

  return {
    path,
    append: () =>
      Promise.reject(
        new HubError('INTERNAL', '发件箱只读视图不接收记录 (the relay view of the outbox takes no appends)'),
      ),
    pending: (afterSeq, limit) =>
      pendingStmt
        .all(afterSeq, bound, limit)
        .map((r) => ({ seq: r.seq, subject: r.subject, msgId: r.msg_id, body: r.body })),
    markPublished: (acks, at) => markAll(acks, at),
    stats() {
      const pending = countPending.get()?.n ?? 0;
      const total = countAll.get()?.n ?? 0;
      const oldestPendingAt = pending > 0 ? (oldestPending.get()?.accepted_at ?? null) : null;
      return { pending, published: total - pending, total, oldestPendingAt };
    },
    checkWritable() {},
    storageFull: () => false,
    durableBelow: () => bound,
    advance(next) {
      if (next <= bound) return;
      bound = next;
      for (const l of listeners) l();
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => void db.close(),
  };
}
