/**
 * The consumer stage: reads ENF_EVENTS in stream order with an ordered consumer from a given
 * sequence, and hands over what one read of the socket brought as one slice, with whether the
 * stream already holds many more (the last message's `pending`, at least `moreAtLeast`). That is
 * what lets the committer batch naturally: full batches while catching up; live, what arrived
 * while the last commit ran — many events under load, one when the stream is quiet.
 *
 * It owns the consumer's life: stopped and started again when the pipeline holds too much
 * (`pause`/`resume`), restarted from the next sequence when NATS reconnects (the client's own
 * recovery waits for two missed heartbeats, ~30 s, after a server restart) and when the stream
 * holds more than was received but nothing arrives for `restartAfterMs`.
 *
 * @example
 * const consumer = createStreamConsumer({ nc, from: 1, onSlice: (msgs, more) => pipe(msgs, more) });
 * await consumer.start();
 */
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@hub/domain';
import { silentLogger, type Logger } from '@hub/platform';
import type { StreamMessage } from './projection/decode.js';
import { readSignatureHeaders } from './signature-headers.js';

export interface StreamConsumerOptions {
  nc: NatsConnection;
  /** The first stream sequence to read. */
  from: number;
  /** Stop before the first message past this sequence or stream time (audit replay). */
  until?: { seq?: number | undefined; time?: string | undefined } | undefined;
  /** Messages delivered by one read, in stream order; `more` when the stream already holds `moreAtLeast` more. */
  onSlice(msgs: StreamMessage[], more: boolean): void;
  /** The `until` bound was reached: nothing more will come. */
  onEnd?(): void;
  /** `more` only when the stream holds at least this many behind a slice (at most `pullSize`). @default 256 */
  moreAtLeast?: number;
  /** Messages per pull request. @default 10000 */
  pullSize?: number;
  /** Read the signature headers (Hub-Key-Id, Hub-Signature and a batch's proof) into each message. */
  withSignatures?: boolean;
  /** Restart when the stream holds more than was received and nothing came for this long. @default 5000 */
  restartAfterMs?: number;
  logger?: Logger;
}

export interface StreamConsumer {
  start(): Promise<void>;
  /** Stops delivery (backpressure); `resume` starts again after the last message received. */
  pause(): void;
  resume(): void;
  /** Starts again after the last message received (e.g. after NATS reconnected). */
  restart(reason: string): void;
  /** What the stream is known to hold (from the messages' pending counts or `sawStreamEnd`). */
  sawStreamEnd(lastSeq: number): void;
  lastReceived(): number;
  streamLastSeq(): number;
  paused(): boolean;
  ended(): boolean;
  restarts(): number;
  stop(): Promise<void>;
}

export function createStreamConsumer(opts: StreamConsumerOptions): StreamConsumer {
  const log = opts.logger ?? silentLogger();
  const restartAfterMs = opts.restartAfterMs ?? 5000;
  const pullSize = opts.pullSize ?? 10_000;
  const moreAtLeast = Math.min(pullSize, opts.moreAtLeast ?? 256);
  let messages: ConsumerMessages | undefined;
  let generation = 0;
  let lastReceived = opts.from - 1;
  let streamLast = lastReceived;
  let lastMessageAt = Date.now();
  let isPaused = false;
  let ended = false;
  let stopped = false;
  let restarts = 0;
  let starting: Promise<void> | undefined;
  let slice: StreamMessage[] = [];
  let more = false;
  let handOverScheduled = false;
  let retry: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  // Called once the I/O callbacks of this turn delivered what the socket read held.
  const handOver = () => {
    handOverScheduled = false;
    if (slice.length === 0) return;
    const msgs = slice;
    slice = [];
    opts.onSlice(msgs, more && !ended);
  };

  const end = () => {
    ended = true;
    closeMessages();
    handOver();
    opts.onEnd?.();
  };

  const onMessage = (gen: number, m: JsMsg) => {
    // A consumer that was replaced may still deliver a few; the sequence check drops overlaps.
    if (gen !== generation || ended || m.seq <= lastReceived) return;
    const time = m.time.toISOString();
    const u = opts.until;
    if ((u?.seq !== undefined && m.seq > u.seq) || (u?.time !== undefined && time > u.time)) {
      end();
      return;
    }
    lastReceived = m.seq;
    lastMessageAt = Date.now();
    streamLast = Math.max(streamLast, m.seq + m.info.pending);
    // Worth waiting for only when the stream already holds a good many more (catching up). A few
    // behind is live traffic still in flight: under steady load some always are, and waiting for
    // them held each event until the committer's cap; the committer now commits what it has, and
    // what arrives during that commit is the next batch (big under load, one event when quiet).
    more = m.info.pending >= moreAtLeast;
    if (opts.withSignatures) {
      const { keyId, sig } = readSignatureHeaders(m);
      slice.push({ seq: m.seq, subject: m.subject, data: m.data, time, keyId, sig });
    } else slice.push({ seq: m.seq, subject: m.subject, data: m.data, time });
    if (u?.seq !== undefined && m.seq >= u.seq) {
      end();
      return;
    }
    if (!handOverScheduled) {
      handOverScheduled = true;
      setImmediate(handOver);
    }
  };

  const closeMessages = () => {
    generation += 1;
    const m = messages;
    messages = undefined;
    // Not awaited: while NATS is away, closing waits for a server that is not there.
    void m?.close().catch(() => undefined);
  };

  const consume = async () => {
    const gen = ++generation;
    const consumer = await jetstream(opts.nc).consumers.get(EVENTS_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: lastReceived + 1,
    });
    const msgs = await consumer.consume({
      max_messages: Math.max(1000, Math.min(pullSize, 10_000)),
      // Pulls expire (and heartbeats come) every few seconds, so a consumer lost with its node
      // (the stream leader of a cluster) is noticed and recreated within seconds, not a minute.
      expires: 5_000,
      callback: (m) => onMessage(gen, m),
    });
    if (gen !== generation || stopped || isPaused || ended) void msgs.close().catch(() => undefined);
    else messages = msgs;
    lastMessageAt = Date.now();
  };

  /** (Re)starts consumption; on failure (NATS or JetStream not back yet) tries again shortly. */
  const begin = (): Promise<void> => {
    if (stopped || ended || isPaused) return Promise.resolve();
    closeMessages();
    starting = consume()
      .catch((err: unknown) => {
        log.warn({ err }, '事件流消费启动失败，稍后重试 (could not start consuming; retrying)');
        if (retry === undefined && !stopped) {
          retry = setTimeout(() => {
            retry = undefined;
            void begin();
          }, 1000);
        }
      })
      .finally(() => (starting = undefined));
    return starting;
  };

  let status: AsyncIterable<{ type: string }> | undefined;
  const watchStatus = async (statuses: AsyncIterable<{ type: string }>) => {
    for await (const s of statuses) {
      if (stopped) return;
      if (s.type === 'reconnect') consumer.restart('NATS 重新连接 (NATS reconnected)');
    }
  };

  const consumer: StreamConsumer = {
    async start() {
      if (opts.until?.seq !== undefined && lastReceived >= opts.until.seq) {
        ended = true;
        opts.onEnd?.();
        return;
      }
      await consume();
      status = opts.nc.status();
      void watchStatus(status);
      watchdog = setInterval(
        () => {
          const quietFor = Date.now() - lastMessageAt;
          if (!isPaused && !ended && !starting && streamLast > lastReceived && quietFor >= restartAfterMs)
            consumer.restart('有待读事件但无消息到达 (stream holds more but nothing arrives)');
        },
        Math.min(1000, restartAfterMs),
      );
      watchdog.unref();
    },
    pause() {
      if (isPaused || ended) return;
      isPaused = true;
      closeMessages();
      handOver();
    },
    resume() {
      if (!isPaused) return;
      isPaused = false;
      void begin();
    },
    restart(reason) {
      if (stopped || ended || isPaused) return;
      restarts += 1;
      log.info({ reason, from: lastReceived + 1 }, '重新开始消费 (consumption restarted)');
      handOver();
      void begin();
    },
    sawStreamEnd(lastSeq) {
      streamLast = Math.max(streamLast, lastSeq);
    },
    lastReceived: () => lastReceived,
    streamLastSeq: () => streamLast,
    paused: () => isPaused,
    ended: () => ended,
    restarts: () => restarts,
    async stop() {
      stopped = true;
      (status as { stop?: () => void } | undefined)?.stop?.();
      if (retry) clearTimeout(retry);
      if (watchdog) clearInterval(watchdog);
      await starting;
      const m = messages;
      generation += 1;
      messages = undefined;
      await m?.close().catch(() => undefined);
      handOver();
    },
  };
  return consumer;
}
