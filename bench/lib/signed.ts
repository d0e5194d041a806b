/**
 * Publishing the workload as the relay does: a window of 1 024 unacknowledged publishes, each
 * with its Nats-Msg-Id, and — when department keys are given — signed as the relay signs the
 * rows it reads at once (per department, batches of up to 64 under one Ed25519 signature over
 * their Merkle root, a proof per message; D49).
 */
import { headers } from '@nats-io/transport-node';
import { loadOrCreateSigningKey, publishKeyEvent, signTogether, type SigningKey } from '@hub/platform';
import type { OutboxEntry } from '@hub/agency-gateway';
import { handled, type BenchNats } from './nats.js';
import type { BenchEvent } from './workload.js';

/** The department of an event subject `enf.evt.<AGENCY>.…`. */
export const agencyOf = (subject: string): string => subject.split('.', 3)[2] ?? '';

/** The event as an agency service's outbox row holds it once accepted. */
export const outboxEntryOf = (e: BenchEvent): OutboxEntry => ({
  eventId: String(e.json.eventId),
  agency: agencyOf(e.subject),
  recordId: e.msgId,
  revision: 0,
  contentSha256: e.msgId,
  subject: e.subject,
  msgId: e.msgId,
  body: e.bytes,
  acceptedAt: new Date(0).toISOString(),
});

const keyFor = (keys: ReadonlyMap<string, SigningKey> | undefined, e: BenchEvent): SigningKey => {
  const key = keys?.get(agencyOf(e.subject));
  if (!key) throw new Error(`no signing key for ${agencyOf(e.subject)} (${e.subject})`);
  return key;
};

/** Signature headers for events sent together, as the relay signs the rows it reads at once. */
export const signChunk = (
  chunk: readonly BenchEvent[],
  keys: ReadonlyMap<string, SigningKey>,
): [string, string][][] => signTogether(chunk.map((e) => ({ key: keyFor(keys, e), body: e.bytes })));

/** Publishes `events`; returns the milliseconds until the last one was acknowledged. */
export async function publishWindowed(
  nats: BenchNats,
  events: Iterable<BenchEvent>,
  keys?: ReadonlyMap<string, SigningKey>,
): Promise<number> {
  const inflight: Promise<unknown>[] = [];
  let count = 0;
  const t0 = performance.now();
  const send = async (chunk: BenchEvent[]) => {
    const signed = keys ? signChunk(chunk, keys) : undefined;
    for (const [i, e] of chunk.entries()) {
      const h = headers();
      h.set('Nats-Msg-Id', e.msgId);
      for (const [k, v] of signed?.[i] ?? []) h.set(k, v);
      inflight.push(handled(nats.js.publish(e.subject, e.bytes, { headers: h })));
      count++;
      if (inflight.length >= 1024) await inflight.shift();
    }
  };
  let chunk: BenchEvent[] = [];
  for (const e of events) {
    chunk.push(e);
    if (chunk.length === 512) {
      await send(chunk);
      chunk = [];
    }
  }
  await send(chunk);
  await Promise.all(inflight);
  if (count === 0) throw new Error('no events');
  return performance.now() - t0;
}

/**
 * A key for each department of `sample` (created under `keyDir`) registered on ENF_KEYS, as
 * `hub keys` registers them: what a projector checking signatures needs.
 */
export async function registerDepartmentKeys(
  nats: BenchNats,
  keyDir: string,
  sample: Iterable<BenchEvent>,
): Promise<Map<string, SigningKey>> {
  const keys = new Map<string, SigningKey>();
  for (const e of sample) {
    const agency = agencyOf(e.subject);
    if (keys.has(agency)) continue;
    const k = loadOrCreateSigningKey(keyDir, agency);
    keys.set(agency, k);
    await publishKeyEvent(nats.nc, {
      action: 'registered',
      agency,
      keyId: k.keyId,
      publicKey: k.publicKey,
      by: 'bench',
    });
  }
  return keys;
}
