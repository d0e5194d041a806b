/**
 * The read side's authentication as a client sees it, against the built query API as a real
 * process: a 401 names the Bearer scheme, an expired token is refused, /healthz tells no file
 * paths, and `hub token list` shows when each token was last used.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@hub/platform';
import { freePort, tempDir, waitFor } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { parseExpires } from '../services/hub/src/commands/token.js';
import { MARKET_SUPERVISION } from './agency-fixtures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const HOUR = 3_600_000;

describe('read side: bearer tokens', () => {
  const data = tempDir('hub-read-auth-');
  let api: ChildProcess;
  let url = '';
  let exited: Promise<unknown>;
  let ingest: AgencyService;
  let ingestUrl = '';

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = spawn(process.execPath, [`${ROOT}/services/query-api/dist/main.js`], {
      env: {
        ...process.env,
        HUB_DATA_DIR: data.path,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    exited = new Promise((r) => api.once('exit', r));
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status > 0 ? true : undefined), {
      what: 'query API listening',
      timeoutMs: 60_000,
    });
    ({ url: ingestUrl, service: ingest } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: 'nats://127.0.0.1:1',
      relay: false,
    }));
  }, 90_000);
  afterAll(async () => {
    if (api.exitCode === null) api.kill('SIGTERM');
    await exited;
    await ingest?.close();
    data.remove();
  });

  it('answers 401 with WWW-Authenticate: Bearer, on the query API and on ingest', async () => {
    const none = await fetch(`${url}/v1/alerts`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="enforcement-hub"');
    const bad = await fetch(`${url}/v1/alerts`, { headers: { authorization: 'Bearer hub_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="enforcement-hub", error="invalid_token"');
    const post = await fetch(`${ingestUrl}/v1/events`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('refuses a token after it expires', async () => {
    const now = Date.now();
    const expired = issueToken(data.path, {
      name: '已过期 expired',
      scopes: ['committee'],
      now: new Date(now - 2 * HOUR),
      expiresAt: new Date(now - HOUR),
    });
    const current = issueToken(data.path, {
      name: '有效 current',
      scopes: ['committee'],
      expiresAt: new Date(now + HOUR),
    });
    const status = async (token: string) =>
      (await fetch(`${url}/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })).status;
    await waitFor(async () => ((await status(current.token)) !== 401 ? true : undefined), {
      what: 'the new token seen by the query API',
    });
    expect(await status(expired.token)).toBe(401);
    expect(() =>
      issueToken(data.path, { name: 'x', scopes: ['committee'], expiresAt: new Date(now - 1) }),
    ).toThrow(/令牌参数无效/);
    expect(parseExpires('90d', new Date(0)).toISOString()).toBe('1970-04-01T00:00:00.000Z');
    expect(() => parseExpires('soon')).toThrow(/到期时间无效/);
  });

  it('tells no file paths on /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    const text = await res.text();
    expect(text).toContain('read-model'); // it does say what is missing …
    expect(text).not.toContain(data.path); // … but not where
    expect(text).not.toMatch(/\/tmp\//);
    const ingestHealth = await (await fetch(`${ingestUrl}/healthz`)).text();
    expect(ingestHealth).not.toContain(data.path);
  });

  it('shows the last use of each token in hub token list', async () => {
    const used = issueToken(data.path, { name: '使用过 used', scopes: ['committee'] });
    const unused = issueToken(data.path, { name: '未使用 unused', scopes: ['committee'] });
    await waitFor(
      async () =>
        (await fetch(`${url}/v1/alerts`, { headers: { authorization: `Bearer ${used.token}` } })).status !==
        401
          ? true
          : undefined,
      { what: 'the token accepted' },
    );
    // Uses are written at most every 30 s, and when the process ends.
    api.kill('SIGTERM');
    await exited;
    const { stdout } = await run(process.execPath, [
      `${ROOT}/services/hub/dist/main.js`,
      'token',
      'list',
      '--json',
      '--data-dir',
      data.path,
    ]);
    const listed = JSON.parse(stdout) as { id: string; lastUsedAt?: string }[];
    const at = listed.find((t) => t.id === used.record.id)?.lastUsedAt;
    expect(at).toBeDefined();
    expect(Date.parse(at!)).toBeGreaterThan(Date.now() - HOUR);
    expect(listed.find((t) => t.id === unused.record.id)?.lastUsedAt).toBeUndefined();
    const text = await run(process.execPath, [
      `${ROOT}/services/hub/dist/main.js`,
      'token',
      'list',
      '--data-dir',
      data.path,
    ]);
    expect(text.stdout).toMatch(/最近使用 last used/);
    expect(text.stdout).toMatch(/已过期 expired/);
  });
});
