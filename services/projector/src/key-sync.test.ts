import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  createKeyRegistry,
  encodeEvent,
  ensureStreams,
  loadOrCreateSigningKey,
  publishKeyEvent,
} from '@hub/platform';
import { eventSubject } from '@hub/domain';
import { startTestNats, type TestNats } from '@hub/testing';
import { createKeySync } from './key-sync.js';
import { sampleEvent } from './sample-stream.js';

describe('key sync', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  const dir = mkdtempSync(join(tmpdir(), 'hub-key-sync-'));
  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectNats({ servers: nats.url, name: 'key-sync-test' });
    await ensureStreams(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = (agency: string) => {
    const k = loadOrCreateSigningKey(dir, agency);
    return publishKeyEvent(nc, {
      action: 'registered',
      agency,
      keyId: k.keyId,
      publicKey: k.publicKey,
      by: 'test',
    }).then(() => k.keyId);
  };

  it('reads the key stream only for messages newer than what the last read is known to cover', async () => {
    // given events in the stream and a first read (it learns the events stream's last time)
    const e = sampleEvent(1);
    const ack = await jetstream(nc).publish(eventSubject(e.agency, e.type, e.business.uscc), encodeEvent(e));
    const first = await register('GSJ');
    const registry = createKeyRegistry();
    const keys = createKeySync({ nc, registry, clockMarginMs: 0 });
    await keys.start();
    expect(registry.has(first)).toBe(true);
    const horizon = keys.knownUntil();
    expect(horizon > '2000-01-01').toBe(true);
    // when a key is registered after that read
    const later = await register('SYJ');
    // then a message up to the covered time is decided without a read: the new key is not seen
    expect(await keys.sync(horizon, true)).toBe(false);
    expect(registry.has(later)).toBe(false);
    // and a newer message reads the stream again, and sees it
    const newer = new Date(Date.parse(horizon) + 1).toISOString();
    expect(await keys.sync(newer, false)).toBe(true);
    expect(registry.has(later)).toBe(true);
    expect(ack.seq).toBe(1);
  });

  it('takes the clock margin off the covered time', async () => {
    const registry = createKeyRegistry();
    const keys = createKeySync({ nc, registry, clockMarginMs: 2000 });
    await keys.start();
    const unmargined = createKeySync({ nc, registry: createKeyRegistry(), clockMarginMs: 0 });
    await unmargined.start();
    expect(Date.parse(unmargined.knownUntil()) - Date.parse(keys.knownUntil())).toBe(2000);
  });
});
