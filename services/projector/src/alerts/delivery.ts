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
import { alertSubject } from '@hub/domain';
import { type Logger } from '@hub/platform';
import { type SqliteDb, presentAlertRow, type AlertsTable } from '@hub/read-model';

export const ALERT_DELIVERIES_FILE = 'alert-deliveries.sqlite';

/** Publishes awaiting their acks at once. */
const IN_FLIGHT = 256;
/** Sequences looked at per read of the alerts table. */
const WINDOW_SEQS = 5000;
/** Pause before retrying after a failed publish. */
const RETRY_MS = 1000;

export const alertDeliveriesPath = (readModelPath: string): string =>
  join(dirname(readModelPath), ALERT_DELIVERIES_FILE);

export interface AlertDelivery {
  /** Publishes what is pending; concurrent calls coalesce into one more pass. */
  kick(): void;
  /** Resolves once the current pass (if any) is done. */
  idle(): Promise<void>;
  /**
   * Marks alerts raised up to `seq` as delivered without publishing them: a standby projector's
   * record of what the active one has surely published (pg/publish-role.ts).
   */
  assumeDeliveredUpTo(seq: number): void;
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
  // Looked at a window of sequences at a time, three narrow columns: on start the whole table
  // is compared with the file, and reading it in one go held every alert's JSON in memory.
  const window = opts.readModel.prepare(
    `SELECT alert_id, raised_seq, agencies_json, detail_json FROM alerts
      WHERE raised_seq > ? AND raised_seq <= ? ORDER BY raised_seq, alert_id`,
  );
  const lastRaised = opts.readModel.prepare('SELECT max(raised_seq) AS n FROM alerts').pluck();
  const fullRow = opts.readModel.prepare('SELECT * FROM alerts WHERE alert_id = ?');
  const js = jetstream(opts.nc);
  let cursor = 0; // raised_seq already looked at; 0 = compare the whole table (on start)
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const markAll = file.transaction((done: (readonly [string, string, string, string, number])[]) => {
    const at = new Date().toISOString(); // wall clock only for bookkeeping outside the read model
    for (const [id, agency, kind, subject, seq] of done) mark.run(id, agency, kind, subject, seq, at);
  });

  /** Publishes up to IN_FLIGHT messages at once, then marks those JetStream acknowledged. */
  const flush = async (pending: { r: AlertsTable; agency: string }[]) => {
    const results = await Promise.allSettled(
      pending.map(({ r, agency }) =>
        js.publish(alertSubject(r.kind, agency), JSON.stringify(presentAlertRow(r)), {
          msgID: `${r.alert_id}/${agency}`,
        }),
      ),
    );
    const done = results.flatMap((res, i) => {
      const { r, agency } = pending[i]!;
      return res.status === 'fulfilled'
        ? [[r.alert_id, agency, r.kind, alertSubject(r.kind, agency), res.value.seq] as const]
        : [];
    });
    markAll(done);
    const failed = results.find((res) => res.status === 'rejected');
    if (failed) throw failed.reason;
  };

  const pass = async () => {
    const last = Number((lastRaised.get() as number | null) ?? 0);
    while (cursor < last && !closed) {
      const hi = Math.min(last, cursor + WINDOW_SEQS);
      const rows = window.all(cursor, hi) as Pick<
        AlertsTable,
        'alert_id' | 'raised_seq' | 'agencies_json' | 'detail_json'
      >[];
      let pending: { id: string; agency: string }[] = [];
      for (const r of rows) {
        // An alert about the past (retrospective) is listed, never pushed as a live warning.
        const live = !r.detail_json.includes('"retrospective":true');
        for (const agency of live ? (JSON.parse(r.agencies_json) as string[]) : []) {
          if (!known.get(r.alert_id, agency)) pending.push({ id: r.alert_id, agency });
        }
        if (pending.length >= IN_FLIGHT) {
          if (closed) return;
          await flush(pending.map(({ id, agency }) => ({ r: fullRow.get(id) as AlertsTable, agency })));
          pending = [];
        }
      }
      if (closed) return;
      if (pending.length > 0)
        await flush(pending.map(({ id, agency }) => ({ r: fullRow.get(id) as AlertsTable, agency })));
      cursor = hi; // every alert raised up to here is delivered
    }
  };

  const loop = async () => {
    do {
      again = false;
      try {
        await pass();
      } catch (err) {
        opts.log.warn({ err }, '预警推送失败，稍后重试 (alert delivery failed; retrying)');
        // NATS may be down: try again after a pause even if no further batch comes to kick it.
        retry ??= setTimeout(() => {
          retry = undefined;
          api.kick();
        }, RETRY_MS).unref();
        return;
      }
    } while (again && !closed);
  };

  const api: AlertDelivery = {
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
    assumeDeliveredUpTo(seq) {
      if (closed || running || seq <= cursor) return;
      const rows = window.all(cursor, seq) as Pick<
        AlertsTable,
        'alert_id' | 'agencies_json' | 'detail_json'
      >[];
      const kinds = opts.readModel.prepare('SELECT kind FROM alerts WHERE alert_id = ?').pluck();
      markAll(
        rows.flatMap((r) => {
          if (r.detail_json.includes('"retrospective":true')) return [];
          const kind = kinds.get(r.alert_id) as string;
          const agencies = JSON.parse(r.agencies_json) as string[];
          return agencies.map((agency) => [r.alert_id, agency, kind, alertSubject(kind, agency), 0] as const);
        }),
      );
      cursor = seq;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await running;
      file.close();
    },
  };
  return api;
}
