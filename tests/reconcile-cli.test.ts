/**
 * `hub reconcile` against a real hub's parts (nats-server, an agency service's outbox, the read
 * model a real projector wrote): after acknowledged writes were lost it names the records the
 * stream lacks and exits 1, in Chinese and English and as JSON. Records accepted after the loss
 * took sequences the projector had already passed: it names them as not applied, even once the
 * service's reconciliation has restored the lost ones; `hub rebuild` applies them, and then it
 * reports no difference and exits 0. Bad options are refused with the option named.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectNats,
  ensureDemoToken,
  ensureStreams,
  loadOrCreateSigningKey,
  publishKeyEvent,
} from '@hub/platform';
import { currentReadModelPath } from '@hub/read-model';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { createProjector } from '@hub/projector';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from './agency-fixtures.js';
import { checkpointBlocks, loseWritesSince, postInspections } from './reconcile-fixtures.js';

const ROOT = resolve(import.meta.dirname, '..');
const data = tempDir('hub-reconcile-cli-');
let nats: TestNats;
let service: AgencyService;
let url: string;

function hub(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'services/hub/dist/main.js'), ...args], {
      env: { ...process.env, NATS_URL: nats.url, HUB_DATA_DIR: data.path, LOG_LEVEL: 'warn' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => done({ code, out, err }));
  });
}

/** The projector catches up with the stream into the hub's read model, then stops. */
async function project(): Promise<void> {
  const nc = await connectNats({ servers: nats.url, name: 'reconcile-cli-projector' });
  const readModelPath = currentReadModelPath(data.path);
  mkdirSync(dirname(readModelPath), { recursive: true });
  const projector = createProjector({ nc, readModelPath, signatures: 'required' });
  try {
    await projector.start();
    await projector.catchUp();
  } finally {
    await projector.stop();
    await nc.close();
  }
}

beforeAll(async () => {
  nats = await startTestNats();
  const nc = await connectNats({ servers: nats.url, name: 'reconcile-cli-setup' });
  await ensureStreams(nc);
  const key = loadOrCreateSigningKey(data.path, 'GSJ'); // the service signs with it
  await publishKeyEvent(nc, {
    action: 'registered',
    agency: 'GSJ',
    keyId: key.keyId,
    publicKey: key.publicKey,
    by: 'test',
  });
  await nc.close();
  ({ url, service } = await startAgencyService({
    definition: MARKET_SUPERVISION,
    dataDir: data.path,
    natsUrl: nats.url,
    // Runs only when the test asks (runOnce); checks at once.
    config: { RELAY_ACK_TIMEOUT_MS: 1000, RECONCILE_INTERVAL_MS: 3_600_000, RECONCILE_SETTLE_MS: 0 },
  }));
});
afterAll(async () => {
  await service?.close();
  await nats?.stop();
  data.remove();
});

// Four CLI processes, each several seconds on a loaded machine.
it(
  'names the records the stream lost and those the read model missed, then none once restored and rebuilt',
  { timeout: 240_000 },
  async () => {
    const token = ensureDemoToken(data.path);
    const published = () =>
      waitFor(() => (service.outbox.stats().pending === 0 ? true : undefined), {
        what: 'the relay',
        timeoutMs: 60_000,
      });
    const kept = await postInspections(url, token, 1, 10);
    await published();
    await nats.stop();
    const checkpoint = checkpointBlocks(nats.storeDir);
    nats = await nats.restart();
    const lost = await postInspections(url, token, 50, 4);
    await published();
    await project(); // the read model applied all 14 before the loss
    await nats.stop();
    loseWritesSince(checkpoint);
    nats = await nats.restart();
    await waitFor(() => (service.relay()?.stats().connected ? true : undefined), {
      what: 'the relay to reconnect',
    });

    const before = await waitFor(async () => {
      const r = await hub('reconcile', '--json');
      return r.code === 1 ? r : undefined;
    });
    const report = JSON.parse(before.out) as {
      equal: boolean;
      agencies: {
        agency: string;
        accepted: number;
        inStream: number;
        applied: number;
        missingFromStream: string[];
      }[];
    };
    expect(report.equal).toBe(false);
    expect(report.agencies).toEqual([
      expect.objectContaining({
        agency: 'GSJ',
        accepted: 14,
        inStream: 10,
        applied: 14,
        missingFromStream: lost,
      }),
    ]);
    const text = await hub('reconcile', '--agency', 'GSJ');
    expect(text.code).toBe(1);
    expect(text.out).toContain('流中缺少 missing from the stream (4)');
    for (const id of lost) expect(text.out).toContain(id);
    expect(text.out).toContain('结果：有差异 (result: DIFFERENCES)');

    const run = await service.reconciler()!.runOnce();
    expect(run).toMatchObject({ missing: 4, restored: 4 });
    await project();

    const after = await hub('reconcile');
    expect(after.code, after.out + after.err).toBe(0);
    expect(after.out).toMatch(/GSJ\s+14\s+14\s+14\s+一致 equal/);
    expect(after.out).toContain('结果：一致 (result: no differences)');
    expect(kept).toHaveLength(10);

    // --since after every acceptance: nothing to compare; another agency: nothing either.
    const later = await hub('reconcile', '--since', '2999-01-01T00:00:00Z', '--json');
    expect(later.code).toBe(0);
    expect(JSON.parse(later.out)).toMatchObject({ equal: true, agencies: [] });
  },
);

it('refuses a bad --since or --agency, naming the option', { timeout: 120_000 }, async () => {
  const since = await hub('reconcile', '--since', 'yesterday');
  expect(since.code).not.toBe(0);
  expect(since.err).toContain('--since');
  const agency = await hub('reconcile', '--agency', 'NOPE');
  expect(agency.code).not.toBe(0);
  expect(agency.err).toContain('--agency NOPE');
});
