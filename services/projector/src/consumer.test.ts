import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import { startTestNats, type TestNats } from '@hub/testing';
import { createStreamConsumer } from './consumer.js';
import type { StreamMessage } from './projection/decode.js';
import { publishEvents, sampleEvents } from './sample-stream.js';

let nats: TestNats;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'consumer-test' });
  await ensureStreams(nc);
  await publishEvents(nc, sampleEvents(3000, { businesses: 40 }));
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
});

/** A consumer that records its slices; `reached(seq)` resolves once `seq` was delivered. */
function recording(from: number, until?: { seq: number }) {
  const slices: { msgs: StreamMessage[]; more: boolean }[] = [];
  const seqs: number[] = [];
  const waiting: { seq: number; resolve: () => void }[] = [];
  let ended = false;
  const consumer = createStreamConsumer({
    nc,
    from,
    until,
    pullSize: 1000,
    onSlice: (msgs, more) => {
      slices.push({ msgs, more });
      for (const m of msgs) seqs.push(m.seq);
      const last = seqs[seqs.length - 1] ?? 0;
      for (const w of waiting.filter((x) => x.seq <= last)) w.resolve();
    },
    onEnd: () => (ended = true),
  });
  const reached = (seq: number) =>
    new Promise<void>((resolve) => {
      if ((seqs[seqs.length - 1] ?? 0) >= seq) resolve();
      else waiting.push({ seq, resolve });
    });
  return { consumer, slices, seqs, reached, ended: () => ended };
}

describe('stream consumer (real nats-server)', () => {
  it('delivers every message once, in order, from the given sequence, in slices that say whether more waits', async () => {
    const r = recording(101);
    await r.consumer.start();
    await r.reached(3000);
    await r.consumer.stop();
    expect(r.seqs).toEqual(Array.from({ length: 2900 }, (_, i) => 101 + i));
    // The last slice knows the stream holds nothing more; earlier ones while catching up mostly do.
    expect(r.slices[r.slices.length - 1]!.more).toBe(false);
    expect(r.slices.length).toBeLessThan(2900);
  });

  it('says more only while the stream holds many more: the few of live traffic behind a slice do not hold it back', async () => {
    const r = recording(1);
    await r.consumer.start();
    await r.reached(3000);
    await r.consumer.stop();
    // Behind message n the stream holds 3000 − n more; `more` from 256 on (the default).
    for (const slice of r.slices) {
      const last = slice.msgs[slice.msgs.length - 1]!.seq;
      expect({ last, more: slice.more }).toEqual({ last, more: 3000 - last >= 256 });
    }
  });

  it('stops at an until bound', async () => {
    const r = recording(1, { seq: 500 });
    await r.consumer.start();
    await expect.poll(() => r.ended()).toBe(true);
    await r.consumer.stop();
    expect(r.seqs).toEqual(Array.from({ length: 500 }, (_, i) => 1 + i));
  });

  it('resumes after NATS is restarted while it is consuming', async () => {
    const r = recording(1);
    await r.consumer.start();
    await r.reached(3000);
    await nats.stop();
    nats = await nats.restart();
    // The test's connection reconnects by itself; publish more once JetStream answers again.
    await expect
      .poll(
        () =>
          publishEvents(nc, sampleEvents(200, { businesses: 40 }), undefined, 2000).then(
            () => true,
            () => false,
          ),
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    // Without a restart on reconnect the client waits for two missed heartbeats (~30 s).
    await r.reached(3200);
    expect(r.consumer.restarts()).toBeGreaterThanOrEqual(1);
    await r.consumer.stop();
    expect(r.seqs.slice(0, 3200)).toEqual(Array.from({ length: 3200 }, (_, i) => 1 + i));
  }, 25_000);
});
