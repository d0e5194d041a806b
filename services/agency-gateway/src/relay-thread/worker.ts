/**
 * The relay thread's entry: its own view of the outbox file and its own NATS connection; the
 * main thread reports each completed sync (`durable`) and asks it to stop. Statistics go back
 * every 100 ms while they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, createLogger } from '@hub/platform';
import { openRelayOutboxView } from '../outbox/relay-view.js';
import { createRelay, type Relay, type RelayStats } from '../relay/relay.js';
import { createEventSigner } from '../relay/signer.js';
import type { FromRelayThread, RelayThreadData, ToRelayThread } from './protocol.js';

const data = workerData as RelayThreadData;
const port = parentPort!;
const post = (m: FromRelayThread) => port.postMessage(m);
const logger = createLogger(data.service, data.logLevel);
const view = openRelayOutboxView(data.outboxPath, data.durableBelow);
let relay: Relay | undefined;
let nc: NatsConnection | undefined;
let stopping = false;
const idle: RelayStats = { connected: false, inFlight: 0, published: 0, failures: 0, lastError: undefined };

port.on('message', (m: ToRelayThread) => {
  if (m.type === 'durable') view.advance(m.below);
  else void stop(m.graceMs);
});

let last = '';
const report = setInterval(() => {
  const stats = relay?.stats() ?? idle;
  const text = JSON.stringify(stats);
  if (text !== last) post({ type: 'stats', stats });
  last = text;
}, 100);

const conn = await connectNats(data.nats, logger);
if (stopping) await conn.close();
else {
  nc = conn;
  relay = createRelay({
    outbox: view,
    nc: conn,
    logger,
    window: data.window,
    ackTimeoutMs: data.ackTimeoutMs,
    ...(data.signers ? { sign: createEventSigner(data.dataDir, data.signers).signBatch } : {}),
  });
  relay.start();
}

async function stop(graceMs: number) {
  if (stopping) return;
  stopping = true;
  clearInterval(report);
  await relay?.stop(graceMs);
  // A drain waits for the server; NATS may be away (the thread ends either way).
  await Promise.race([nc?.drain().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  view.close();
  post({ type: 'stopped', stats: relay?.stats() ?? idle });
  // In a worker this ends the thread, not the process.
  process.exit(0);
}
