/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- JSON bodies of HTTP answers */
/**
 * An agency service describes itself and reports how it is doing: a valid OpenAPI document
 * generated from its validation schemas, an interactive viewer served locally, Prometheus
 * metrics (outbox backlog, relay lag, requests, process), and the explanation of each problem
 * type it answers with. A real service over real HTTP, its outbox a real SQLite file.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '@hub/domain';
import { issueToken } from '@hub/platform';
import { sampleInspectionCompleted, tempDir } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, postJson } from './agency-fixtures.js';

describe('agency service: OpenAPI, metrics, problem types', () => {
  const data = tempDir('agency-observability-');
  let service: AgencyService;
  let url: string;
  let token: string;

  beforeAll(async () => {
    // No relay: what is accepted stays in the outbox, so the backlog is there to see.
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: 'nats://127.0.0.1:1',
      relay: false,
    }));
    token = issueToken(data.path, { name: 'obs', scopes: ['ingest:GSJ'] }).token;
  });
  afterAll(async () => {
    await service?.close();
    data.remove();
  });

  it('serves a valid OpenAPI 3.1 document with every event type, and a local viewer', async () => {
    const doc = (await (await fetch(`${url}/docs/openapi.json`)).json()) as any;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/imports', '/healthz', '/metrics']),
    );
    const envelope = doc.components.schemas.Envelope;
    for (const type of EVENT_TYPES) expect(Object.keys(envelope.properties)).toContain(type);
    expect(envelope.properties.business.properties).toHaveProperty('uscc');
    const html = await (await fetch(`${url}/docs/static/index.html`)).text();
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const bundle = await fetch(`${url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    // Public, like /healthz: no token needed to read the contract.
    const viewer = await fetch(`${url}/docs/`);
    expect(viewer.status).toBe(200);
    await viewer.text();
  });

  it('exports the outbox backlog, relay lag, requests and process metrics', async () => {
    const post = await postJson(url, sampleInspectionCompleted(1, { recordId: 'OBS-1' }), token);
    expect(post.status).toBe(202);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/^hub_outbox_pending_records 1$/m);
    expect(text).toMatch(/^hub_relay_lag_seconds \d+(\.\d+)?(e[-+]\d+)?$/m);
    expect(text).toMatch(/^hub_relay_connected 0$/m);
    expect(text).toContain('hub_agency_request_duration_seconds_count{route="/v1/events",status="202"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('links each problem to its explanation on the service itself', async () => {
    const res = await fetch(`${url}/v1/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { type: string };
    expect(body.type).toBe('/problems/unauthorized');
    const page = await fetch(new URL(body.type, url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hub token issue');
  });
});
