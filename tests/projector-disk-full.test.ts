/**
 * A full disk under the real projector process: it stops applying, says 503 on /healthz,
 * dead-letters nothing because of it, and carries on by itself, without a restart, once
 * space returns. The disk is a small tmpfs over the read-model folder (see disk-full.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import { freePort, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { publishEvents, sampleEvents } from '@hub/projector';
import { diskFullSupported, spawnOnSmallDisk, type SmallDiskProcess } from './disk-full.js';

const MAIN = join(import.meta.dirname, '..', 'services', 'projector', 'dist', 'main.js');

describe.skipIf(!diskFullSupported())('projector on a full disk', () => {
  const data = tempDir('hub-projector-disk-full-');
  let nats: TestNats;
  let nc: NatsConnection;
  let proc: SmallDiskProcess;
  let url: string;

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(text)?.[1] ?? -1);
  };

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectNats({ servers: nats.url, name: 'disk-full-test' });
    await ensureStreams(nc);
    mkdirSync(join(data.path, 'read-model'), { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = spawnOnSmallDisk(MAIN, join(data.path, 'read-model'), 64 * 1024, {
      NATS_URL: nats.url,
      HUB_DATA_DIR: data.path,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PROJECTOR_BATCH_SIZE: '200',
      // The sample stream is published unsigned, as before signatures (the migration switch).
      PROJECTOR_ALLOW_UNSIGNED: 'true',
    });
    await waitFor(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`exited: ${proc.output()}`);
        return (await fetch(`${url}/healthz`)).status === 200 ? true : undefined;
      },
      { what: 'the projector healthy', timeoutMs: 60_000 },
    );
  }, 90_000);
  afterAll(async () => {
    await proc?.stop();
    await nc?.close();
    await nats?.stop();
    data.remove();
  });

  it('waits while the disk is full and resumes by itself when space returns', async () => {
    const first = await publishEvents(nc, sampleEvents(500, { businesses: 100 }));
    await waitFor(async () => ((await metric('hub_projector_applied_seq')) === first ? true : undefined), {
      what: 'the first events applied',
    });

    await proc.fill();
    const last = await publishEvents(nc, sampleEvents(1500, { businesses: 300, from: 500 }));
    const health = await waitFor(async () => {
      const res = await fetch(`${url}/healthz`);
      return res.status === 503 ? await res.text() : undefined;
    });
    expect(health).toMatch(/disk|存储/i);
    expect(proc.child.exitCode).toBeNull();

    await proc.free();
    await waitFor(async () => ((await metric('hub_projector_applied_seq')) === last ? true : undefined), {
      what: `every event applied after space returned ${proc.output().slice(-1500)}`,
      timeoutMs: 60_000,
    });
    expect(await metric('hub_projector_dead_letters_total')).toBe(0);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  }, 150_000);
});
