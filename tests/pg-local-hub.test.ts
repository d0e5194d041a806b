/**
 * `READ_MODEL_URL=postgres://… npm start -- --demo`, as the built `hub start --demo` child process
 * on free ports: every service comes up over PostgreSQL, the demo token is in PostgreSQL's token
 * store (no tokens.json), the demo data reaches PostgreSQL's read model through the agency
 * services, and a read through the query API is logged in PostgreSQL's access log.
 *
 * Skipped only with HUB_TEST_PG=off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PG_TESTS_OFF, startTestPostgres, tempDir, waitFor, type TestPostgres } from '@hub/testing';

const HUB = join(import.meta.dirname, '..', 'services', 'hub', 'dist', 'main.js');

describe.skipIf(PG_TESTS_OFF)('hub start on PostgreSQL', () => {
  const dir = tempDir('hub-pg-start-');
  let postgres: TestPostgres;
  let url: string;
  let hub: ChildProcess | undefined;
  let exited: Promise<void>;
  let out = '';
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase('hub');
    for (const v of [
      'NATS_PORT',
      'QUERY_API_PORT',
      'MARKET_SUPERVISION_PORT',
      'URBAN_CONSTRUCTION_PORT',
      'PUBLIC_SAFETY_PORT',
      'PROJECTOR_PORT',
    ])
      ports[v] = await freePort();
    hub = spawn(process.execPath, [HUB, 'start', '--demo', '--data-dir', dir.path], {
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        READ_MODEL_URL: url,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise<void>((resolve) => hub!.once('exit', () => resolve()));
    hub.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    hub.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    await waitFor(() => (out.includes('演示数据 demo data') ? true : undefined), {
      timeoutMs: 240_000,
      what: `hub start --demo\n${out}`,
    });
  }, 300_000);

  afterAll(async () => {
    if (hub && hub.exitCode === null) {
      hub.kill('SIGTERM');
      await exited;
    }
    await postgres?.stop();
    dir.remove();
  });

  it('runs every service over PostgreSQL: tokens, read model and access log', async () => {
    expect(out).toMatch(/演示数据 demo data: \d+ 条事件已提交/);
    const token = readFileSync(join(dir.path, 'demo-token.txt'), 'utf8').trim();
    expect(existsSync(join(dir.path, 'tokens.json'))).toBe(false);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tokens = await client.query<{ name: string }>('SELECT name FROM hub_tokens');
      expect(tokens.rows.map((r) => r.name)).toEqual(['本地演示 (local demo)']);
      const api = `http://127.0.0.1:${ports.QUERY_API_PORT}`;
      const headers = { authorization: `Bearer ${token}` };
      // The demo's events reach PostgreSQL through the agency services and the projector.
      const business = await waitFor(
        async () =>
          (await client.query<{ uscc: string }>('SELECT uscc FROM businesses ORDER BY uscc LIMIT 1')).rows[0]
            ?.uscc,
        { timeoutMs: 120_000, what: 'a business in PostgreSQL’s read model' },
      );
      const position = await client.query<{ last_seq: string }>(
        "SELECT last_seq FROM projection_position WHERE name = 'events'",
      );
      expect(Number(position.rows[0]?.last_seq)).toBeGreaterThan(0);
      const history = await fetch(`${api}/v1/businesses/${business}/history`, { headers });
      expect(history.status).toBe(200);
      const logged = await client.query<{ resource: string }>(
        'SELECT resource FROM access_log WHERE uscc = $1',
        [business],
      );
      expect(logged.rows.map((r) => r.resource)).toContain('history');
      // Nothing of it in the data folder's SQLite access log.
      expect(existsSync(join(dir.path, 'query-api', 'access-log.sqlite'))).toBe(false);
    } finally {
      await client.end();
    }
  }, 180_000);
});
