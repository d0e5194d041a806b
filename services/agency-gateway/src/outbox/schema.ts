/**
 * Outbox tables. `seq` orders publication; the unique key is the idempotency memory and is
 * never pruned (a record resubmitted years later still gets its first event id back).
 */
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
  unique (agency, record_id, revision)
);
create index if not exists outbox_pending on outbox (seq) where published_at is null;
create table if not exists outbox_health (id integer primary key, at text not null);
`;
