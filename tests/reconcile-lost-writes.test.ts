/**
 * Acknowledged writes lost by nats-server (its file store's last blocks gone, as after a power
 * cut before a sync): the agency service's reconciliation finds the records the stream lacks,
 * publishes them again with their Nats-Msg-Id and signature, and every accepted record ends
 * up in the stream and in a real projector's read model exactly once — also when, after the
 * loss, the stream handed the lost sequences out to newer records. Confirmed records are then
 * compacted (retention 0 here), and the metrics say what happened. A copy stored again after
 * the dedup window is not applied twice.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@hub/domain';
import {
  connectNats,
  ensureDemoToken,
  ensureStreams,
  loadOrCreateSigningKey,
  publishKeyEvent,
} from '@hub/platform';
import { openSqlite } from '@hub/read-model';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { createProjector } from '@hub/projector';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, readEventsStream } from './agency-fixtures.js';
import { checkpointBlocks, loseWritesSince, postInspections } from './reconcile-fixtures.js';

const data = tempDir('hub-reconcile-lost-');
let nats: TestNats;
let service: AgencyService | undefined;
let url: string;

const start = async (config: Parameters<typeof startAgencyService>[0]['config']) => {
  ({ url, service } = await startAgencyService({
    definition: MARKET_SUPERVISION,
    dataDir: data.path,
    natsUrl: nats.url,
    config: { RELAY_ACK_TIMEOUT_MS: 1000, ...config },
  }));
};
/** The service now (reassigned by `start`). */
const current = (): AgencyService | undefined => service;
const published = () =>
  waitFor(() => (current()?.outbox.stats().pending === 0 ? true : undefined), {
    what: 'the relay',
    timeoutMs: 60_000,
  });

beforeAll(async () => {
  nats = await startTestNats();
  const nc = await connectNats({ servers: nats.url, name: 'reconcile-setup' });
  await ensureStreams(nc);
  // The service signs as GSJ with this key; the projector requires signatures.
  const key = loadOrCreateSigningKey(data.path, 'GSJ');
  await publishKeyEvent(nc, {
    action: 'registered',
    agency: 'GSJ',
    keyId: key.keyId,
    publicKey: key.publicKey,
    by: 'test',
  });
  await nc.close();
});
afterAll(async () => {
  await service?.close();
  await nats?.stop();
  data.remove();
});

it(
  'restores every lost acknowledged record exactly once, in the stream and the read model',
  { timeout: 180_000 },
  async () => {
    const token = ensureDemoToken(data.path);
    // Reconciliation idle while the loss is prepared (first run after an hour).
    await start({ RECONCILE_INTERVAL_MS: 3_600_000 });
    const kept = await postInspections(url, token, 1, 20);
    await published();

    await nats.stop();
    const checkpoint = checkpointBlocks(nats.storeDir);
    nats = await nats.restart();
    const lost = await postInspections(url, token, 100, 15);
    await published(); // acknowledged by JetStream, marked published

    await nats.stop();
    expect(loseWritesSince(checkpoint).length).toBeGreaterThan(0);
    nats = await nats.restart();
    const streamedAfterLoss = await waitFor(async () => {
      try {
        return await readEventsStream(nats.url);
      } catch {
        return undefined;
      }
    });
    expect(streamedAfterLoss.map((m) => m.json.eventId)).toEqual(kept);

    // Newer records take the lost records' stream sequences.
    const newer = await waitFor(async () => (service ? postInspections(url, token, 200, 5) : undefined));
    await published();
    await service?.close();
    service = undefined;

    // Restarted with reconciliation every 200 ms, checking at once (settle 0), compacting at once.
    await start({ RECONCILE_INTERVAL_MS: 200, RECONCILE_SETTLE_MS: 0, OUTBOX_RETENTION_HOURS: 0 });
    const accepted = [...kept, ...lost, ...newer];
    await waitFor(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /^hub_outbox_reconcile_records\{state="compacted"\} 40$/m.test(text) ? text : undefined;
      },
      { what: 'every record confirmed and compacted', timeoutMs: 60_000 },
    ).then((text) => {
      expect(text).toMatch(/^hub_reconcile_missing_total 15$/m);
      expect(text).toMatch(/^hub_reconcile_restored_total 15$/m);
      expect(text).toMatch(/^hub_reconcile_last_missing 0$/m);
      expect(text).toMatch(/^hub_outbox_reconcile_records\{state="unconfirmed"\} 0$/m);
    });

    const streamed = await readEventsStream(nats.url);
    const ids = streamed.map((m) => m.json.eventId as string);
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(accepted));

    const nc: NatsConnection = await connectNats({ servers: nats.url, name: 'reconcile-projector' });
    // A re-publication after the 24 h dedup window is stored again: emulated by a restored
    // record's exact bytes and signature under a Nats-Msg-Id the stream does not remember.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const last = (await jsm.streams.info(EVENTS_STREAM)).state.last_seq;
    const copy = (await jsm.streams.getMessage(EVENTS_STREAM, { seq: last }))!;
    const h = headers();
    for (const k of copy.header.keys()) h.set(k, copy.header.get(k));
    h.set('Nats-Msg-Id', `${copy.header.get('Nats-Msg-Id')}/after-window`);
    await jetstream(nc, { timeout: 30_000 }).publish(copy.subject, copy.data, { headers: h });

    // A real projector, signatures required: each accepted record applied once.
    const path = join(data.path, 'read-model.sqlite');
    const projector = createProjector({ nc, readModelPath: path, signatures: 'required' });
    try {
      await projector.start();
      await projector.catchUp();
      expect(projector.stats()).toMatchObject({ eventsApplied: 40, duplicates: 1, deadLetters: 0 });
    } finally {
      await projector.stop();
      await nc.close();
    }
    const db = openSqlite(path, true);
    const applied = db.prepare('SELECT event_id FROM timeline').pluck().all() as string[];
    const dead = db.prepare('SELECT count(*) FROM dead_letters').pluck().get() as number;
    db.close();
    expect(dead).toBe(0);
    expect(applied).toHaveLength(40);
    expect(new Set(applied)).toEqual(new Set(accepted));

    // A resubmission of a compacted record still gets its first event id back, and stores nothing.
    const again = await postInspections(url, token, 100, 1);
    expect(again).toEqual(lost.slice(0, 1));
    expect(current()?.outbox.stats().total).toBe(40);
  },
);
