/**
 * The naive pipeline on PostgreSQL, what the projector's PostgreSQL catch-up is measured
 * against: ordered consumer → protobuf decode → one row per event COPYed into a single table
 * (primary key, unique event id, two indexes, as the SQLite naive pipeline) with the stream
 * position, 10 000 events per transaction (BEGIN, COPY … FROM STDIN, position, COMMIT), one
 * connection, one transaction at a time. No validation, no dead letters, one table.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { decodeEventJson } from '@hub/platform';
import { EVENTS_STREAM, isEventType } from '@hub/domain';

const TX = 10_000;

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export const copyText = (v: string): string => v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyRows(batch: readonly JsMsg[]): string {
  const lines: string[] = new Array<string>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i]!;
    const e = decodeEventJson(m.data);
    const type = Object.keys(e).find(isEventType) ?? 'unknown';
    const business = e.business as { uscc: string };
    lines[i] =
      `${m.seq}\t${copyText(String(e.eventId))}\t${copyText(business.uscc)}\t${copyText(String(e.agency))}\t` +
      `${type}\t${copyText(String(e.occurredAt))}\t${copyText(JSON.stringify(e[type]))}\n`;
  }
  return lines.join('');
}

/** Runs the pipeline into a fresh database at `url`; returns the milliseconds it took. */
export async function runNaivePgPipeline(js: JetStreamClient, url: string, total: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE events (seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, uscc TEXT NOT NULL,
        agency TEXT NOT NULL, type TEXT NOT NULL, occurred_at TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX events_business ON events (uscc, occurred_at);
      CREATE INDEX events_agency ON events (agency, occurred_at);
      CREATE TABLE position (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);`);
    const apply = async (batch: readonly JsMsg[]) => {
      await client.query('BEGIN');
      await pipeline(
        Readable.from([copyRows(batch)]),
        client.query(
          copyFrom('COPY events (seq, event_id, uscc, agency, type, occurred_at, payload) FROM STDIN'),
        ),
      );
      await client.query(
        'INSERT INTO position VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq',
        [batch[batch.length - 1]!.seq],
      );
      await client.query('COMMIT');
    };

    const consumer = await js.consumers.get(EVENTS_STREAM, { deliver_policy: DeliverPolicy.All });
    const t0 = performance.now();
    let batch: JsMsg[] = [];
    let applied = 0;
    const messages = await consumer.consume({ max_messages: TX });
    for await (const m of messages) {
      batch.push(m);
      if (batch.length === TX || applied + batch.length === total) {
        await apply(batch);
        applied += batch.length;
        batch = [];
        if (applied === total) break;
      }
    }
    const ms = performance.now() - t0;
    await messages.close();
    const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    if (Number(r.rows[0]?.n) !== total)
      throw new Error(`naive COPY pipeline holds ${r.rows[0]?.n} of ${total}`);
    return ms;
  } finally {
    await client.end();
  }
}
