/**
 * The whole hub on PostgreSQL (READ_MODEL_URL), with real processes: two projectors (one active,
 * one standby), two query API processes and the `hub` CLI over one database and one nats-server.
 *
 * - tokens issued, listed and revoked with `hub token` are honoured by both query APIs; reads are
 *   logged in PostgreSQL's access log, shared by both, before they are answered;
 * - `hub dlq list|retry`, `hub verify` (digest and chain), `hub evidence export` and `hub
 *   reconcile` read PostgreSQL; a retry is applied once, by the active projector, into the shared
 *   state, and the standby continues from it;
 * - the standby publishes no alert and no dead-letter notice until it takes over.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStreams } from '@hub/platform';
import { currentReadModelPath } from '@hub/read-model';
import {
  diffDigests,
  digestPostgresReadModel,
  digestReadModelFile,
  publishEvents,
  sampleEvent,
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

const ROOT = join(import.meta.dirname, '..');
const QUERY_API = join(ROOT, 'services', 'query-api', 'dist', 'main.js');
const HUB = join(ROOT, 'services', 'hub', 'dist', 'main.js');

describe.skipIf(PG_TESTS_OFF)('the hub on PostgreSQL', () => {
  const dir = tempDir('hub-pg-hub-');
  let nats: TestNats;
  let postgres: TestPostgres;
  let nc: NatsConnection;
  let url: string;
  let client: pg.Client;
  const procs: PgProjectorProcess[] = [];
  const apis: { child: ChildProcess; port: number; exited: Promise<void> }[] = [];
  let a: PgProjectorProcess;
  let b: PgProjectorProcess;

  const env = () => ({
    ...process.env,
    NATS_URL: nats.url,
    READ_MODEL_URL: url,
    // The CLI's own folder: nothing of the hub's state is in it.
    HUB_DATA_DIR: join(dir.path, 'ops'),
    PROJECTOR_ALLOW_UNSIGNED: 'true',
    LOG_LEVEL: 'warn',
  });
  const hub = (...args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [HUB, ...args], { env: env() });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.once('exit', (code) => resolve({ code, out }));
    });
  const sqlOne = async <T>(text: string, params: unknown[] = []): Promise<T | undefined> =>
    (await client.query(text, params)).rows[0] as T | undefined;
  const lastSeq = async () =>
    (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info('ENF_EVENTS')).state.last_seq;
  const shipped = async (what: string) => {
    const last = await lastSeq();
    await waitFor(async () => ((await pgPosition(url)) >= last ? true : undefined), {
      timeoutMs: 120_000,
      what,
    });
  };
  const localRows = (p: string, file: string, table: string): number => {
    const path = join(dir.path, p, 'read-model', file);
    if (!existsSync(path)) return 0;
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      db.close();
    }
  };

  // A correction stored before its target: dead-lettered, and applied by a retry afterwards.
  const target = sampleEvent(9001, { businesses: 40 });
  const correction = {
    ...sampleEvent(9002, { businesses: 40 }),
    agency: target.agency,
    business: target.business,
    type: 'eventCorrected' as const,
    payload: {
      correctedEventId: target.eventId,
      reason: '先到的更正',
      replacement: { [target.type]: target.payload },
    },
  };
  let deadSeq = 0;

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([startTestNats(), startTestPostgres()]);
    nc = await connectNats({ servers: nats.url, name: 'pg-hub-test' });
    await ensureStreams(nc);
    url = await postgres.createDatabase('hub');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await publishEvents(nc, sampleEvents(400, { businesses: 40 }));
    deadSeq = await publishEvents(nc, [correction]);
    await publishEvents(nc, [target]);
    a = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir: join(dir.path, 'a') });
    procs.push(a);
    await a.ready;
    await waitFor(async () => ((await a.role()) === 'active' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'projector A active',
    });
    b = await spawnPgProjector({ natsUrl: nats.url, pgUrl: url, dataDir: join(dir.path, 'b') });
    procs.push(b);
    await b.ready;
    await waitFor(async () => ((await b.role()) === 'standby' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'projector B standby',
    });
    await shipped('PostgreSQL at the end of the stream');
  }, 240_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    for (const api of apis) api.child.kill('SIGKILL');
    await Promise.all([...procs.map((p) => p.exited), ...apis.map((x) => x.exited)]);
    await client?.end();
    await nc?.close();
    await postgres?.stop();
    await nats?.stop();
    dir.remove();
  });

  const startApi = async (name: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [QUERY_API], {
      env: { ...env(), HUB_DATA_DIR: join(dir.path, name), PORT: String(port) },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    apis.push({ child, port, exited });
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined,
      { timeoutMs: 60_000, what: `query API ${name}` },
    );
    return { child, port, exited };
  };
  const get = (port: number, path: string, token: string) =>
    fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('hub token and the access log live in PostgreSQL, shared by two query API processes', async () => {
    const issued = await hub(
      'token',
      'issue',
      '--name',
      '执委会办公室',
      '--scope',
      'committee',
      '--expires',
      '30d',
    );
    expect(issued.code).toBe(0);
    const token = issued.out.trim().split('\n').at(-1)!;
    const id = /已签发 \(issued\) (tok_[0-9a-f]+)/.exec(issued.out)![1]!;
    const sup = (await hub('token', 'issue', '--name', '监督办公室', '--scope', 'supervision')).out
      .trim()
      .split('\n')
      .at(-1)!;
    // Nothing in a file: the CLI's data folder has no tokens.json.
    expect(existsSync(join(dir.path, 'ops', 'tokens.json'))).toBe(false);
    expect(await sqlOne<{ n: string }>('SELECT count(*) AS n FROM hub_tokens')).toEqual({ n: '2' });

    const [one, two] = [await startApi('api-1'), await startApi('api-2')];
    const uscc = target.business.uscc;
    const r1 = await get(one.port, `/v1/businesses/${uscc}/history`, token);
    expect(r1.status).toBe(200);
    // Answered only once its row was committed: it is in PostgreSQL as soon as the answer is.
    const row = await sqlOne<{ token_id: string; resource: string }>(
      'SELECT token_id, resource FROM access_log WHERE uscc = $1 ORDER BY id DESC LIMIT 1',
      [uscc],
    );
    expect(row).toEqual({ token_id: id, resource: 'history' });
    expect((await get(two.port, `/v1/businesses/${uscc}`, token)).status).toBe(200);
    // Either process lists what both logged.
    const log = (await (await get(one.port, `/v1/access-log?uscc=${uscc}`, sup)).json()) as {
      items: { resource: string }[];
    };
    expect(log.items.map((i) => i.resource).sort()).toEqual(['history', 'profile']);

    // No access-log row, no answer.
    await client.query('ALTER TABLE access_log RENAME TO access_log_away');
    try {
      expect((await get(two.port, `/v1/businesses/${uscc}/history`, token)).status).toBeGreaterThanOrEqual(
        500,
      );
    } finally {
      await client.query('ALTER TABLE access_log_away RENAME TO access_log');
    }
    // The log is append-only in PostgreSQL too.
    await expect(client.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);

    // Revoked once, refused by both processes.
    expect((await hub('token', 'revoke', id)).code).toBe(0);
    for (const api of [one, two]) {
      await waitFor(
        async () =>
          (await get(api.port, `/v1/businesses/${uscc}`, token)).status === 401 ? true : undefined,
        { timeoutMs: 30_000, what: 'the revoked token refused' },
      );
    }
    // Last use is written at stop; `hub token list` shows state and use.
    one.child.kill('SIGTERM');
    await one.exited;
    const list = JSON.parse((await hub('token', 'list', '--json')).out) as {
      id: string;
      revokedAt?: string;
      expiresAt?: string;
      lastUsedAt?: string;
    }[];
    const mine = list.find((t) => t.id === id)!;
    expect(mine.revokedAt).toBeDefined();
    expect(mine.expiresAt).toBeDefined();
    expect(mine.lastUsedAt).toBeDefined();
  }, 180_000);

  it('hub dlq, verify, verify --chain, evidence export and reconcile read PostgreSQL', async () => {
    const list = await hub('dlq', 'list', '--json');
    expect(list.code).toBe(0);
    const dead = JSON.parse(list.out) as { seq: number; reason: string }[];
    expect(dead).toEqual([expect.objectContaining({ seq: deadSeq, reason: 'correction_target_unknown' })]);

    const verify = await hub('verify');
    expect(verify.out).toContain('结果：一致 (result: equal)');
    expect(verify.out).toContain('快照 snapshot @');
    expect(verify.code).toBe(0);
    const chain = await hub('verify', '--chain');
    expect(chain.out).toContain('result: the chain matches the stream');
    expect(chain.code).toBe(0);

    // The chain check sees a row changed in PostgreSQL (not in any working copy).
    const link = await sqlOne<{ hash: string }>('SELECT hash FROM chain_links WHERE seq = 10');
    await client.query("UPDATE chain_links SET hash = repeat('0', 64) WHERE seq = 10");
    try {
      const tampered = await hub('verify', '--chain');
      expect(tampered.code).toBe(1);
      expect(tampered.out).toContain('seq 10');
    } finally {
      await client.query('UPDATE chain_links SET hash = $1 WHERE seq = 10', [link!.hash]);
    }

    const out = join(dir.path, 'bundle.json');
    const exported = await hub('evidence', 'export', '--business', target.business.uscc, '--out', out);
    expect(exported.code).toBe(0);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { events: unknown[]; readModelPosition: number };
    expect(bundle.events.length).toBeGreaterThan(0);
    expect(bundle.readModelPosition).toBe(await pgPosition(url));
    expect(
      await sqlOne<{ resource: string }>(
        "SELECT resource FROM access_log WHERE uscc = $1 AND resource = 'evidence-export'",
        [target.business.uscc],
      ),
    ).toEqual({ resource: 'evidence-export' });

    // No agency outbox in this folder: nothing accepted, nothing to differ; it reads PostgreSQL.
    const reconcile = await hub('reconcile', '--json');
    expect(reconcile.code).toBe(0);
  }, 240_000);

  it('hub dlq retry acts on PostgreSQL through the active projector; standbys publish nothing and follow', async () => {
    // The standby announced nothing: no dead-letter notice, no alert delivered.
    expect(localRows('b', 'dlq-notices.sqlite', 'dlq_notices')).toBe(0);
    expect(localRows('b', 'alert-deliveries.sqlite', 'alert_deliveries')).toBe(0);
    expect(localRows('a', 'dlq-notices.sqlite', 'dlq_notices')).toBe(1);

    const retry = await hub('dlq', 'retry', String(deadSeq));
    expect(retry.out).toContain('已投影，死信已移除');
    expect(retry.code).toBe(0);
    // Answered once shipped: PostgreSQL has it at once.
    expect(await sqlOne('SELECT seq FROM dead_letters WHERE seq = $1', [deadSeq])).toBeUndefined();
    expect(
      await sqlOne<{ status: string }>('SELECT status FROM timeline WHERE event_id = $1', [target.eventId]),
    ).toEqual({ status: 'corrected' });

    // The standby's working copy lacked the retry: it continues from PostgreSQL's state.
    await waitFor(
      () => {
        const path = currentReadModelPath(join(dir.path, 'b'));
        if (!path.includes('read-model-pg-')) return undefined;
        const db = new Database(path, { readonly: true });
        try {
          const left = db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number };
          return left.n === 0 ? true : undefined;
        } finally {
          db.close();
        }
      },
      { timeoutMs: 60_000, what: "the standby's working copy with the retry" },
    );

    // The active one dies; the standby takes over and carries on from the shared state.
    a.child.kill('SIGKILL');
    await a.exited;
    await waitFor(async () => ((await b.role()) === 'active' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the standby to take over',
    });
    await publishEvents(nc, sampleEvents(200, { businesses: 40, from: 5000 }));
    // A new dead letter is announced by the new active projector.
    const orphan = {
      ...sampleEvent(9101, { businesses: 40 }),
      type: 'eventCorrected' as const,
      payload: { correctedEventId: sampleEvent(9102).eventId, reason: '无目标', replacement: {} },
    };
    const orphanSeq = await publishEvents(nc, [orphan]);
    await shipped('PostgreSQL at the end of the stream after the takeover');
    expect(await sqlOne('SELECT seq FROM dead_letters WHERE seq = $1', [deadSeq])).toBeUndefined();
    expect(
      await sqlOne<{ status: string }>('SELECT status FROM timeline WHERE event_id = $1', [target.eventId]),
    ).toEqual({ status: 'corrected' });
    expect(await sqlOne<{ seq: string }>('SELECT seq FROM dead_letters WHERE seq = $1', [orphanSeq])).toEqual(
      {
        seq: String(orphanSeq),
      },
    );
    await waitFor(() => (localRows('b', 'dlq-notices.sqlite', 'dlq_notices') >= 1 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the new active projector to announce the dead letter',
    });
    // The new active projector's working copy (continued from PostgreSQL's snapshot) and
    // PostgreSQL hold the same projection, the retry included.
    const pgDigest = await digestPostgresReadModel(url);
    const bDigest = digestReadModelFile(currentReadModelPath(join(dir.path, 'b')));
    expect(diffDigests(pgDigest, bDigest)).toEqual([]);
  }, 300_000);
});
