import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { PROBLEM_EXPLANATIONS } from './problem-types.js';
import { createHttpServer } from './server.js';

describe('problem types', () => {
  const app = createHttpServer({ logger: silentLogger() });

  it('serves the explanation at the type URI of a problem the server answered', async () => {
    const missing = await app.inject({ url: '/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    const { type, code } = missing.json<{ type: string; code: string }>();
    expect(type).toBe('/problems/not-found');
    const page = await app.inject({ url: type });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(code);
    expect(page.body).toContain(PROBLEM_EXPLANATIONS.NOT_FOUND.zh);
    const json = await app.inject({ url: type, headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ code: 'NOT_FOUND', status: 404, type, en: expect.any(String) });
  });

  it('lists every code, each with a Chinese and an English explanation', async () => {
    const all = (await app.inject({ url: '/problems', headers: { accept: 'application/json' } })).json<
      { code: string; zh: string; en: string }[]
    >();
    expect(all.map((p) => p.code)).toContain('READ_MODEL_UNAVAILABLE');
    for (const p of all) {
      expect(p.zh.length, p.code).toBeGreaterThan(10);
      expect(p.en.length, p.code).toBeGreaterThan(10);
    }
  });

  it('answers 404 problem+json for an unknown code', async () => {
    const res = await app.inject({ url: '/problems/no-such-code' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
