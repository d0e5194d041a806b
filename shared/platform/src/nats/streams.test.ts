import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startTestNats, type TestNats } from '@hub/testing';
import { connectNats } from './connect.js';
import { applyStreams, ensureStreams } from './streams.js';
import { EVENTS_STREAM } from '@hub/domain';

describe('streams (real nats-server)', () => {
  let server: TestNats;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'streams-test' });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('creates the streams idempotently: file storage, kept forever, delete and purge denied', async () => {
    await ensureStreams(nc);
    const jsm = await ensureStreams(nc);
    const info = await jsm.streams.info(EVENTS_STREAM);
    expect(info.config).toMatchObject({ storage: 'file', max_age: 0, deny_delete: true, deny_purge: true });
    expect((await jsm.streams.list().next()).map((s) => s.config.name).sort()).toEqual([
      'ENF_ALERTS',
      'ENF_DLQ',
      'ENF_EVENTS',
      'ENF_KEYS',
    ]);
  });

  it('refuses to delete or purge events', async () => {
    const jsm = await ensureStreams(nc);
    const ack = await jetstream(nc).publish('enf.evt.GSJ.inspection_completed.91350100M000100Y43', 'x');
    await expect(jsm.streams.deleteMessage(EVENTS_STREAM, ack.seq)).rejects.toThrow();
    await expect(jsm.streams.purge(EVENTS_STREAM)).rejects.toThrow();
    expect((await jsm.streams.info(EVENTS_STREAM)).state.messages).toBe(1);
  });

  it('reports what it did, and leaves streams already as defined alone', async () => {
    await ensureStreams(nc);
    const { changes } = await applyStreams(nc);
    expect(changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });
});
