/** A nats-server of the scenario's own, with the hub's streams, removed with its store at the end. */
import { rmSync } from 'node:fs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureStreams, EVENTS_STREAM } from '@hub/shared';
import { startTestNats, type TestNats } from '@hub/shared/testing';
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
  return { server, nc, js: jetstream(nc) };
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
    inflight.push(js.publish(e.subject, e.bytes, { msgID: e.msgId }));
    count++;
    if (inflight.length >= window) await inflight.shift();
  }
  await Promise.all(inflight);
  return count;
}

export async function streamLastSeq(js: JetStreamClient): Promise<number> {
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM);
  return info.state.last_seq;
}
