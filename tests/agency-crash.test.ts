/**
 * SIGKILL of an agency service during a burst: after a restart, every record acknowledged with
 * 202 is in the stream exactly once, and resubmitting it returns the same event id. Two shapes:
 * batches of five, and one-event requests sharing commits (group commit: what arrives during a
 * sync goes into the next commit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleInspectionCompleted, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { readEventsStream } from './agency-fixtures.js';
import { burst, spawnAgencyService, type ServiceProcess } from './agency-process.js';

interface Shape {
  name: string;
  prefix: string;
  total: number;
  perRequest: number;
  concurrency: number;
  killAfter: number;
  /** The resubmission after the restart. */
  again: { total: number; concurrency: number };
}

const SHAPES: Shape[] = [
  {
    name: 'batches of five',
    prefix: 'KILL',
    total: 1500,
    perRequest: 5,
    concurrency: 12,
    killAfter: 300,
    again: { total: 50, concurrency: 2 },
  },
  {
    name: 'one-event requests in shared commits',
    prefix: 'GROUP',
    total: 400,
    perRequest: 1,
    concurrency: 16,
    killAfter: 100,
    again: { total: 32, concurrency: 16 },
  },
];

describe.each(SHAPES)('agency service killed with SIGKILL during a burst: $name', (shape) => {
  const data = tempDir(`hub-agency-kill-${shape.prefix.toLowerCase()}-`);
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
    const event = (i: number) => sampleInspectionCompleted(i, { recordId: `${shape.prefix}-${i}` });
    let killed = false;
    const result = await burst({
      url: () => first.url,
      token,
      total: shape.total,
      perRequest: shape.perRequest,
      concurrency: shape.concurrency,
      event,
      onProgress: async (accepted) => {
        if (!killed && accepted >= shape.killAfter) {
          killed = true;
          await first.kill();
        }
      },
    });
    expect(killed).toBe(true);
    expect(result.accepted.size).toBeGreaterThanOrEqual(shape.killAfter);
    expect(result.failed).toBeGreaterThan(0);

    svc = await spawnAgencyService('market-supervision', env, Number(new URL(first.url).port));
    // A department that never saw its 202 resubmits: the same record gets the same event id.
    const again = await burst({
      url: () => svc!.url,
      token,
      total: shape.again.total,
      perRequest: shape.perRequest,
      concurrency: shape.again.concurrency,
      event,
    });
    for (const [msgId, eventId] of again.accepted) {
      if (result.accepted.has(msgId)) expect(eventId).toBe(result.accepted.get(msgId));
    }

    const streamed = await waitFor(
      async () => {
        const stats = (await (
          await fetch(`${svc!.url}/v1/outbox/stats`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { pending: number; total: number };
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
