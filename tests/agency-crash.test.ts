/**
 * SIGKILL of an agency service during a burst: after a restart, every record acknowledged with
 * 202 is in the stream exactly once, and resubmitting it returns the same event id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleInspectionCompleted, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { readEventsStream } from './agency-fixtures.js';
import { burst, spawnAgencyService, type ServiceProcess } from './agency-process.js';

describe('agency service killed with SIGKILL during a burst', () => {
  const data = tempDir('hub-agency-kill-');
  let nats: TestNats;
  let svc: ServiceProcess | undefined;

  beforeAll(async () => {
    nats = await startTestNats();
  });
  afterAll(async () => {
    await svc?.stop();
    await nats?.stop();
    data.remove();
  });

  it('loses and doubles nothing it acknowledged', async () => {
    const token = ensureDemoToken(data.path);
    const env = { HUB_DATA_DIR: data.path, NATS_URL: nats.url };
    svc = await spawnAgencyService('market-supervision', env);
    const first = svc;
    const event = (i: number) => sampleInspectionCompleted(i, { recordId: `KILL-${i}` });
    let killed = false;
    const result = await burst({
      url: () => first.url,
      token,
      total: 1500,
      perRequest: 5,
      concurrency: 12,
      event,
      onProgress: async (accepted) => {
        if (!killed && accepted >= 300) {
          killed = true;
          await first.kill();
        }
      },
    });
    expect(killed).toBe(true);
    expect(result.accepted.size).toBeGreaterThanOrEqual(300);
    expect(result.failed).toBeGreaterThan(0);

    svc = await spawnAgencyService('market-supervision', env, Number(new URL(first.url).port));
    // A department that never saw its 202 resubmits: the same record gets the same event id.
    const again = await burst({
      url: () => svc!.url,
      token,
      total: 50,
      perRequest: 5,
      concurrency: 2,
      event,
    });
    for (const [msgId, eventId] of again.accepted) {
      if (result.accepted.has(msgId)) expect(eventId).toBe(result.accepted.get(msgId));
    }

    const streamed = await waitFor(
      async () => {
        const stats = (await (
          await fetch(`${svc!.url}/v1/outbox/stats`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as {
          pending: number;
          total: number;
        };
        if (stats.pending > 0) return undefined;
        const all = await readEventsStream(nats.url);
        return all.length === stats.total ? all : undefined;
      },
      { what: 'the outbox drained into the stream', timeoutMs: 30_000 },
    );
    const ids = streamed.map((m) => m.json.eventId as string);
    const msgIds = streamed.map((m) => m.msgId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(msgIds).size).toBe(msgIds.length);
    const inStream = new Set(ids);
    const missing = [...result.accepted.values()].filter((id) => !inStream.has(id));
    expect(missing).toEqual([]);
  });
});
