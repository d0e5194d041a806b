/**
 * Dead-letter notices on ENF_DLQ are sent once per dead letter, however often the read model
 * is rebuilt: a rebuilt file holds the same dead letters, and the live projector that switches
 * to it must not announce them again, even long after JetStream's duplicate window.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DLQ_STREAM, eventSubject } from '@hub/domain';
import { currentReadModelPath } from '@hub/read-model';
import { connectNats, ensureStreams, silentLogger } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import {
  createLiveProjector,
  publishEvents,
  publishRaw,
  rebuildLive,
  sampleBusiness,
  sampleEvents,
} from '@hub/projector';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-dlq-notices-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'dlq-notices-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

const dlqMessages = async () =>
  (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(DLQ_STREAM)).state.messages;

it('a rebuild does not send the dead-letter notices again', async () => {
  await publishEvents(nc, sampleEvents(20, { businesses: 5 }));
  const poison = [1, 2, 3].map((i) => ({
    subject: eventSubject('GSJ', 'inspectionCancelled', sampleBusiness(i)),
    data: new TextEncoder().encode(`not protobuf ${i}`),
  }));
  await publishRaw(nc, poison);
  await publishEvents(nc, sampleEvents(10, { businesses: 5, from: 20 }));

  const live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger(), pollMs: 50 });
  await live.start();
  try {
    await live.current()!.catchUp();
    expect(await waitFor(async () => ((await dlqMessages()) === 3 ? 3 : undefined))).toBe(3);

    // As if the duplicate window had passed (it is minutes, or a day, not forever).
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const info = await jsm.streams.info(DLQ_STREAM);
    await jsm.streams.update(DLQ_STREAM, { ...info.config, duplicate_window: 500_000_000 });
    await new Promise((r) => setTimeout(r, 1000));

    const before = live.current()!.path;
    const rebuilt = await rebuildLive({ nc, dataDir: dir.path });
    expect(rebuilt.path).not.toBe(before);
    expect(currentReadModelPath(dir.path)).toBe(rebuilt.path);
    await waitFor(() => (live.current()?.path === rebuilt.path ? true : undefined), {
      what: 'the live projector on the rebuilt file',
    });
    await live.current()!.catchUp();
  } finally {
    await live.stop(); // waits for notices in flight
  }
  expect(await dlqMessages()).toBe(3);
});
