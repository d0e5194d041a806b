/**
 * The projector writing a PostgreSQL read model (READ_MODEL_URL): the built projector process
 * is killed with SIGKILL again and again while it catches up (sometimes losing its working copy
 * too, as a projector moved to a new host would), and PostgreSQL must end equal, by the digest
 * `hub verify` compares, to a fresh SQLite projection of the same stream: every event exactly
 * once, dead letters included. Then as-of reads answer the same on both, and a rebuild
 * (`rebuildLive`, what `hub rebuild` runs) replaces PostgreSQL's rows whole — a tampered row too.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, encodeEvent, ensureStreams } from '@hub/platform';
import { openPostgresReadModel, openReadModel, readModelDir, type ReadModelDatabase } from '@hub/read-model';
import {
  catchUpInto,
  diffDigests,
  digestPostgresReadModel,
  digestReadModelFile,
  publishEvents,
  publishRaw,
  rebuildLive,
  sampleBusiness,
  sampleEvents,
  subjectOf,
} from '@hub/projector';
import { getHistory } from '@hub/query-api';
import {
  PG_TESTS_OFF,
  startTestNats,
  startTestPostgres,
  tempDir,
  waitFor,
  type TestNats,
  type TestPostgres,
} from '@hub/testing';
import { pgPosition, spawnPgProjector, type PgProjectorProcess } from './pg-process.js';

const EVENTS = Number(process.env.PG_CRASH_EVENTS ?? 4000);
const KILLS = Number(process.env.PG_CRASH_KILLS ?? 4);

/** The same subject under another agency than the event's: dead-lettered as agency_mismatch. */
const otherAgency = (subject: string): string => {
  const parts = subject.split('.');
  parts[2] = parts[2] === 'CGJ' ? 'GSJ' : 'CGJ';
  return parts.join('.');
};

describe.skipIf(PG_TESTS_OFF)('the projector on PostgreSQL', () => {
  const dir = tempDir('hub-pg-projector-');
  const dataDir = join(dir.path, 'projector');
  let nats: TestNats;
  let postgres: TestPostgres;
  let nc: NatsConnection;
  let url: string;
  let proc: PgProjectorProcess | undefined;
  let pgdb: Kysely<ReadModelDatabase>;
  let clean: string;

  const streamLast = async () =>
    (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info('ENF_EVENTS')).state.last_seq;

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([startTestNats(), startTestPostgres()]);
    nc = await connectNats({ servers: nats.url, name: 'pg-projector-test' });
    await ensureStreams(nc);
    url = await postgres.createDatabase('read_model');
  });
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    await proc?.exited;
    await pgdb?.destroy();
    await nc?.close();
    await postgres?.stop();
    await nats?.stop();
    dir.remove();
  });

  it(`applies every event exactly once through up to ${KILLS} SIGKILLs mid catch-up`, async () => {
    const events = sampleEvents(EVENTS, { businesses: 400 });
    // The stream: events, repeats under new message ids (applied once), and messages that
    // must be dead-lettered (undecodable bytes, an agency that is not the subject's).
    const repeat = events[7]!;
    await publishEvents(nc, events.slice(0, EVENTS / 2));
    await publishRaw(nc, [
      { subject: subjectOf(repeat), data: encodeEvent(repeat), msgID: 'again-1' },
      { subject: otherAgency(subjectOf(repeat)), data: encodeEvent(repeat), msgID: 'mismatch' },
      { subject: subjectOf(events[9]!), data: new Uint8Array([1, 2, 3, 4]), msgID: 'garbage' },
    ]);
    let published = false;
    const rest = publishEvents(nc, events.slice(EVENTS / 2)).then((seq) => {
      published = true;
      return seq;
    });

    let kills = 0;
    let behindRestarts = 0;
    while (kills < KILLS) {
      proc = await spawnPgProjector({
        natsUrl: nats.url,
        pgUrl: url,
        dataDir,
        batchSize: [200, 500, 1000][kills % 3],
      });
      await proc.ready;
      // Killed once PostgreSQL moved (mid catch-up), at a random moment after.
      // (or, on a quick machine, everything was already there: the last kill lands on a quiet one)
      const before = await pgPosition(url);
      const outcome = await waitFor(
        async () => {
          const at = await pgPosition(url);
          if (at > before) return 'moved';
          return published && at >= (await streamLast()) ? 'done' : undefined;
        },
        { timeoutMs: 60_000, what: 'PostgreSQL to move' },
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${proc?.log() ?? ''}`);
      });
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      proc.child.kill('SIGKILL');
      await proc.exited;
      kills += 1;
      if (kills % 3 === 2) {
        // A new host: the working copy is gone, PostgreSQL is ahead; it follows up to it first.
        rmSync(readModelDir(dataDir), { recursive: true, force: true });
        behindRestarts += 1;
      }
      if (outcome === 'done') break;
    }
    await rest;
    proc = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir });
    const last = await streamLast();
    await waitFor(async () => ((await pgPosition(url)) >= last ? true : undefined), {
      timeoutMs: 180_000,
      what: 'PostgreSQL at the end of the stream',
    });

    clean = join(dir.path, 'clean.sqlite');
    await catchUpInto({ nc, path: clean });
    const a = await digestPostgresReadModel(url);
    const b = digestReadModelFile(clean);
    console.log(
      `pg crash test: ${kills} kills (${behindRestarts} with the working copy lost), stream ${last}`,
    );
    expect(a.rows.timeline).toBe(EVENTS);
    expect(a.rows.dead_letters).toBe(2);
    expect(diffDigests(a, b)).toEqual([]);
    expect(a.all).toBe(b.all);
  }, 400_000);

  it('answers as-of reads as the SQLite projection does', async () => {
    pgdb = await openPostgresReadModel({ url, migrate: false });
    const lite = openReadModel({ path: clean });
    try {
      for (let n = 0; n < 4; n++) {
        const uscc = sampleBusiness(n);
        const page = await getHistory(lite, uscc, { limit: 20 });
        const asOf = page.events[3]?.recordedAt ?? page.events[0]!.recordedAt;
        const [x, y] = await Promise.all([lite, pgdb].map((db) => getHistory(db, uscc, { limit: 50, asOf })));
        expect(y).toEqual(x);
        expect(x!.events.length).toBeGreaterThan(0);
      }
    } finally {
      await lite.destroy();
    }
  });

  // When the rebuild ended exactly where PostgreSQL stood, the writer used to wait for another
  // event before noticing the new projection (tests/pg-writer-switch.test.ts); on failure the
  // projector's log is printed.
  it('replaces PostgreSQL whole after a rebuild, a tampered row included', { timeout: 200_000 }, async () => {
    await sql`UPDATE timeline SET payload_json = '{}' WHERE seq = 5`.execute(pgdb);
    expect(diffDigests(await digestPostgresReadModel(url), digestReadModelFile(clean))).toEqual(['timeline']);
    // More events while the rebuild runs: the live projector goes on, on the rebuilt copy.
    await publishEvents(nc, sampleEvents(300, { businesses: 50, from: EVENTS }));
    await rebuildLive({ nc, dataDir, signatures: 'allow-unsigned' });
    const last = await streamLast();
    await waitFor(
      async () => {
        const origin = await sql<{ model_id: string }>`SELECT model_id FROM hub_pg_origin`.execute(pgdb);
        return origin.rows[0]?.model_id !== 'from-empty' && (await pgPosition(url)) >= last
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, what: 'the rebuilt copy in PostgreSQL' },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${proc?.log() ?? ''}`);
    });
    const again = join(dir.path, 'clean2.sqlite');
    await catchUpInto({ nc, path: again });
    const a = await digestPostgresReadModel(url);
    expect(diffDigests(a, digestReadModelFile(again))).toEqual([]);
    expect(a.rows.timeline).toBe(EVENTS + 300);
  });
});
