/**
 * `hub verify --chain`: recomputes the hash chain from the stream's own bytes, sequence 1 up to
 * the read model's position, and compares it with the read model's `chain_links`, link by link;
 * each timeline row is compared with the event decoded from the message at its sequence. The
 * first difference is named by its sequence: a link altered, missing or added, or a timeline
 * row that no longer says what the chained bytes say.
 *
 * @example
 * const report = await verifyChain({ nc, livePath });
 * report.firstDifference; // { seq: 42, what: 'timeline', detail: 'payload_json …' }
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, type HubEvent } from '@hub/domain';
import {
  CHAIN_GENESIS,
  chainLinkHash,
  eventHash,
  openSqlite,
  type ChainLinksTable,
  type TimelineTable,
} from '@hub/read-model';
import { createStreamConsumer } from './consumer.js';
import { decodeStreamMessage, type StreamMessage } from './projection/decode.js';

export type ChainDifferenceKind =
  'missing_link' | 'event_hash' | 'prev_hash' | 'hash' | 'timeline' | 'extra_link' | 'missing_message';

export interface ChainDifference {
  seq: number;
  what: ChainDifferenceKind;
  detail: string;
}

export interface ChainReport {
  ok: boolean;
  /** The read model's position: the chain must cover 1 … position. */
  position: number;
  /** Messages read from the stream and links recomputed. */
  checked: number;
  /** Timeline rows compared with their messages. */
  timelineRows: number;
  /** The recomputed chain's last link (what the read model's head must be). */
  head: { seq: number; hash: string } | undefined;
  firstDifference: ChainDifference | undefined;
  /** The first differences, by sequence (at most 100). */
  differences: ChainDifference[];
}

const MAX_DIFFERENCES = 100;

/** The timeline's immutable columns, as the event decoded from the chained bytes gives them. */
function timelineMismatch(row: TimelineTable, e: HubEvent): string | undefined {
  const expected: [keyof TimelineTable, unknown][] = [
    ['event_id', e.eventId],
    ['uscc', e.business.uscc],
    ['business_name', e.business.name ?? null],
    ['agency', e.agency],
    ['event_type', e.type],
    ['occurred_at', e.occurredAt],
    ['recorded_at', e.recordedAt],
    ['correlation_id', e.correlationId ?? null],
    ['source_system', e.source.system],
    ['source_record_id', e.source.recordId],
    ['revision', e.source.revision],
    ['payload_json', JSON.stringify(e.payload)],
  ];
  const differ = expected.filter(([col, v]) => row[col] !== v).map(([col]) => col);
  return differ.length > 0
    ? `时间线行与链上字节不符 (timeline row differs from the chained event in: ${differ.join(', ')})`
    : undefined;
}

export async function verifyChain(opts: {
  nc: NatsConnection;
  livePath: string;
  onProgress?: ((done: number, total: number) => void) | undefined;
}): Promise<ChainReport> {
  const live = openSqlite(opts.livePath, true);
  const differences: ChainDifference[] = [];
  const differ = (d: ChainDifference) => {
    if (differences.length < MAX_DIFFERENCES) differences.push(d);
  };
  let prev = CHAIN_GENESIS;
  let checked = 0;
  let timelineRows = 0;
  let head: ChainReport['head'];
  try {
    // One read snapshot for the whole check: the live projector may go on writing meanwhile.
    live.prepare('BEGIN').run();
    const position =
      (
        live.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
          { last_seq: number } | undefined
      )?.last_seq ?? 0;
    const linkAt = live.prepare('SELECT * FROM chain_links WHERE seq = ?');
    const rowAt = live.prepare('SELECT * FROM timeline WHERE seq = ?');
    const jsm = await jetstreamManager(opts.nc);
    const streamLast = (await jsm.streams.info(EVENTS_STREAM)).state.last_seq;
    const until = Math.min(position, streamLast);

    const check = (msg: StreamMessage) => {
      const ev = eventHash(msg.data);
      const hash = chainLinkHash(prev, msg.seq, ev);
      const link = linkAt.get(msg.seq) as ChainLinksTable | undefined;
      if (!link)
        differ({ seq: msg.seq, what: 'missing_link', detail: '链缺少此序号 (no link for this sequence)' });
      else if (link.event_hash !== ev)
        differ({
          seq: msg.seq,
          what: 'event_hash',
          detail: `事件哈希与流中字节不符 (event hash ${link.event_hash} ≠ sha256 of the stream's bytes ${ev})`,
        });
      else if (link.prev_hash !== prev)
        differ({
          seq: msg.seq,
          what: 'prev_hash',
          detail: `前一哈希不符 (prev_hash ${link.prev_hash} ≠ ${prev})`,
        });
      else if (link.hash !== hash)
        differ({ seq: msg.seq, what: 'hash', detail: `链接哈希不符 (hash ${link.hash} ≠ ${hash})` });
      const row = rowAt.get(msg.seq) as TimelineTable | undefined;
      if (row) {
        timelineRows += 1;
        const decoded = decodeStreamMessage(msg);
        const why = decoded.ok
          ? timelineMismatch(row, decoded.event)
          : `时间线行对应的消息无效 (a timeline row for a message that does not decode: ${decoded.detail})`;
        if (why) differ({ seq: msg.seq, what: 'timeline', detail: why });
      }
      prev = hash;
      head = { seq: msg.seq, hash };
      checked += 1;
    };

    if (until > 0) {
      await new Promise<void>((resolve, reject) => {
        const consumer = createStreamConsumer({
          nc: opts.nc,
          from: 1,
          until: { seq: until },
          onSlice: (msgs) => {
            try {
              for (const m of msgs) check(m);
              opts.onProgress?.(checked, until);
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          },
          onEnd: () => void consumer.stop().then(resolve, reject),
        });
        consumer.start().catch(reject);
      });
    }
    if (streamLast < position) {
      differ({
        seq: streamLast + 1,
        what: 'missing_message',
        detail: `读模型位置 ${position} 超出流的末尾 ${streamLast} (the read model is ahead of the stream)`,
      });
    }
    const extra = live
      .prepare('SELECT seq FROM chain_links WHERE seq > ? ORDER BY seq LIMIT 1')
      .get(position) as { seq: number } | undefined;
    if (extra)
      differ({ seq: extra.seq, what: 'extra_link', detail: '位置之后还有链接 (a link past the position)' });
    live.prepare('COMMIT').run();
    differences.sort((a, b) => a.seq - b.seq);
    return {
      ok: differences.length === 0,
      position,
      checked,
      timelineRows,
      head,
      firstDifference: differences[0],
      differences,
    };
  } finally {
    live.close();
  }
}
