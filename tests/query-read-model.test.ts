/**
 * The query API follows the active read model: 503 with the reason until one exists, then
 * serves it; after a rebuild switches CURRENT, the next request reads the new file. The entry
 * point runs as a real process and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@hub/testing';
import { readModelDir, switchCurrentReadModel } from '@hub/read-model';
import { hubEvent, inspection, startQueryFixture, usccOf, type QueryFixture } from './query-fixture.js';

const D = usccOf(41);
const event = (n: number) =>
  hubEvent({
    ...inspection('GSJ', D, `INS-D${n}`, `2026-03-0${n}T10:00:00+08:00`, `2026-03-0${n}T11:00:00+08:00`),
  });

let f: QueryFixture;
beforeAll(async () => {
  f = await startQueryFixture();
});
afterAll(async () => {
  await f?.stop();
});

describe('following the read model', () => {
  it('answers 503 with the reason until the read model exists, then follows CURRENT', async () => {
    const health = await f.get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.checks.readModel.detail).toContain('does not exist yet');
    const early = await f.get(`/v1/businesses/${D}/history`, 'committee');
    expect(early.status).toBe(503);
    expect(early.body).toMatchObject({
      code: 'READ_MODEL_UNAVAILABLE',
      detail: expect.stringContaining('projector'),
    });
    // Public routes that need no read model keep working.
    expect((await f.get('/v1/matters')).status).toBe(200);

    await f.project([event(1)]);
    expect((await f.get('/healthz')).status).toBe(200);
    const one = await f.get(`/v1/businesses/${D}/history`, 'committee');
    expect(one.body.items).toHaveLength(1);

    // A rebuild into a new file that also holds a later event, then the switch.
    const rebuilt = join(readModelDir(f.data.path), 'read-model-rebuilt.sqlite');
    await f.project([event(2)], rebuilt);
    expect((await f.get(`/v1/businesses/${D}/history`, 'committee')).body.items).toHaveLength(1);
    switchCurrentReadModel(f.data.path, 'read-model-rebuilt.sqlite');
    const two = await f.get(`/v1/businesses/${D}/history`, 'committee');
    expect(two.body.items).toHaveLength(2);
    expect((await f.get('/healthz')).body.checks.readModel.detail).toContain('applied to seq'); // no file paths in /healthz
  });
});

describe('entry point', () => {
  it('starts from the environment, reports health, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const main = fileURLToPath(new URL('../services/query-api/dist/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        HUB_DATA_DIR: f.data.path,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const health = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          return res?.status === 200 ? res : undefined;
        },
        { what: 'the query API healthy' },
      );
      expect(health.status).toBe(200);
      expect(out).toContain('"msg":"listening"');
      const res = await fetch(`http://127.0.0.1:${port}/v1/businesses/${D}`, {
        headers: { authorization: `Bearer ${f.tokens.supervision}` },
      });
      expect(res.status).toBe(200);
      expect(existsSync(join(f.data.path, 'query-api', 'access-log.sqlite'))).toBe(true);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
