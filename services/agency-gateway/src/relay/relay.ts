/**
 * The relay: publishes pending outbox rows to JetStream and marks each one published on its
 * ack. Pipelined: up to `window` publishes are in flight at once, sent as core publishes with a
 * reply subject per row (`<inbox>.<seq>`) and tracked here, which is several times faster
 * than awaiting `js.publish` one by one.
 *
 * Any failure (an error ack, no responders, an ack not back in time, a disconnect) drops the
 * in-flight set and re-reads pending rows from the start after a backoff. What was already
 * stored is sent again with the same Nats-Msg-Id and JetStream acks it as a duplicate, so the
 * stream holds each record once.
 */
import {
  createInbox,
  headers,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { BATCH_LEAVES, inboxPrefixOfConnection, type Logger } from '@hub/platform';
import type { Outbox, PendingRow } from '../outbox/outbox.js';
import { systemClock, type Clock } from '../clock.js';
import type { SignatureHeaders } from './signer.js';

export interface RelayOptions {
  outbox: Outbox;
  nc: NatsConnection;
  logger: Logger;
  /**
   * Signature headers for messages sent together, each message's in order (the agency's key, on
   * its behalf: one batch signature per agency, EventSigner.signBatch); none: unsigned.
   */
  sign?: (
    messages: readonly { subject: string; body: Uint8Array }[],
  ) => readonly (readonly (readonly [string, string])[])[];
  /** Publishes in flight at once. Default 1024. */
  window?: number;
  /** An ack not back after this is a failure. Default 5000 ms. */
  ackTimeoutMs?: number;
  /** How often to look for rows written by another process, when idle. Default 250 ms. */
  pollMs?: number;
  /** Backoff after a failure: doubles from min to max. Defaults 100 ms … 5000 ms. */
  backoffMs?: { min: number; max: number };
  clock?: Clock;
}

export interface RelayStats {
  connected: boolean;
  inFlight: number;
  published: number;
  failures: number;
  lastError: string | undefined;
}

export interface Relay {
  start(): void;
  /** Stops publishing, waits briefly for acks in flight, records them. */
  stop(graceMs?: number): Promise<void>;
  stats(): RelayStats;
}

interface InFlight {
  row: PendingRow;
  deadline: number;
}

const MARK_BATCH = 512;
const MARK_DELAY_MS = 10;

export function createRelay(opts: RelayOptions): Relay {
  const { outbox, nc, logger } = opts;
  const window = opts.window ?? 1024;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 5000;
  const backoff = opts.backoffMs ?? { min: 100, max: 5000 };
  const clock = opts.clock ?? systemClock;
  // Under this connection's own prefix: its identity may read nothing else (deploy/nats).
  const inbox = createInbox(inboxPrefixOfConnection(nc));
  const inFlight = new Map<number, InFlight>();
  let acked: { seq: number; streamSeq: number }[] = [];
  let cursor = 0;
  let running = false;
  let connected = !nc.isClosed();
  let retryAt = 0;
  let delay = backoff.min;
  let published = 0;
  let failures = 0;
  let lastError: string | undefined;
  let sub: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pumpScheduled = false;
  let unlisten: (() => void) | undefined;
  // Whether the outbox may hold pending rows after the cursor: set when rows are appended, on
  // the poll tick (rows of another process) and after a failure; cleared by a short read. An
  // ack frees room in the window without a query when nothing new is there.
  let more = true;
  let marksTimer: NodeJS.Timeout | undefined;
  const MARKS_RETRY_MS = 1000;

  let marksFailing = false;
  // A mark that cannot be written (disk full) is kept and tried again; the relay publishes
  // nothing more meanwhile, so what waits in memory stays bounded by the window.
  const flushMarks = () => {
    if (marksTimer) clearTimeout(marksTimer);
    marksTimer = undefined;
    if (acked.length === 0) return;
    const batch = acked;
    acked = [];
    try {
      outbox.markPublished(batch, clock.now().toISOString());
    } catch (err) {
      acked = batch.concat(acked);
      if (!marksFailing)
        logger.error({ err }, '发件箱无法写入，暂停发布 (outbox not writable; relay paused until it is)');
      marksFailing = true;
      lastError = `outbox not writable: ${(err as Error).message}`;
      if (running) marksTimer = setTimeout(flushMarks, MARKS_RETRY_MS);
      return;
    }
    if (marksFailing) {
      marksFailing = false;
      logger.warn('发件箱恢复可写，继续发布 (outbox writable again; relay resumes)');
      schedulePump();
    }
    published += batch.length;
  };
  // Marks are written in one transaction per MARK_BATCH acks or MARK_DELAY_MS, not one per
  // ack: a mark lost to a crash only makes the row go out again (dropped by its Nats-Msg-Id).
  const markSoon = () => {
    if (acked.length >= MARK_BATCH) flushMarks();
    else marksTimer ??= setTimeout(flushMarks, MARK_DELAY_MS);
  };

  const fail = (reason: string) => {
    failures += 1;
    if (lastError !== reason || failures % 100 === 1)
      logger.warn({ reason, inFlight: inFlight.size }, 'relay: publish failed, backing off');
    lastError = reason;
    inFlight.clear();
    cursor = 0;
    more = true;
    retryAt = Date.now() + delay;
    delay = Math.min(delay * 2, backoff.max);
  };

  const onAck = (err: Error | null, msg: Msg) => {
    if (err) return fail(err.message);
    const seq = Number(msg.subject.slice(inbox.length + 1));
    // A failure for a row no longer in flight belongs to a round already given up: ignore it.
    const failed = (reason: string) => (inFlight.has(seq) ? fail(reason) : undefined);
    if (msg.headers?.hasError) {
      const code = msg.headers.code;
      return failed(
        code === 503
          ? 'no stream for the subject (503 no responders)'
          : `status ${code} ${msg.headers.description}`,
      );
    }
    let ack: { seq?: number; error?: { description?: string } };
    try {
      ack = msg.json();
    } catch {
      return failed('unreadable ack');
    }
    if (ack.error !== undefined || typeof ack.seq !== 'number')
      return failed(ack.error?.description ?? 'ack without seq');
    inFlight.delete(seq);
    acked.push({ seq, streamSeq: ack.seq });
    delay = backoff.min;
    lastError = undefined;
    markSoon();
    if (more) schedulePump();
  };

  const pump = () => {
    pumpScheduled = false;
    if (!running || marksFailing) return;
    if (!connected || Date.now() < retryAt) return;
    // With the window nearly full, wait until a batch's worth is free: rows sent together share
    // one signature, and a few at a time would each pay for their own.
    const minRoom = Math.min(BATCH_LEAVES, Math.ceil(window / 2));
    while (more && window - inFlight.size >= (inFlight.size === 0 ? 1 : minRoom)) {
      const want = Math.min(window - inFlight.size, 512);
      const rows = outbox.pending(cursor, want);
      if (rows.length < want) more = false;
      const deadline = Date.now() + ackTimeoutMs;
      // What is read together is signed together: one signature per agency for these rows.
      const signatures = rows.length > 0 ? opts.sign?.(rows) : undefined;
      const h = reusedHeaders();
      for (const [i, row] of rows.entries()) {
        inFlight.set(row.seq, { row, deadline });
        nc.publish(row.subject, row.body, {
          reply: `${inbox}.${row.seq}`,
          headers: h(row.msgId, signatures?.[i]),
        });
        cursor = row.seq;
      }
    }
  };

  function schedulePump() {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(pump);
  }

  const tick = () => {
    const oldest = inFlight.values().next().value;
    if (oldest !== undefined && oldest.deadline < Date.now()) fail(`no ack within ${ackTimeoutMs} ms`);
    more = true;
    schedulePump();
  };
  const appended = () => {
    more = true;
    schedulePump();
  };

  const watchStatus = async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        inFlight.clear();
        cursor = 0;
        more = true;
      } else if (s.type === 'reconnect') {
        connected = true;
        retryAt = 0;
        delay = backoff.min;
        schedulePump();
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      sub = nc.subscribe(`${inbox}.*`, { callback: onAck });
      void watchStatus();
      unlisten = outbox.onAppend(appended);
      timer = setInterval(tick, Math.min(opts.pollMs ?? 250, ackTimeoutMs));
      schedulePump();
    },
    async stop(graceMs = 2000) {
      if (!running) return;
      running = false;
      unlisten?.();
      if (timer) clearInterval(timer);
      const until = Date.now() + graceMs;
      while (inFlight.size > 0 && connected && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      flushMarks();
      sub?.unsubscribe();
    },
    stats: () => ({ connected, inFlight: inFlight.size, published, failures, lastError }),
  };
}

/**
 * Each message's headers: its Nats-Msg-Id and signature headers. The messages of one signed
 * batch share all of them but the id and the proof, and `publish` encodes the headers before it
 * returns, so one header object is kept while the names stay the same and only the values that
 * changed are set again: the client validates every value it is given.
 */
function reusedHeaders(): (msgId: string, signature: SignatureHeaders | undefined) => MsgHdrs {
  let h = headers();
  let prev: SignatureHeaders | undefined;
  return (msgId, signature = []) => {
    const sameNames =
      prev !== undefined &&
      prev.length === signature.length &&
      signature.every(([k], j) => prev![j]![0] === k);
    if (!sameNames) {
      h = headers();
      for (const [k, v] of signature) h.set(k, v);
    } else {
      signature.forEach(([k, v], j) => {
        if (prev![j]![1] !== v) h.set(k, v);
      });
    }
    h.set('Nats-Msg-Id', msgId);
    prev = signature;
    return h;
  };
}
