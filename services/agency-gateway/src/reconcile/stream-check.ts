/**
 * Is each published record in the stream? One look at the stream's sequence range first (a
 * record recorded beyond the stream's last sequence is missing without asking for it: the usual
 * shape of lost unsynced writes, whose tail is gone), then one `STREAM.MSG.GET` per remaining
 * record at the sequence its ack gave, compared by subject and Nats-Msg-Id (after lost writes
 * the stream hands the lost sequences out again, to other records). Up to `concurrency`
 * requests are in flight at once.
 *
 * Plain requests, not the JetStream manager: the agency services' NATS identity may ask for
 * stream info and single messages of the events stream, and nothing else (deploy/nats).
 *
 * @example
 * const { found, missing } = await checkInStream(nc, rows);
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { HubError } from '@hub/domain';
import { EVENTS_STREAM } from '@hub/domain';

export interface StreamCheckRow {
  readonly subject: string;
  readonly msgId: string;
  /** Where the ack put it; null: never acknowledged. */
  readonly streamSeq: number | null;
}

export interface StreamCheckResult<R extends StreamCheckRow> {
  found: { row: R; streamSeq: number }[];
  missing: R[];
}

export interface StreamCheckOptions {
  stream?: string;
  /** Requests in flight at once. @default 64 */
  concurrency?: number;
  /** Per request. @default 10000 */
  timeoutMs?: number;
}

interface ApiError {
  error?: { code?: number; description?: string };
}
interface StreamInfo extends ApiError {
  state?: { first_seq: number; last_seq: number };
}
interface MsgGet extends ApiError {
  message?: { subject: string; seq: number; hdrs?: string };
}

const decoder = new TextDecoder();

/** A header's value in the wire form `NATS/1.0\r\nName: value\r\n…` (base64), or undefined. */
export function headerOf(hdrs: string | undefined, name: string): string | undefined {
  if (!hdrs) return undefined;
  const lower = name.toLowerCase();
  for (const line of Buffer.from(hdrs, 'base64').toString('utf8').split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === lower) return line.slice(colon + 1).trim();
  }
  return undefined;
}

async function api<T extends ApiError>(nc: NatsConnection, subject: string, body: unknown, timeout: number) {
  const reply = await nc.request(subject, JSON.stringify(body), { timeout });
  return JSON.parse(decoder.decode(reply.data)) as T;
}

/** The stream's first and last sequence (both 0 when it is empty). */
export async function streamRange(
  nc: NatsConnection,
  stream = EVENTS_STREAM,
  timeoutMs = 10_000,
): Promise<{ first: number; last: number }> {
  const info = await api<StreamInfo>(nc, `$JS.API.STREAM.INFO.${stream}`, {}, timeoutMs);
  if (info.error || !info.state) {
    throw new HubError(
      'NATS_UNAVAILABLE',
      `无法读取流 ${stream} 的状态 (cannot read the state of stream ${stream}): ${info.error?.description ?? 'no state'}`,
    );
  }
  return { first: info.state.first_seq, last: info.state.last_seq };
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function checkInStream<R extends StreamCheckRow>(
  nc: NatsConnection,
  rows: readonly R[],
  opts: StreamCheckOptions = {},
): Promise<StreamCheckResult<R>> {
  const stream = opts.stream ?? EVENTS_STREAM;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const result: StreamCheckResult<R> = { found: [], missing: [] };
  if (rows.length === 0) return result;
  const { first, last } = await streamRange(nc, stream, timeoutMs);
  const toAsk: R[] = [];
  for (const row of rows) {
    if (row.streamSeq === null || row.streamSeq < first || row.streamSeq > last || first === 0)
      result.missing.push(row);
    else toAsk.push(row);
  }
  const seen = new Map<R, number | undefined>();
  await eachLimited(toAsk, opts.concurrency ?? 64, async (row) => {
    const got = await api<MsgGet>(nc, `$JS.API.STREAM.MSG.GET.${stream}`, { seq: row.streamSeq }, timeoutMs);
    if (got.error && got.error.code !== 404) {
      throw new HubError(
        'NATS_UNAVAILABLE',
        `无法读取流中的消息 (cannot read a message of the stream) seq ${row.streamSeq}: ${got.error.description ?? got.error.code}`,
      );
    }
    const m = got.message;
    const same =
      m !== undefined && m.subject === row.subject && headerOf(m.hdrs, 'Nats-Msg-Id') === row.msgId;
    seen.set(row, same ? m.seq : undefined);
  });
  // In the rows' order, whatever order the answers came in.
  for (const row of toAsk) {
    const at = seen.get(row);
    if (at === undefined) result.missing.push(row);
    else result.found.push({ row, streamSeq: at });
  }
  return result;
}
