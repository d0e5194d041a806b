/**
 * Two projector processes over one PostgreSQL read model (each with its own data folder): one
 * holds the writer lock and ships, the other follows the stream into its own working copy. The
 * active one is killed with SIGKILL while events stream in; the standby takes the lock and
 * PostgreSQL moves on from where it was, ending equal (by digest) to a fresh SQLite projection:
 * no event doubled, none missed. Two query API processes answer from the same database meanwhile.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStreams } from '@hub/platform';
import {
  catchUpInto,
  diffDigests,
  digestPostgresReadModel,
  digestReadModelFile,
  publishEvents,
  sampleEvents,
} from '@hub/projector';
import {
  freePort,
  PG_TESTS_OFF,
  startTestNats,
  startTestPostgres,
  tempDir,
  waitFor,
  type TestNats,
  type TestPostgres,
} from '@hub/testing';
import { pgPosition, spawnPgProjector, type PgProjectorProcess } from './pg-process.js';

const QUERY_API = join(import.meta.dirname, '..', 'services', 'query-api', 'dist', 'main.js');

describe.skipIf(PG_TESTS_OFF)('projector failover over one PostgreSQL read model', () => {
  const dir = tempDir('hub-pg-ha-');
  let nats: TestNats;
  let postgres: TestPostgres;
  let nc: NatsConnection;
  let url: string;
  const procs: PgProjectorProcess[] = [];
  const apis: ChildProcess[] = [];

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([startTestNats(), startTestPostgres()]);
    nc = await connectNats({ servers: nats.url, name: 'pg-ha-test' });
    await ensureStreams(nc);
    url = await postgres.createDatabase('read_model');
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    for (const a of apis) a.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await nc?.close();
    await postgres?.stop();
    await nats?.stop();
    dir.remove();
  });

  it('a standby takes over from a killed active projector with no event doubled or missed', async () => {
    const events = sampleEvents(4000, { businesses: 300 });
    await publishEvents(nc, events.slice(0, 1000));
    const a = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir: join(dir.path, 'a') });
    procs.push(a);
    await a.ready;
    await waitFor(async () => ((await a.role()) === 'active' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the first projector to take the lock',
    });
    const b = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir: join(dir.path, 'b') });
    procs.push(b);
    await b.ready;
    await waitFor(async () => ((await b.role()) === 'standby' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the second projector as standby',
    });

    // Events keep coming; the active one is killed while it ships.
    const publishing = (async () => {
      for (let i = 1000; i < events.length; i += 250) {
        await publishEvents(nc, events.slice(i, i + 250));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const before = await pgPosition(url);
    await waitFor(async () => ((await pgPosition(url)) > before ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the active projector to ship',
    });
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    await waitFor(async () => ((await b.role()) === 'active' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the standby to take over',
    });
    const takeoverMs = Date.now() - killedAt;
    await publishing;

    const last = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info('ENF_EVENTS')).state
      .last_seq;
    await waitFor(async () => ((await pgPosition(url)) >= last ? true : undefined), {
      timeoutMs: 240_000,
      what: 'PostgreSQL at the end of the stream',
    }).catch((err: unknown) => {
      const lines = b
        .log()
        .split('\n')
        .filter((l) => !l.includes('alert'));
      throw new Error(`${String(err)}\n${lines.slice(-30).join('\n')}`);
    });
    // The killed one comes back: a standby now.
    const a2 = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir: join(dir.path, 'a') });
    procs.push(a2);
    await a2.ready;
    await waitFor(async () => ((await a2.role()) === 'standby' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the restarted projector as standby',
    });

    const clean = join(dir.path, 'clean.sqlite');
    await catchUpInto({ nc, path: clean });
    const pgDigest = await digestPostgresReadModel(url);
    const cleanDigest = digestReadModelFile(clean);
    console.log(`pg failover: standby active ${takeoverMs} ms after SIGKILL; stream ${last}`);
    expect(pgDigest.rows.timeline).toBe(events.length);
    expect(diffDigests(pgDigest, cleanDigest)).toEqual([]);
    expect(pgDigest.all).toBe(cleanDigest.all);
  }, 400_000);

  it('serves the same read model from two query API processes', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      apis.push(
        spawn(process.execPath, [QUERY_API], {
          env: {
            ...process.env,
            HUB_DATA_DIR: join(dir.path, 'api'),
            READ_MODEL_URL: url,
            PORT: String(port),
            LOG_LEVEL: 'warn',
          },
          stdio: 'ignore',
        }),
      );
    }
    const position = await pgPosition(url);
    for (const port of ports) {
      const health = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          return res?.ok
            ? ((await res.json()) as { status: string; checks: { readModel: { detail: string } } })
            : undefined;
        },
        { timeoutMs: 60_000, what: `query API on ${port}` },
      );
      expect(health.status).toBe('ok');
      // Both read PostgreSQL's position (the same database), not a file of their own.
      expect(health.checks.readModel.detail).toContain(`${position}`);
    }
  }, 120_000);
});
