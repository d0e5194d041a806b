/**
 * Outbox tables. `seq` orders publication; the unique key is the idempotency memory and is
 * never pruned (a record resubmitted years later still gets its first event id back).
 *
 * Reconciliation columns: `confirmed_at` once the record was read back from the stream (with
 * its Nats-Msg-Id at `stream_seq`) after the stream had time to reach disk; `compacted_at` once
 * its body was dropped, a retention after that. A compacted row keeps its key, event id,
 * subject, Nats-Msg-Id and stream sequence: the idempotency memory and what `hub reconcile`
 * compares stay whole.
 */
import type Database from 'better-sqlite3';

export const OUTBOX_SCHEMA = `
create table if not exists outbox (
  seq integer primary key,
  event_id text not null unique,
  agency text not null,
  record_id text not null,
  revision integer not null,
  content_sha256 text not null,
  subject text not null,
  msg_id text not null,
  body blob not null,
  accepted_at text not null,
  published_at text,
  stream_seq integer,
  confirmed_at text,
  compacted_at text,
  unique (agency, record_id, revision)
);
create index if not exists outbox_pending on outbox (seq) where published_at is null;
create table if not exists outbox_health (id integer primary key, at text not null);
`;

/** Indexes of reconciliation: rows to check, rows to compact (both small partial indexes). */
const RECONCILE_INDEXES = `
create index if not exists outbox_unconfirmed on outbox (seq)
  where published_at is not null and confirmed_at is null;
create index if not exists outbox_compactable on outbox (confirmed_at)
  where confirmed_at is not null and compacted_at is null;
`;

/** Creates the tables, and adds the reconciliation columns to an outbox written before them. */
export function prepareOutboxSchema(db: Database.Database): void {
  db.exec(OUTBOX_SCHEMA);
  const columns = new Set(
    db
      .prepare<[], { name: string }>(`select name from pragma_table_info('outbox')`)
      .all()
      .map((c) => c.name),
  );
  for (const column of ['confirmed_at', 'compacted_at'])
    if (!columns.has(column)) db.exec(`alter table outbox add column ${column} text`);
  db.exec(RECONCILE_INDEXES);
}
