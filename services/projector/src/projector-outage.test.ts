import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector } from './projector.js';
import { publishEvents, sampleEvents } from './sample-stream.js';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-outage-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'projector-outage-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

describe('projector and a NATS restart (real nats-server, real SQLite)', () => {
  it('reports the stall while NATS is away and resumes by itself when it is back', async () => {
    const total = 5000;
    await publishEvents(nc, sampleEvents(total, { businesses: 400 }));
    const p = createProjector({
      nc,
      readModelPath: join(dir.path, 'rm.sqlite'),
      batchSize: 50,
      stallMs: 1000,
      // Only the reconnect may restart consumption here, not the quiet-stream watchdog.
      restartAfterMs: 60_000,
    });
    await p.start();
    await nats.stop(); // while it is consuming: the stream holds far more than it has applied
    await expect
      .poll(() => p.health(), { timeout: 10_000 })
      .toMatchObject({ ok: false, detail: expect.stringMatching(/stalled/) as unknown });
    const stalledAt = p.position();
    expect(stalledAt).toBeLessThan(total);

    nats = await nats.restart();
    await expect
      .poll(
        () =>
          publishEvents(nc, sampleEvents(100, { businesses: 400 }), undefined, 5000).then(
            () => true,
            () => false,
          ),
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    // The client alone would wait for two missed heartbeats (~30 s) before reading again.
    // (A JetStream request may still time out on a busy machine right after the restart: ask again.)
    await expect
      .poll(
        () =>
          p.catchUp().then(
            () => true,
            () => false,
          ),
        { timeout: 90_000, interval: 500 },
      )
      .toBe(true);
    expect(p.position()).toBeGreaterThanOrEqual(total + 100);
    expect(p.stats().consumerRestarts).toBeGreaterThanOrEqual(1);
    expect(p.health()).toEqual({ ok: true });
    await p.stop();
  }, 240_000);
});
