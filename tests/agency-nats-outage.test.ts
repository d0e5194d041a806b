/**
 * nats-server stopped during a burst: the service keeps answering 202 (health says why it is
 * degraded), and when NATS returns the relay catches up: every acknowledged record is in the
 * stream exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleInspectionCompleted, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, readEventsStream } from './agency-fixtures.js';
import { burst } from './agency-process.js';

describe('agency service while nats-server is down', () => {
  const data = tempDir('hub-agency-outage-');
  let nats: TestNats;
  let service: AgencyService;
  let url: string;

  beforeAll(async () => {
    nats = await startTestNats();
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      config: { RELAY_ACK_TIMEOUT_MS: 1000 },
    }));
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined));
  });
  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  });

  it('keeps accepting, then publishes every accepted record exactly once', async () => {
    const token = ensureDemoToken(data.path);
    let stopped: Promise<void> | undefined;
    let healthWhileDown: number | undefined;
    const result = await burst({
      url: () => url,
      token,
      total: 1500,
      perRequest: 10,
      concurrency: 8,
      event: (i) => sampleInspectionCompleted(i, { recordId: `OUT-${i}` }),
      onProgress: async (accepted) => {
        if (stopped === undefined && accepted >= 300) {
          stopped = nats.stop();
          await stopped;
        }
        if (stopped !== undefined && healthWhileDown === undefined && accepted >= 800) {
          healthWhileDown = (await fetch(`${url}/healthz`)).status;
        }
      },
    });
    expect(result.failed).toBe(0);
    expect(result.accepted.size).toBe(1500);
    expect(healthWhileDown).toBe(503);
    expect(service.outbox.stats().pending).toBeGreaterThan(0);

    nats = await nats.restart();
    const streamed = await waitFor(
      async () => {
        if (service.outbox.stats().pending > 0) return undefined;
        const all = await readEventsStream(nats.url);
        return all.length >= 1500 ? all : undefined;
      },
      { what: 'the relay to catch up', timeoutMs: 30_000 },
    );
    const ids = streamed.map((m) => m.json.eventId as string);
    expect(ids).toHaveLength(1500);
    expect(new Set(ids)).toEqual(new Set(result.accepted.values()));
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined));
  });
});
