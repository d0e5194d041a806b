/**
 * Exactly once under SIGKILL: the built projector (`services/projector/dist/main.js`) is
 * killed at random moments while events stream in; the final read model must equal a clean
 * rebuild, table by table. Sizes are env-tunable; the full run:
 *   CRASH_EVENTS=100000 CRASH_KILLS=20 npx vitest run tests/projector-crash.test.ts
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, encodeEvent, ensureStreams } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import {
  catchUpInto,
  diffDigests,
  digestReadModelFile,
  publishEvents,
  publishRaw,
  sampleEvents,
  subjectOf,
} from '@hub/projector';
import { currentReadModelPath, openSqlite } from '@hub/read-model';
import { spawnProjectorProcess } from './projector-process.js';

const EVENTS = Number(process.env.CRASH_EVENTS ?? 20_000);
const KILLS = Number(process.env.CRASH_KILLS ?? 20);

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-crash-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'crash-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

const spawnProjector = (batchSize: number) =>
  spawnProjectorProcess({
    NATS_URL: nats.url,
    HUB_DATA_DIR: dir.path,
    PROJECTOR_BATCH_SIZE: String(batchSize),
  });

const appliedSeq = (path: string): number => {
  if (!existsSync(path)) return 0;
  const db = openSqlite(path, true);
  try {
    const row = db.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
      { last_seq: number } | undefined;
    return row?.last_seq ?? 0;
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
};

it(`survives ${KILLS} SIGKILLs while ${EVENTS} events stream in, and equals a clean rebuild`, async () => {
  const events = sampleEvents(EVENTS, { businesses: 2000 });
  // Publisher: chunks, with some events sent again beyond the dedup window's reach
  // (same event id, new Nats-Msg-Id) which the projector must apply once.
  let published = false;
  const chunk = Math.max(500, Math.floor(EVENTS / (KILLS * 3)));
  const total = EVENTS + Math.ceil(EVENTS / chunk); // the events and one repeat per chunk
  const publisher = (async () => {
    // Spread publishing over about the time the kills take, so most kills hit a projector
    // that is applying events, not one that is idle.
    const pauseMs = Math.min(300, (KILLS * 900) / Math.ceil(EVENTS / chunk));
    for (let i = 0; i < events.length; i += chunk) {
      await publishEvents(nc, events.slice(i, i + chunk));
      const again = events[Math.floor(i / 2)]!;
      await publishRaw(nc, [{ subject: subjectOf(again), data: encodeEvent(again), msgID: `again-${i}` }]);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    published = true;
  })();

  let kills = 0;
  let busyKills = 0; // kills of a projector that had applied something since the last kill
  let lastSeen = 0;
  let proc = spawnProjector(500);
  while (kills < KILLS || !published) {
    // Every fifth kill hits the start-up; the others a projector that is consuming.
    if (kills % 5 !== 4) {
      await proc.ready;
      // Let it commit at least once more (when there is more to apply), then kill it at a
      // random point of what follows: mid-batch, mid-commit or between batches.
      const before = appliedSeq(currentReadModelPath(dir.path));
      for (
        let i = 0;
        i < 150 && appliedSeq(currentReadModelPath(dir.path)) === before && before < total;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    if (kills >= KILLS) break;
    const seq = appliedSeq(currentReadModelPath(dir.path));
    if (seq > lastSeen) busyKills += 1;
    lastSeen = seq;
    proc.child.kill('SIGKILL');
    await proc.exited;
    kills += 1;
    // Vary the transaction size so crashes fall on different batch boundaries.
    proc = spawnProjector([200, 500, 1000, 5000][kills % 4]!);
  }
  await publisher;

  const jsm = await jetstreamManager(nc, { timeout: 30_000 });
  const last = (await jsm.streams.info('ENF_EVENTS')).state.last_seq;
  const live = currentReadModelPath(dir.path);
  await waitFor(() => (appliedSeq(live) >= last ? true : undefined), {
    timeoutMs: 120_000,
    what: 'final catch-up',
  });
  proc.child.kill('SIGTERM');
  await proc.exited;

  const clean = join(dir.path, 'clean.sqlite');
  await catchUpInto({ nc, path: clean });
  const a = digestReadModelFile(live);
  const b = digestReadModelFile(clean);
  console.log(`crash test: ${kills} kills, ${busyKills} while applying; stream last seq ${last}`);
  expect(kills).toBeGreaterThanOrEqual(KILLS);
  expect(a.rows.timeline).toBe(EVENTS); // each event exactly once
  expect(diffDigests(a, b)).toEqual([]);
  expect(a.all).toBe(b.all);
}, 300_000);
