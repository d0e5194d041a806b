/**
 * The naive pipeline the projector is measured against: ordered consumer → protobuf decode →
 * one row per event into a single table (three indexes) with the stream position, 10 000
 * events per transaction, statements prepared once. No validation, no dead letters, one table.
 */
import Database from 'better-sqlite3';
import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { decodeEventJson } from '@hub/platform';
import { EVENTS_STREAM, isEventType } from '@hub/domain';

const TX = 10_000;

export async function runNaivePipeline(js: JetStreamClient, path: string, total: number): Promise<number> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, uscc TEXT NOT NULL,
        agency TEXT NOT NULL, type TEXT NOT NULL, occurred_at TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX events_business ON events (uscc, occurred_at);
      CREATE INDEX events_agency ON events (agency, occurred_at);
      CREATE TABLE position (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);`);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)');
    const position = db.prepare(
      'INSERT INTO position VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq',
    );
    const apply = db.transaction((batch: JsMsg[]) => {
      for (const m of batch) {
        const e = decodeEventJson(m.data);
        const type = Object.keys(e).find(isEventType) ?? 'unknown';
        const business = e.business as { uscc: string };
        insert.run(m.seq, e.eventId, business.uscc, e.agency, type, e.occurredAt, JSON.stringify(e[type]));
      }
      position.run(batch[batch.length - 1]!.seq);
    });

    const consumer = await js.consumers.get(EVENTS_STREAM, { deliver_policy: DeliverPolicy.All });
    const t0 = performance.now();
    let batch: JsMsg[] = [];
    let applied = 0;
    const messages = await consumer.consume({ max_messages: TX });
    for await (const m of messages) {
      batch.push(m);
      if (batch.length === TX || applied + batch.length === total) {
        apply(batch);
        applied += batch.length;
        batch = [];
        if (applied === total) break;
      }
    }
    const ms = performance.now() - t0;
    await messages.close();
    return ms;
  } finally {
    db.close();
  }
}
