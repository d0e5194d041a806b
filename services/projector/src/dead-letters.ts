/**
 * Dead-letter notifications on `enf.dlq.<reason>` (stream ENF_DLQ), live mode only. The
 * dead_letters table is the record; the subject tells operators and tools. Publishing
 * happens after the commit; the last published sequence is kept in read_model_meta, and
 * whatever a crash left unpublished is sent again at the next start (Nats-Msg-Id dedups).
 *
 * Once per dead letter: what was sent is kept outside the read model, in `dlq-notices.sqlite`
 * beside it (one row per stream sequence and retry), so a rebuilt read model, which holds the
 * same dead letters, announces none of them again, however long after JetStream's
 * duplicate window. The Nats-Msg-Id `dlq-<seq>-<retry>` covers a crash between ack and mark.
 */
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { dlqSubject } from '@hub/domain';
import { type Logger } from '@hub/platform';
import type { ReadModelStore, Row } from '@hub/read-model';

export interface DeadLetterNotifier {
  notify(rows: readonly Row<'dead_letters'>[]): void;
  resendUnpublished(): void;
  /** Records dead letters up to `seq` as announced, without publishing (a standby's, pg/publish-role.ts). */
  assumeSentUpTo(seq: number): void;
  close(): Promise<void>;
}

const META_KEY = 'dlq_published_seq';

/** The JSON body of a dead-letter notification. */
export const deadLetterMessage = (row: Row<'dead_letters'>) => ({
  streamSeq: row.seq,
  subject: row.subject,
  reason: row.reason,
  detail: row.detail,
  eventId: row.event_id,
  uscc: row.uscc,
  agency: row.agency,
  streamTime: row.stream_time,
  retried: row.retried,
});

export const DLQ_NOTICES_FILE = 'dlq-notices.sqlite';

export function createDeadLetterNotifier(opts: {
  nc: NatsConnection;
  store: ReadModelStore;
  /** The read model file: the record of sent notices sits beside it. */
  readModelPath: string;
  log: Logger;
}): DeadLetterNotifier {
  const js = jetstream(opts.nc);
  const sent = new Database(join(dirname(opts.readModelPath), DLQ_NOTICES_FILE));
  sent.pragma('journal_mode = WAL');
  sent.pragma('busy_timeout = 5000');
  sent.exec(`CREATE TABLE IF NOT EXISTS dlq_notices (
    seq INTEGER NOT NULL, retried INTEGER NOT NULL, stream_seq INTEGER NOT NULL, PRIMARY KEY (seq, retried))`);
  const wasSent = sent.prepare('SELECT 1 FROM dlq_notices WHERE seq = ? AND retried = ?');
  const markSent = sent.prepare('INSERT OR IGNORE INTO dlq_notices VALUES (?, ?, ?)');
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  const publish = async (rows: readonly Row<'dead_letters'>[]) => {
    const unsent = rows.filter((row) => !wasSent.get(row.seq, row.retried));
    await Promise.all(
      unsent.map(async (row) => {
        const ack = await js.publish(dlqSubject(row.reason), JSON.stringify(deadLetterMessage(row)), {
          msgID: `dlq-${row.seq}-${row.retried}`,
        });
        if (!closed) markSent.run(row.seq, row.retried, ack.seq);
      }),
    );
    const max = Math.max(...rows.map((r) => r.seq));
    if (!closed && max > Number(opts.store.getMeta(META_KEY) ?? 0)) opts.store.setMeta(META_KEY, String(max));
  };
  const notifier: DeadLetterNotifier = {
    notify(rows) {
      if (rows.length === 0) return;
      const p = publish(rows).catch((err: unknown) =>
        opts.log.error(
          { err, seqs: rows.map((r) => r.seq) },
          '死信通知发送失败 (dead-letter notification failed)',
        ),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    resendUnpublished() {
      notifier.notify(opts.store.deadLettersAfter(Number(opts.store.getMeta(META_KEY) ?? 0)));
    },
    assumeSentUpTo(seq) {
      if (!closed && seq > Number(opts.store.getMeta(META_KEY) ?? 0))
        opts.store.setMeta(META_KEY, String(seq));
    },
    async close() {
      await Promise.all(inFlight);
      closed = true;
      sent.close();
    },
  };
  return notifier;
}
