/**
 * SIGKILL of an agency service while many one-event requests share commits (group commit: what
 * arrives during a sync goes into the next commit): every record acknowledged with 202 is in the
 * stream exactly once after a restart, and resubmitting one returns the same event id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleInspectionCompleted, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { readEventsStream } from './agency-fixtures.js';
import { burst, spawnAgencyService, type ServiceProcess } from './agency-process.js';

describe('agency service killed with SIGKILL during a burst of one-event requests', () => {
  const data = tempDir('hub-agency-kill-group-');
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

  // Two service starts and a drain on a shared 2-core machine: more than the default minute.
  it('loses and doubles nothing it acknowledged', async () => {
    const token = ensureDemoToken(data.path);
    const env = { HUB_DATA_DIR: data.path, NATS_URL: nats.url };
    svc = await spawnAgencyService('market-supervision', env);
    const first = svc;
    const event = (i: number) => sampleInspectionCompleted(i, { recordId: `GROUP-${i}` });
    let killed = false;
    const result = await burst({
      url: () => first.url,
      token,
      total: 400,
      perRequest: 1,
      concurrency: 16,
      event,
      onProgress: async (accepted) => {
        if (!killed && accepted >= 100) {
          killed = true;
          await first.kill();
        }
      },
    });
    expect(killed).toBe(true);
    expect(result.accepted.size).toBeGreaterThanOrEqual(100);
    expect(result.failed).toBeGreaterThan(0);

    svc = await spawnAgencyService('market-supervision', env, Number(new URL(first.url).port));
    const again = await burst({
      url: () => svc!.url,
      token,
      total: 32,
      perRequest: 1,
      concurrency: 16,
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
  }, 180_000);
});
