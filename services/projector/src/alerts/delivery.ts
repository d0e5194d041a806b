/**
 * Exactly-once delivery of alerts to `enf.alert.<kind>.<agency>`, live mode only.
 *
 * What was published is not a function of the events, so it is kept out of the read model, in
 * `alert-deliveries.sqlite` beside it (one row per alert and agency). After each commit the
 * alerts raised since the last look are published, each agency with
 * `Nats-Msg-Id: <alertId>/<agency>`, and marked delivered once JetStream acknowledged. A crash
 * between the ack and the mark republishes with the same id (JetStream drops it inside its
 * duplicate window). On start the whole alerts table is compared with the file, so what the
 * read model holds and the file lacks goes out; after `hub rebuild` switches files nothing does,
 * because alert ids are the same in the rebuilt file.
 */
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { alertSubject, type Logger } from '@hub/shared';
import type { SqliteDb } from '../read-model/open.js';
import { presentAlertRow } from './present.js';
import type { AlertsTable } from './schema.js';

export const ALERT_DELIVERIES_FILE = 'alert-deliveries.sqlite';

export const alertDeliveriesPath = (readModelPath: string): string =>
  join(dirname(readModelPath), ALERT_DELIVERIES_FILE);

export interface AlertDelivery {
  /** Publishes what is pending; concurrent calls coalesce into one more pass. */
  kick(): void;
  /** Resolves once the current pass (if any) is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createAlertDelivery(opts: {
  nc: NatsConnection;
  readModel: SqliteDb;
  readModelPath: string;
  log: Logger;
}): AlertDelivery {
  const file = new Database(alertDeliveriesPath(opts.readModelPath));
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  file.exec(`CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id TEXT NOT NULL, agency TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
    stream_seq INTEGER NOT NULL, delivered_at TEXT NOT NULL, PRIMARY KEY (alert_id, agency))`);
  const known = file.prepare('SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND agency = ?');
  const mark = file.prepare(
    `INSERT INTO alert_deliveries VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id, agency) DO NOTHING`,
  );
  const since = opts.readModel.prepare(
    'SELECT * FROM alerts WHERE raised_seq > ? ORDER BY raised_seq, alert_id',
  );
  const js = jetstream(opts.nc);
  let cursor = 0; // raised_seq already looked at; 0 = compare the whole table (on start)
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const pass = async () => {
    const rows = since.all(cursor) as AlertsTable[];
    for (const r of rows) {
      const agencies = JSON.parse(r.agencies_json) as string[];
      for (const agency of agencies) {
        if (closed) return;
        if (known.get(r.alert_id, agency)) continue;
        const subject = alertSubject(r.kind, agency);
        const body = JSON.stringify(presentAlertRow(r));
        const ack = await js.publish(subject, body, { msgID: `${r.alert_id}/${agency}` });
        // Wall clock only for bookkeeping outside the read model.
        mark.run(r.alert_id, agency, r.kind, subject, ack.seq, new Date().toISOString());
      }
      cursor = Math.max(cursor, Number(r.raised_seq));
    }
  };

  const loop = async () => {
    do {
      again = false;
      try {
        await pass();
      } catch (err) {
        opts.log.warn(
          { err },
          '预警推送失败，稍后重试 (alert delivery failed; retried after the next batch)',
        );
        return;
      }
    } while (again && !closed);
  };

  return {
    kick() {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = loop().finally(() => (running = undefined));
    },
    idle: async () => {
      while (running) await running;
    },
    async close() {
      closed = true;
      await running;
      file.close();
    },
  };
}
