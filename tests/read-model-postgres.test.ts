/**
 * The read model on PostgreSQL against the same model on SQLite: the projector builds a SQLite
 * read model from a stream, `copyReadModel` writes it into a throwaway PostgreSQL cluster
 * (migrated twice at once: idempotent under the advisory lock), and then every table holds the
 * same rows and the query API's store functions answer the same on both dialects — history,
 * as-of, search, profile, alerts, figures, lists.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStreams } from '@hub/platform';
import {
  copyReadModel,
  openPostgresReadModel,
  openReadModel,
  READ_MODEL_TABLES,
  type ReadModelDatabase,
  type ReadModelTable,
} from '@hub/read-model';
import { catchUpInto, publishEvents, sampleBusiness, sampleEvents } from '@hub/projector';
import {
  agencyActivity,
  agencyFigures,
  getHistory,
  getProfile,
  listAlerts,
  listComplaints,
  listPublishedDecisions,
  listTransfers,
  searchBusinesses,
} from '@hub/query-api';
import {
  PG_TESTS_OFF,
  startTestNats,
  startTestPostgres,
  tempDir,
  type TestNats,
  type TestPostgres,
} from '@hub/testing';

describe.skipIf(PG_TESTS_OFF)('the read model on PostgreSQL and SQLite', () => {
  const dir = tempDir('hub-rm-pg-');
  let nats: TestNats;
  let postgres: TestPostgres;
  let lite: Kysely<ReadModelDatabase>;
  let pgdb: Kysely<ReadModelDatabase>;
  const both = () =>
    [
      ['sqlite', lite],
      ['postgres', pgdb],
    ] as const;

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([startTestNats(), startTestPostgres()]);
    const nc = await connectNats({ servers: nats.url, name: 'rm-pg-test' });
    try {
      await ensureStreams(nc);
      await publishEvents(nc, sampleEvents(600, { businesses: 25 }));
      await catchUpInto({ nc, path: join(dir.path, 'rm.sqlite') });
    } finally {
      await nc.close();
    }
    lite = openReadModel({ path: join(dir.path, 'rm.sqlite') });
    const url = await postgres.createDatabase('read_model');
    // Two processes opening a fresh database at once: the migration runs once, under its lock.
    const [a, b] = await Promise.all([openPostgresReadModel({ url }), openPostgresReadModel({ url })]);
    await b.destroy();
    pgdb = a;
    await copyReadModel(lite, pgdb);
  });
  afterAll(async () => {
    await lite?.destroy();
    await pgdb?.destroy();
    await postgres?.stop();
    await nats?.stop();
    dir.remove();
  });

  it('holds the same rows in every table', async () => {
    for (const table of Object.keys(READ_MODEL_TABLES) as ReadModelTable[]) {
      const pk = READ_MODEL_TABLES[table] as readonly string[];
      const rows = async (db: Kysely<ReadModelDatabase>) => {
        const k = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
        let q = k.selectFrom(table).selectAll();
        for (const c of pk) q = q.orderBy(c);
        return q.execute();
      };
      const [a, b] = await Promise.all([rows(lite), rows(pgdb)]);
      expect(b, table).toEqual(a);
    }
    const applied = await pgdb
      .selectFrom('timeline')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(applied?.n)).toBe(600);
  });

  it('answers history, as-of and paging the same', async () => {
    for (let n = 0; n < 5; n++) {
      const uscc = sampleBusiness(n);
      const [a, b] = await Promise.all(both().map(([, db]) => getHistory(db, uscc, { limit: 7 })));
      expect(b).toEqual(a);
      expect(a!.events.length).toBeGreaterThan(0);
      const next = await Promise.all(
        both().map(([, db]) => getHistory(db, uscc, { limit: 7, after: a!.next })),
      );
      expect(next[1]).toEqual(next[0]);
      const asOf = a!.events[2]?.recordedAt ?? a!.events[0]!.recordedAt;
      const then = await Promise.all(
        both().map(([, db]) => getHistory(db, uscc, { limit: 50, asOf, agencies: ['GSJ', 'ZJJ', 'AJJ'] })),
      );
      expect(then[1]).toEqual(then[0]);
    }
  });

  it('answers search, profiles, alerts, figures and lists the same', async () => {
    const at = '2026-12-31T00:00:00Z';
    const period = {
      fromDay: '2026-01-01',
      toDay: '2026-12-31',
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-12-31T15:59:59.999Z',
    };
    const calls: ((db: Kysely<ReadModelDatabase>) => Promise<unknown>)[] = [
      (db) => searchBusinesses(db, { q: '9135', limit: 10 }),
      (db) => searchBusinesses(db, { q: '有限', limit: 10 }),
      (db) => getProfile(db, sampleBusiness(3)),
      (db) => listAlerts(db, { limit: 20 }),
      (db) => listAlerts(db, { limit: 20, statuses: ['open'], agencies: ['GSJ'] }),
      (db) => agencyFigures(db, 'GSJ', period, at),
      (db) => agencyActivity(db, 'GSJ', period.fromDay, period.toDay),
      (db) => listPublishedDecisions(db, { limit: 20 }),
      (db) => listTransfers(db, { limit: 20, at }),
      (db) => listComplaints(db, { limit: 20 }),
    ];
    for (const [i, call] of calls.entries()) {
      const [a, b] = await Promise.all([call(lite), call(pgdb)]);
      expect(b, `call ${i}`).toEqual(a);
    }
  });
});
