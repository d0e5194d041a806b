/**
 * What reconciliation reads and writes in an outbox file, on its own connection (the writer's
 * and the relay's are busy with ingest): published rows not yet confirmed, their confirmation,
 * a re-publication's new stream sequence, and compaction.
 *
 * Marks are written with `synchronous = NORMAL`, like the relay's: a confirmation lost to a power
 * cut only makes the row be checked again; a compaction lost only keeps a body a little longer.
 *
 * @example
 * const ledger = openReconcileLedger(outbox.path);
 * const rows = ledger.unconfirmed({ afterSeq: 0, publishedBefore: iso, limit: 1000 });
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

/** A row the relay published: what to look for in the stream (its body is read only if missing). */
export interface PublishedRow {
  readonly seq: number;
  readonly eventId: string;
  readonly agency: string;
  readonly subject: string;
  readonly msgId: string;
  readonly streamSeq: number | null;
}

export interface LedgerCounts {
  /** Published and not yet confirmed in the stream. */
  unconfirmed: number;
  /** Confirmed, body still kept (within the retention). */
  confirmed: number;
  /** Confirmed and compacted (body dropped, key kept). */
  compacted: number;
}

export interface ReconcileLedger {
  /** Published, unconfirmed rows after `afterSeq` published before `publishedBefore`, by seq. */
  unconfirmed(q: { afterSeq: number; publishedBefore: string; limit: number }): PublishedRow[];
  /** The protobuf bytes of a row, to publish again (undefined once compacted). */
  body(seq: number): Buffer | undefined;
  /** Marks rows found in the stream (with the sequence they were found at). */
  confirm(rows: readonly { seq: number; streamSeq: number }[], at: string): void;
  /** Records a re-publication's ack: its stream sequence, and when (checked again after settling). */
  republished(rows: readonly { seq: number; streamSeq: number }[], at: string): void;
  /**
   * Drops the body of at most `limit` rows confirmed before `confirmedBefore`; returns how many.
   * Only confirmed rows are ever touched: an unconfirmed row keeps its body whatever its age.
   */
  compact(confirmedBefore: string, at: string, limit: number): number;
  counts(): LedgerCounts;
  close(): void;
}

interface Row {
  seq: number;
  event_id: string;
  agency: string;
  subject: string;
  msg_id: string;
  stream_seq: number | null;
}

/** Opens a connection to an outbox file already created by `openOutbox`. */
export function openReconcileLedger(path: string): ReconcileLedger {
  const db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const select = db.prepare<[number, string, number], Row>(
    `select seq, event_id, agency, subject, msg_id, stream_seq from outbox
     where published_at is not null and confirmed_at is null and seq > ? and published_at < ?
     order by seq limit ?`,
  );
  const bodyOf = db
    .prepare<[number], Buffer>(`select body from outbox where seq = ? and compacted_at is null`)
    .pluck();
  const confirmOne = db.prepare(
    `update outbox set confirmed_at = ?, stream_seq = ? where seq = ? and confirmed_at is null`,
  );
  const republishOne = db.prepare(
    `update outbox set published_at = ?, stream_seq = ? where seq = ? and confirmed_at is null`,
  );
  const compactSome = db.prepare(
    `update outbox set body = x'', compacted_at = ? where seq in (
       select seq from outbox where confirmed_at is not null and compacted_at is null and confirmed_at < ?
       order by confirmed_at limit ?)`,
  );
  const count = (where: string) =>
    db.prepare<[], number>(`select count(*) from outbox where ${where}`).pluck();
  const countUnconfirmed = count('published_at is not null and confirmed_at is null');
  const countConfirmed = count('confirmed_at is not null and compacted_at is null');
  // Every row is pending, unconfirmed, confirmed or compacted: the last by difference, so that
  // no count scans the table for a column without an index.
  const countAll = db.prepare<[], number>(`select count(*) from outbox`).pluck();
  const countPending = count('published_at is null');
  // One read transaction: the four counts of the same moment (the relay marks meanwhile).
  const countsTogether = db.transaction((): LedgerCounts => {
    const unconfirmed = countUnconfirmed.get() ?? 0;
    const confirmed = countConfirmed.get() ?? 0;
    const rest = (countAll.get() ?? 0) - (countPending.get() ?? 0) - unconfirmed - confirmed;
    return { unconfirmed, confirmed, compacted: Math.max(0, rest) };
  });
  const confirmAll = db.transaction((rows: readonly { seq: number; streamSeq: number }[], at: string) => {
    for (const r of rows) confirmOne.run(at, r.streamSeq, r.seq);
  });
  const republishAll = db.transaction((rows: readonly { seq: number; streamSeq: number }[], at: string) => {
    for (const r of rows) republishOne.run(at, r.streamSeq, r.seq);
  });

  return {
    unconfirmed: ({ afterSeq, publishedBefore, limit }) =>
      select.all(afterSeq, publishedBefore, limit).map((r) => ({
        seq: r.seq,
        eventId: r.event_id,
        agency: r.agency,
        subject: r.subject,
        msgId: r.msg_id,
        streamSeq: r.stream_seq,
      })),
    body: (seq) => bodyOf.get(seq),
    confirm: (rows, at) => confirmAll(rows, at),
    republished: (rows, at) => republishAll(rows, at),
    compact: (confirmedBefore, at, limit) => compactSome.run(at, confirmedBefore, limit).changes,
    counts: () => countsTogether(),
    close: () => db.close(),
  };
}

/** Where a service keeps its outbox under the data folder. */
export const outboxFile = (dataDir: string, service: string): string =>
  join(dataDir, service, 'outbox.sqlite');

/** An accepted record as `hub reconcile` compares it (compacted ones included). */
export interface AcceptedRow {
  readonly eventId: string;
  readonly agency: string;
  readonly subject: string;
  readonly msgId: string;
  readonly acceptedAt: string;
  readonly publishedAt: string | null;
  readonly streamSeq: number | null;
  readonly confirmedAt: string | null;
}

/**
 * Every record an outbox file accepted (answered 202 for), read-only, optionally of one agency
 * and accepted at or after `since`; oldest first.
 */
export function readAccepted(path: string, filter: { agency?: string; since?: Date } = {}): AcceptedRow[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const where: string[] = [];
    const args: string[] = [];
    if (filter.agency !== undefined) {
      where.push('agency = ?');
      args.push(filter.agency);
    }
    if (filter.since !== undefined) {
      where.push('accepted_at >= ?');
      args.push(filter.since.toISOString());
    }
    const rows = db
      .prepare<
        string[],
        {
          event_id: string;
          agency: string;
          subject: string;
          msg_id: string;
          accepted_at: string;
          published_at: string | null;
          stream_seq: number | null;
          confirmed_at: string | null;
        }
      >(
        `select event_id, agency, subject, msg_id, accepted_at, published_at, stream_seq, confirmed_at
         from outbox ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by seq`,
      )
      .all(...args);
    return rows.map((r) => ({
      eventId: r.event_id,
      agency: r.agency,
      subject: r.subject,
      msgId: r.msg_id,
      acceptedAt: r.accepted_at,
      publishedAt: r.published_at,
      streamSeq: r.stream_seq,
      confirmedAt: r.confirmed_at,
    }));
  } finally {
    db.close();
  }
}
