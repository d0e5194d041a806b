/**
 * Rebuild without downtime: while `rebuildLive` builds a fresh file beside the live one and
 * events keep arriving, readers keep querying whatever CURRENT names; afterwards the live
 * projector follows CURRENT and the new file equals a clean build. Also: audit replay.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams, silentLogger } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import {
  catchUpInto,
  createLiveProjector,
  diffDigests,
  digestReadModelFile,
  publishEvents,
  rebuildLive,
  replayReadModel,
  sampleBusiness,
  sampleEvents,
} from '@hub/projector';
import { currentReadModelPath, openReadModel } from '@hub/read-model';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-rebuild-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'rebuild-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

it('rebuilds beside the live read model while it is being queried, then switches', async () => {
  await publishEvents(nc, sampleEvents(2000, { businesses: 100 }));
  const live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger(), pollMs: 50 });
  await live.start();
  await live.current()!.catchUp();
  const oldPath = live.current()!.path;

  // Readers: open whatever CURRENT names, query one business's history, close.
  let stop = false;
  let queries = 0;
  const errors: unknown[] = [];
  const uscc = sampleBusiness(7);
  const reader = (async () => {
    while (!stop) {
      try {
        const db = openReadModel({ path: currentReadModelPath(dir.path) });
        const rows = await db.selectFrom('timeline').select(['seq']).where('uscc', '=', uscc).execute();
        expect(rows.length).toBeGreaterThan(0);
        await db.destroy();
        queries += 1;
      } catch (err) {
        errors.push(err);
      }
      await new Promise((r) => setImmediate(r));
    }
  })();

  const more = publishEvents(nc, sampleEvents(1000, { businesses: 100, from: 2000 }));
  const rebuilt = await rebuildLive({ nc, dataDir: dir.path });
  await more;
  expect(rebuilt.previous).toBe(oldPath);
  expect(readFileSync(join(dir.path, 'read-model', 'CURRENT'), 'utf8').trim()).toBe(basename(rebuilt.path));

  // The live projector follows CURRENT and catches up on the new file.
  await waitFor(() => (live.current()?.path === rebuilt.path ? true : undefined), { what: 'switch' });
  await live.current()!.catchUp();
  stop = true;
  await reader;
  await live.stop();

  expect(errors).toEqual([]);
  expect(queries).toBeGreaterThan(0);
  const clean = join(dir.path, 'clean.sqlite');
  await catchUpInto({ nc, path: clean });
  expect(diffDigests(digestReadModelFile(rebuilt.path), digestReadModelFile(clean))).toEqual([]);
  expect(digestReadModelFile(rebuilt.path).rows.timeline).toBe(3000);
}, 180_000);

it('replays the read model as of a stream sequence', async () => {
  const out = join(dir.path, 'replay-1000.sqlite');
  const progress: number[] = [];
  const r = await replayReadModel({
    nc,
    path: out,
    until: { seq: 1000 },
    onProgress: (seq) => progress.push(seq),
  });
  expect(r.lastSeq).toBe(1000);
  expect(progress.at(-1)).toBe(1000);
  const db = openReadModel({ path: out });
  const { n } = await db
    .selectFrom('timeline')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  expect(n).toBe(1000);
});

it('replays the read model as of a time (JetStream stream timestamps)', async () => {
  const cut = new Date();
  await new Promise((r) => setTimeout(r, 20));
  await publishEvents(nc, sampleEvents(10, { businesses: 5, from: 9000 }));
  const out = join(dir.path, 'replay-time.sqlite');
  const r = await replayReadModel({ nc, path: out, until: { time: cut.toISOString() } });
  expect(r.lastSeq).toBe(3000);
  const everything = join(dir.path, 'replay-all.sqlite');
  expect((await replayReadModel({ nc, path: everything, until: {} })).lastSeq).toBe(3010);
});
