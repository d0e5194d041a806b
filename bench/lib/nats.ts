/** A nats-server of the scenario's own, with the hub's streams, removed with its store at the end. */
import { rmSync } from 'node:fs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, createInbox, headers, type NatsConnection } from '@nats-io/transport-node';
import { ensureStreams } from '@hub/platform';
import { EVENTS_STREAM } from '@hub/domain';
import { startTestNats, type TestNats } from '@hub/testing';
import type { RunContext } from './types.js';
import type { BenchEvent } from './workload.js';

export interface BenchNats {
  readonly server: TestNats;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
}

/** Starts nats-server (stopped by PID and its store removed when the scenario ends) and creates the streams. */
export async function startBenchNats(ctx: RunContext): Promise<BenchNats> {
  const server = await startTestNats();
  ctx.defer(() => rmSync(server.storeDir, { recursive: true, force: true }));
  ctx.defer(() => server.stop());
  const nc = await connectFast(server.url);
  ctx.defer(() => nc.close());
  await ensureStreams(nc);
  // Acks wait up to 30 s, as in the tests: at 5 s (the client's default) a 10 M-event preload on a
  // busy machine failed when nats-server paused to write out its multi-gigabyte store.
  return { server, nc, js: jetstream(nc, { timeout: 30_000 }) };
}

/**
 * The stock client with `noAsyncTraces` (it otherwise builds an Error per request, DESIGN §6),
 * reconnecting forever: the relay scenario stops nats-server for a while.
 */
export const connectFast = (url: string): Promise<NatsConnection> =>
  connect({
    servers: url,
    noAsyncTraces: true,
    name: 'hub-bench',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });

/**
 * The promise, with a handler attached: when one publish fails, those still in flight fail as the
 * connection closes in the cleanup, and unhandled they would end the scenario's process before it
 * reports the first failure. Awaiting the promise still throws.
 */
export function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Publishes with a sliding window of unacknowledged publishes, each with its Nats-Msg-Id as
 * the hub's relay sends it. Resolves when every publish is acknowledged.
 */
export async function publishPipelined(
  js: JetStreamClient,
  events: Iterable<BenchEvent>,
  window = 1024,
): Promise<number> {
  const inflight: Promise<unknown>[] = [];
  let count = 0;
  for (const e of events) {
    inflight.push(handled(js.publish(e.subject, e.bytes, { msgID: e.msgId })));
    count++;
    if (inflight.length >= window) await inflight.shift();
  }
  await Promise.all(inflight);
  return count;
}

/**
 * Publishes as the relay does: core publishes with a reply subject per message and the
 * JetStream acks tracked here, `window` unacknowledged at most. Fails if any ack is an error.
 */
export async function publishCore(
  nc: NatsConnection,
  events: Iterable<BenchEvent>,
  window = 1024,
  /** Signature headers for messages sent together, each message's in order, as the relay adds them. */
  sign?: (chunk: readonly BenchEvent[]) => readonly (readonly (readonly [string, string])[])[],
): Promise<void> {
  const inbox = createInbox();
  let acked = 0;
  let errors = 0;
  let wake: (() => void) | undefined;
  const sub = nc.subscribe(`${inbox}.*`, {
    callback: (_err, msg) => {
      acked++;
      // An ack is {"stream":…,"seq":…}; a refusal carries "error".
      if (msg.data.length > 0 && msg.data[2] === 0x65 /* e */) errors++;
      const w = wake;
      wake = undefined;
      w?.();
    },
  });
  const sleep = () => new Promise<void>((r) => (wake = r));
  let sent = 0;
  // As the relay: with the window nearly full, wait for room for a batch, read up to 512, sign
  // them together, send them.
  const minRoom = Math.min(64, Math.ceil(window / 2));
  const source = events[Symbol.iterator]();
  for (let ended = false; !ended;) {
    while (sent - acked > 0 && window - (sent - acked) < minRoom) await sleep();
    const room = Math.min(window - (sent - acked), 512);
    const chunk: BenchEvent[] = [];
    while (chunk.length < room) {
      const next = source.next();
      if (next.done) {
        ended = true;
        break;
      }
      chunk.push(next.value);
    }
    if (chunk.length === 0) break;
    const signed = sign?.(chunk);
    for (const [i, e] of chunk.entries()) {
      const h = headers();
      h.set('Nats-Msg-Id', e.msgId);
      for (const [k, v] of signed?.[i] ?? []) h.set(k, v);
      nc.publish(e.subject, e.bytes, { reply: `${inbox}.${sent}`, headers: h });
      sent++;
    }
  }
  while (acked < sent) await sleep();
  sub.unsubscribe();
  if (errors > 0) throw new Error(`${errors} publishes refused by JetStream`);
}

export async function streamLastSeq(js: JetStreamClient): Promise<number> {
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM);
  return info.state.last_seq;
}
