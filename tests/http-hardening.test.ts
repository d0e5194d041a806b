/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * The shared HTTP server's defences, seen over real sockets: a request that does not arrive
 * in time is cut off (408), answers carry the security headers (no sniffing, no caching of
 * personal data, no framing, same-origin content only), the outbox figures need a token, and
 * an import over its size limit is told the limit as configured, in MiB.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, postJson, sampleEvent } from './agency-fixtures.js';
import { startQueryFixture, type QueryFixture } from './query-fixture.js';

/** Sends the headers and a first piece of a body that never completes; resolves with what the server did. */
function slowBody(url: string, token: string): Promise<{ answer: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const give = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, 20_000);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => {
      clearTimeout(give);
      resolve({ answer, closed: true });
    });
    socket.on('error', () => undefined);
    socket.write(
      `POST /v1/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"agency":',
    );
  });
}

describe('HTTP hardening: agency service', () => {
  const data = tempDir('hub-http-hardening-');
  let nats: TestNats;
  let service: AgencyService;
  let url: string;
  let token: string;

  beforeAll(async () => {
    nats = await startTestNats();
    token = ensureDemoToken(data.path);
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      config: { HTTP_REQUEST_TIMEOUT_MS: 1500, IMPORT_BODY_LIMIT: 1024 * 1024 },
    }));
  });
  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  });

  it('cuts off a request whose body does not arrive in time (408, connection closed)', async () => {
    const { answer, closed } = await slowBody(url, token);
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(service.outbox.stats().total).toBe(0);
  });

  it('sends the security headers on answers, errors and health alike', async () => {
    const accepted = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(sampleEvent('inspectionCancelled', 1)),
    });
    const refused = await fetch(`${url}/v1/events`, { method: 'POST' });
    const health = await fetch(`${url}/healthz`);
    for (const res of [accepted, refused, health]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
    expect(accepted.status).toBe(202);
    expect(refused.status).toBe(401);
  });

  it('/v1/outbox/stats needs a token', async () => {
    expect((await fetch(`${url}/v1/outbox/stats`)).status).toBe(401);
    const ok = await fetch(`${url}/v1/outbox/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ total: expect.any(Number) });
  });

  it('an import over its limit is told the import limit, in MiB (413 PAYLOAD_TOO_LARGE)', async () => {
    const big = Buffer.alloc(1536 * 1024, 'a');
    const res = await fetch(`${url}/v1/imports?agency=GSJ`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: big,
    });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(body)).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.detail).toContain('1 MiB');
    expect(body.detail).not.toContain('4194304');
    const json = await postJson(url, 'x'.repeat(5 * 1024 * 1024), token);
    expect(json.status).toBe(413);
    expect(json.body.detail).toContain('4 MiB');
  });
});

describe('HTTP hardening: query API pages keep working under the content policy', () => {
  let q: QueryFixture;
  beforeAll(async () => {
    q = await startQueryFixture();
  });
  afterAll(async () => {
    await q?.stop();
  });

  it('/docs has no inline style or script; its scripts and stylesheet are served from the same origin', async () => {
    const res = await fetch(`${q.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    // Scripts and styles only from files (the API viewer's own), never inline.
    expect(html).not.toMatch(/<style|<script(?![^>]*\ssrc=)|style="/);
    const href = /<link rel="stylesheet"[^>]*href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const css = await fetch(new URL(href!, res.url));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers with personal data are not cached', async () => {
    const res = await q.get('/v1/businesses?q=x', 'committee');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
