import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams, type Logger } from '@hub/platform';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector } from '../projector.js';
import { catchUpInto } from '../rebuild.js';
import { digestReadModelFile, diffDigests } from '../digest.js';
import { publishEvents, sampleEvents } from '../sample-stream.js';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('snapshot-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'snapshot-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

/** A logger that keeps what the rules' reload says. */
function recording(): { logger: Logger; reloads: { snapshotSeq: number; events: number }[] } {
  const reloads: { snapshotSeq: number; events: number }[] = [];
  const logger = {
    info: (o: unknown, m?: string) => {
      if (m?.startsWith('coordination state rebuilt'))
        reloads.push(o as { snapshotSeq: number; events: number });
    },
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    child: () => logger,
  } as unknown as Logger;
  return { logger, reloads };
}

describe('coordination state snapshot (real nats-server, real SQLite)', () => {
  it('a clean stop stores the rules’ state; the next start folds only what came after, with the same alerts as a clean rebuild', async () => {
    const events = sampleEvents(3000, { businesses: 60 });
    await publishEvents(nc, events.slice(0, 2000));
    const path = join(dir.path, 'live.sqlite');
    const first = recording();
    const a = createProjector({ nc, readModelPath: path, logger: first.logger, mode: 'rebuild' });
    await a.start();
    await a.catchUp();
    await a.stop();
    expect(first.reloads).toEqual([expect.objectContaining({ snapshotSeq: 0, events: 0 })]);

    await publishEvents(nc, events.slice(2000));
    const second = recording();
    const b = createProjector({ nc, readModelPath: path, logger: second.logger, mode: 'rebuild' });
    await b.start();
    // Nothing to fold at start: the state came from the snapshot taken at 2000.
    // The legal rules' state too: no fold over the timeline before the snapshot.
    expect(second.reloads).toEqual([
      expect.objectContaining({ snapshotSeq: 2000, events: 0, lawRestored: true }),
    ]);
    await b.catchUp();
    await b.stop();

    const clean = join(dir.path, 'clean.sqlite');
    await catchUpInto({ nc, path: clean });
    expect(diffDigests(digestReadModelFile(path), digestReadModelFile(clean))).toEqual([]);
    const alerts = digestReadModelFile(clean).tables.alerts;
    expect(alerts).toBeDefined();
  }, 120_000);
});
