/**
 * Dead-letter notifications on `enf.dlq.<reason>` (stream ENF_DLQ), live mode only. The
 * dead_letters table is the record; the subject tells operators and tools. Publishing
 * happens after the commit; the last published sequence is kept in read_model_meta, and
 * whatever a crash left unpublished is sent again at the next start (Nats-Msg-Id dedups).
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { dlqSubject } from '@hub/domain';
import { type Logger } from '@hub/platform';
import type { ReadModelStore, Row } from '@hub/read-model';

export interface DeadLetterNotifier {
  notify(rows: readonly Row<'dead_letters'>[]): void;
  resendUnpublished(): void;
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

export function createDeadLetterNotifier(opts: {
  nc: NatsConnection;
  store: ReadModelStore;
  log: Logger;
}): DeadLetterNotifier {
  const js = jetstream(opts.nc);
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  const publish = async (rows: readonly Row<'dead_letters'>[]) => {
    await Promise.all(
      rows.map((row) =>
        js.publish(dlqSubject(row.reason), JSON.stringify(deadLetterMessage(row)), {
          msgID: `dlq-${row.seq}-${row.retried}`,
        }),
      ),
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
    async close() {
      await Promise.all(inFlight);
      closed = true;
    },
  };
  return notifier;
}
