/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * A full disk under a real agency service process: it stays up, answers 507 with a clear
 * error to new records, says 503 on /healthz, keeps and publishes everything it accepted,
 * and takes records again by itself once space returns. The disk is a small tmpfs (see
 * disk-full.ts); skipped where the machine cannot mount one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { freePort, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { postJson, readEventsStream, sampleEvent } from './agency-fixtures.js';
import { diskFullSupported, spawnOnSmallDisk, type SmallDiskProcess } from './disk-full.js';

const MAIN = fileURLToPath(new URL('../services/market-supervision/dist/main.js', import.meta.url));

describe.skipIf(!diskFullSupported())('agency service on a full disk', () => {
  const data = tempDir('hub-agency-disk-full-');
  let nats: TestNats;
  let proc: SmallDiskProcess;
  let url: string;
  let token: string;

  beforeAll(async () => {
    nats = await startTestNats();
    token = ensureDemoToken(data.path);
    mkdirSync(join(data.path, 'market-supervision'), { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = spawnOnSmallDisk(MAIN, join(data.path, 'market-supervision'), 4096, {
      NATS_URL: nats.url,
      HUB_DATA_DIR: data.path,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    await waitFor(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`exited: ${proc.output()}`);
        return (await fetch(`${url}/healthz`)).status === 200 ? true : undefined;
      },
      { what: 'the service healthy', timeoutMs: 60_000 },
    );
  }, 90_000);
  afterAll(async () => {
    await proc?.stop();
    await nats?.stop();
    data.remove();
  });

  it('stays up, refuses new records with 507, keeps what it accepted, resumes when space returns', async () => {
    const accepted = new Set<string>();
    const post = async (n: number) => {
      const res = await postJson(url, sampleEvent('inspectionCancelled', n), token);
      if (res.status === 202) accepted.add(`inspectionCancelled-${n}`);
      return res;
    };
    for (let n = 0; n < 20; n++) expect((await post(n)).status).toBe(202);

    await proc.fill();
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let n = 20; n < 200 && refused === undefined; n++) {
      const res = await post(n);
      if (res.status !== 202) refused = res;
    }
    expect(refused?.status, `${JSON.stringify(refused?.body)} ${proc.output()}`).toBe(507);
    expect(refused!.body.code).toBe('STORAGE_FULL');
    expect(refused!.body.detail).toMatch(/[\u4e00-\u9fff].*\(.*disk/i);
    const health = await waitFor(async () => {
      const res = await fetch(`${url}/healthz`);
      return res.status === 503 ? ((await res.json()) as Record<string, any>) : undefined;
    });
    expect(JSON.stringify(health)).toMatch(/storage|disk/i);
    expect(proc.child.exitCode).toBeNull();

    await proc.free();
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), {
      what: 'healthy again',
    });
    expect((await post(1000)).status).toBe(202);

    const streamed = await waitFor(
      async () => {
        const all = await readEventsStream(nats.url);
        return all.length >= accepted.size ? all : undefined;
      },
      { what: 'every accepted record in the stream', timeoutMs: 30_000 },
    );
    const ids = streamed.map((m) => (m.json.source as { recordId: string }).recordId).sort();
    expect(ids).toEqual([...accepted].sort());
    expect(proc.child.exitCode).toBeNull();
  }, 120_000);
});
