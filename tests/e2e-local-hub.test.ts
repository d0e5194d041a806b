/**
 * End to end through the real launcher: nats-server child, every service as a process, real
 * HTTP. An inspection posted to market supervision appears in the committee's history view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleInspectionCompleted, sampleUscc, tempDir, waitFor } from '@hub/testing';
import type { LocalHub } from '../services/hub/src/launcher/local-hub.js';
import { startTestLocalHub } from './local-hub-fixture.js';
import { demoEvents, loadDemoData } from '../services/hub/src/launcher/demo-data.js';
import { demoArchive } from '../services/hub/src/launcher/demo-archive.js';

describe('local hub, end to end', () => {
  const data = tempDir('hub-e2e-');
  let hub: LocalHub;
  let token: string;

  beforeAll(async () => {
    hub = await startTestLocalHub(data.path);
    token = ensureDemoToken(data.path);
  }, 200_000);

  afterAll(async () => {
    await hub?.stop();
    data.remove();
  });

  it('shows an inspection posted to market supervision in the business history', async () => {
    const uscc = sampleUscc(4242);
    const event = sampleInspectionCompleted(4242, { uscc, recordId: 'E2E-1' });
    const post = await fetch(`${hub.urls['market-supervision']}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    expect(post.status).toBe(202);
    const accepted = (await post.json()) as { events: { eventId: string }[] };
    const eventId = accepted.events[0]?.eventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);

    const history = await waitFor(
      async () => {
        const res = await fetch(`${hub.urls['query-api']}/v1/businesses/${uscc}/history`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as {
          items: { eventId: string; eventType: string; agency: string }[];
        };
        return body.items.length > 0 ? body : undefined;
      },
      { what: 'the event in the history' },
    );
    expect(history.items).toEqual([
      expect.objectContaining({ eventId, eventType: 'inspectionCompleted', agency: 'GSJ' }),
    ]);
  });

  it('answers 404 for an unknown business and 400 for an invalid code', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const unknown = await fetch(`${hub.urls['query-api']}/v1/businesses/${sampleUscc(999_999)}/history`, {
      headers,
    });
    expect(unknown.status).toBe(404);
    const invalid = await fetch(`${hub.urls['query-api']}/v1/businesses/91350100M000100Y44/history`, {
      headers,
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ errors: [{ field: expect.stringContaining('uscc') }] });
  });

  it('loads the demo data through the agency services, all of it valid, and again without doubling', async () => {
    const total =
      [...demoEvents().values()].reduce((n, events) => n + events.length, 0) + demoArchive().length;
    expect(await loadDemoData(hub, token)).toEqual({ accepted: total, failed: 0 });
    expect(await loadDemoData(hub, token)).toEqual({ accepted: total, failed: 0 });
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${hub.urls.projector}/metrics`)).text();
      const applied = Number(/^hub_projector_events_applied_total (\d+)/m.exec(text)?.[1]);
      return applied >= total + 1 ? applied : undefined;
    });
    expect(metrics).toBe(total + 1);
  });

  it('reports every service healthy, with process metrics on each', async () => {
    for (const url of Object.values(hub.urls)) {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text(), url).toContain('process_resident_memory_bytes');
    }
  });
});
