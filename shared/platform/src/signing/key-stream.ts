/**
 * The ENF_KEYS stream: the committee office's registrations and revocations of agencies'
 * public keys, read in full (it is small) to build a KeyRegistry.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { TOOL_ACK_TIMEOUT_MS } from '../nats/publish.js';
import {
  createKeyRegistry,
  keySubject,
  KEYS_STREAM,
  parseKeyEvent,
  type KeyEvent,
  type KeyRegistry,
  type SigningKey,
} from './signing.js';

/** Publishes a registration or revocation (the same one twice is stored once). */
export async function publishKeyEvent(nc: NatsConnection, event: KeyEvent): Promise<number> {
  const ack = await jetstream(nc, { timeout: TOOL_ACK_TIMEOUT_MS }).publish(
    keySubject(event.keyId),
    JSON.stringify(event),
    {
      msgID: `${event.action}/${event.keyId}`,
    },
  );
  return ack.seq;
}

/**
 * Applies the key messages after `afterSeq` up to the stream's end; returns the last sequence
 * read. Cheap when nothing is new (one stream look-up).
 */
export async function syncKeyRegistry(
  nc: NatsConnection,
  registry: KeyRegistry,
  afterSeq = 0,
): Promise<number> {
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const info = await jsm.streams.info(KEYS_STREAM);
  let seq = Math.max(afterSeq + 1, info.state.first_seq);
  for (; seq > 0 && seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(KEYS_STREAM, { seq }).catch(() => null);
    const event = msg ? parseKeyEvent(msg.data) : undefined;
    if (msg && event) registry.apply(event, msg.time.toISOString());
  }
  return Math.max(afterSeq, info.state.last_seq);
}

/** Every key message up to the stream's end, applied in order. */
export async function loadKeyRegistry(
  nc: NatsConnection,
  into: KeyRegistry = createKeyRegistry(),
): Promise<KeyRegistry> {
  await syncKeyRegistry(nc, into);
  return into;
}

/** Registers the keys not registered yet (the local hub's launcher, for its services' agencies). */
export async function ensureKeysRegistered(
  nc: NatsConnection,
  keys: readonly Pick<SigningKey, 'agency' | 'keyId' | 'publicKey'>[],
  by: string,
): Promise<string[]> {
  const registry = await loadKeyRegistry(nc);
  const added: string[] = [];
  for (const k of keys) {
    if (registry.has(k.keyId)) continue;
    await publishKeyEvent(nc, {
      action: 'registered',
      agency: k.agency,
      keyId: k.keyId,
      publicKey: k.publicKey,
      by,
    });
    added.push(k.keyId);
  }
  return added;
}
