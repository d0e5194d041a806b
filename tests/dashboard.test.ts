/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- JSON bodies of HTTP answers */
/**
 * The dashboard against a real local hub (nats-server child, every service as a process, demo data
 * posted through the agency services): first its HTTP side (static assets, SPA fallback, /v1/me,
 * alert acknowledgement forwarded as an agency event), then in a real browser — Debian's Chromium
 * driven by playwright-core — signed in with a committee, an agency and a supervision token.
 *
 * Chromium: /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it) or
 * CHROMIUM_PATH. Without it the browser part is skipped, except in CI where it fails.
 * DASHBOARD_SCREENSHOTS=<dir> saves screenshots of the main pages there (docs/ has them).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureDemoToken, issueToken } from '@hub/platform';
import { tempDir, waitFor } from '@hub/testing';
import type { LocalHub } from '../services/hub/src/launcher/local-hub.js';
import { startTestLocalHub } from './local-hub-fixture.js';
import { demoEvents, demoUscc, loadDemoData } from '../services/hub/src/launcher/demo-data.js';

// Answers are checked field by field below; their shapes are the API's (docs/query-api.md).
type J = any;
// What the page.evaluate / waitForFunction callbacks touch: they run in the browser.
declare const document: any, sessionStorage: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI) {
  throw new Error(`没有 Chromium (no Chromium at ${CHROMIUM}): apt-get install -y chromium`);
}
const SHOTS = process.env.DASHBOARD_SCREENSHOTS;
const SLOW = 120_000;

describe('dashboard', { timeout: SLOW }, () => {
  const data = tempDir('hub-dashboard-');
  let hub: LocalHub;
  let q: string;
  let demo: string;
  let committee: string;
  let agency: string;
  let supervision: string;
  /** China-local date and time (to the second) between the demo data and a later retraction (for "as of"). */
  let beforeRetraction: string;
  let retractedEventId: string;
  const business = demoUscc(15);

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${q}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const post = (path: string, token: string | undefined, body: unknown) =>
    fetch(`${q}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    hub = await startTestLocalHub(data.path);
    q = hub.urls['query-api'];
    demo = ensureDemoToken(data.path);
    committee = issueToken(data.path, { name: '执委会办公室 张三', scopes: ['committee'] }).token;
    agency = issueToken(data.path, { name: '消防大队 李四', scopes: ['agency:XFDD', 'ingest:XFDD'] }).token;
    supervision = issueToken(data.path, { name: '监督办公室 王五', scopes: ['supervision'] }).token;
    expect(await loadDemoData(hub, demo)).toMatchObject({ failed: 0 });
    const total = [...demoEvents().values()].reduce((n, events) => n + events.length, 0);
    await waitFor(
      async () => {
        const text = await (await fetch(`${hub.urls.projector}/metrics`)).text();
        return Number(/^hub_projector_events_applied_total (\d+)/m.exec(text)?.[1]) >= total || undefined;
      },
      { what: 'the demo data projected', timeoutMs: SLOW, intervalMs: 250 },
    );
    // A retraction recorded after a known instant: "as of" that instant shows the event as it was.
    const history = (await (await get(`/v1/businesses/${business}/history?agency=CGJ`, demo)).json()) as J;
    retractedEventId = history.items[0].eventId;
    // To the second, so the next whole second: every demo event is recorded before it, and the
    // retraction well after it.
    const instant = Math.ceil(Date.now() / 1000) * 1000;
    beforeRetraction = new Date(instant + 8 * 3_600_000).toISOString().slice(0, 19);
    await new Promise((r) => setTimeout(r, instant - Date.now() + 1500));
    const res = await fetch(`${hub.urls['urban-construction']}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo}` },
      body: JSON.stringify({
        agency: 'CGJ',
        business: { uscc: business },
        occurredAt: new Date().toISOString(),
        source: { system: 'cgj-demo', recordId: 'RETRACT-1', revision: 0 },
        eventRetracted: { retractedEventId, reason: '录入错误 (entered by mistake)' },
      }),
    });
    expect(res.status).toBe(202);
    await waitFor(
      async () => {
        const h = (await (await get(`/v1/businesses/${business}/history?agency=CGJ`, demo)).json()) as J;
        return (
          h.items.some((e: any) => e.eventId === retractedEventId && e.status === 'retracted') || undefined
        );
      },
      { what: 'the retraction projected', timeoutMs: SLOW, intervalMs: 250 },
    );
  }, 400_000);

  afterAll(async () => {
    await hub?.stop();
    data.remove();
  });

  describe('over HTTP', () => {
    it('serves the app at / under a strict CSP, with nothing inline and immutable hashed assets', async () => {
      const res = await get('/', undefined, { accept: 'text/html', 'accept-encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain('lang="zh-CN"');
      // No inline scripts or styles, nothing from another origin.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style=/);
      expect(html).not.toMatch(/https?:\/\//);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await get(script!, undefined, { 'accept-encoding': 'gzip' });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('gzip');
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
      const again = await get(script!, undefined, { 'if-none-match': asset.headers.get('etag') ?? '' });
      expect(again.status).toBe(304);
    });

    it('answers app paths with the app and unknown API paths with a problem', async () => {
      for (const path of [`/business/${business}`, '/alerts', '/signin', '/ui']) {
        const res = await get(path, undefined, { accept: 'text/html' });
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain('<div id="app">');
      }
      const api = await get('/v1/nothing-here', demo);
      expect(api.status).toBe(404);
      expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect((await get('/assets/nothing.js')).status).toBe(404);
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/docs/openapi.json')).status).toBe(200);
    });

    it('GET /v1/me tells the token its roles, agencies and rights', async () => {
      expect((await get('/v1/me')).status).toBe(401);
      expect((await get('/v1/me', 'hub_not-a-token')).status).toBe(401);
      const c = (await (await get('/v1/me', committee)).json()) as J;
      expect(c).toMatchObject({
        subject: '执委会办公室 张三',
        roles: ['committee'],
        agencies: [],
        ingest: [],
      });
      expect(c.may).toMatchObject({ 'business.history': 'all', 'access-log.read': 'none' });
      const a = (await (await get('/v1/me', agency)).json()) as J;
      expect(a).toMatchObject({ roles: ['agency:XFDD'], agencies: ['XFDD'], ingest: ['XFDD'] });
      expect(a.may).toMatchObject({ 'transfer.list': 'own', 'alert.list': 'own', 'access-log.read': 'none' });
      const s = (await (await get('/v1/me', supervision)).json()) as J;
      expect(s.may['access-log.read']).toBe('all');
      expect((await (await get('/v1/me', demo)).json()) as J).toMatchObject({ ingest: '*' });
    });

    it('acknowledges and resolves an alert as an event of the acting agency, checking first', async () => {
      const open = (await (
        await get('/v1/alerts?status=open&agency=XFDD&kind=duplicate_inspection', demo)
      ).json()) as J;
      const alert = open.items[0];
      expect(alert).toBeDefined();
      const other = alert.agencies.find((a: string) => a !== 'XFDD') as string;
      const url = `/v1/alerts/${alert.alertId}/acknowledge`;
      expect((await post(url, undefined, { agency: 'XFDD' })).status).toBe(401);
      const bad = await post(url, agency, { agency: 'NOPE' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ errors: [{ field: 'agency' }] });
      expect((await post(url, agency, { agency: 'XFDD', colour: 'red' })).status).toBe(400);
      // The committee may read the alert but submits for no agency.
      expect((await post(url, committee, { agency: 'XFDD' })).status).toBe(403);
      // The agency token cannot act for the other agency (nor see alerts not concerning it).
      expect((await post(url, agency, { agency: other })).status).toBe(403);
      expect((await post(url, demo, { agency: 'JTJ' })).status).toBe(422);
      expect(
        (await post(`/v1/alerts/${'0'.repeat(64)}/acknowledge`, agency, { agency: 'XFDD' })).status,
      ).toBe(404);
      expect((await post(`/v1/alerts/${alert.alertId}/resolve`, agency, { agency: 'XFDD' })).status).toBe(
        400,
      );

      const ok = await post(url, agency, { agency: 'XFDD' });
      expect(ok.status).toBe(202);
      expect(await ok.json()).toMatchObject({ alertId: alert.alertId, agency: 'XFDD', status: 'accepted' });
      const acked = await waitFor(
        async () => {
          const a = (await (await get(`/v1/alerts/${alert.alertId}`, agency)).json()) as J;
          return a.status === 'acknowledged' ? a : undefined;
        },
        { what: 'the acknowledgement projected', timeoutMs: SLOW, intervalMs: 250 },
      );
      expect(acked.acknowledged).toMatchObject({ agency: 'XFDD', by: '消防大队 李四' });
      expect((await post(url, agency, { agency: 'XFDD' })).status).toBe(409);
      const resolved = await post(`/v1/alerts/${alert.alertId}/resolve`, agency, {
        agency: 'XFDD',
        reason: '已与质监局联合检查',
      });
      expect(resolved.status).toBe(202);
      await waitFor(
        async () => {
          const a = (await (await get(`/v1/alerts/${alert.alertId}`, agency)).json()) as J;
          return a.status === 'resolved' && a.resolved.reason === '已与质监局联合检查' ? a : undefined;
        },
        { what: 'the resolution projected', timeoutMs: SLOW, intervalMs: 250 },
      );
      // The acknowledgement is an event in the business's history, like any agency's.
      const history = (await (
        await get(`/v1/businesses/${alert.uscc}/history?eventType=alertAcknowledged`, demo)
      ).json()) as J;
      expect(history.items).toEqual([
        expect.objectContaining({ agency: 'XFDD', eventType: 'alertAcknowledged' }),
      ]);
    });

    it('shows the profile burden limit and the quiet period after a joint inspection', async () => {
      const p = (await (await get(`/v1/businesses/${demoUscc(4)}`, committee)).json()) as J;
      expect(p.inspectionBurden.limit).toBe(4);
      expect(p).toHaveProperty('quietPeriod');
    });
  });

  describe.skipIf(!HAVE_CHROMIUM)('in a real browser', () => {
    let browser: Browser;
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    }, SLOW);
    afterAll(async () => {
      await browser?.close();
    });

    async function open(
      token: string | undefined,
      width = 1366,
      height = 768,
    ): Promise<{ ctx: BrowserContext; page: Page }> {
      const ctx = await browser.newContext({
        viewport: { width, height },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await ctx.newPage();
      page.setDefaultTimeout(60_000);
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${q}/`);
      if (token) {
        await page.fill('#token', token);
        await page.click('form button[type=submit]');
        await page.waitForSelector('[data-testid=principal]');
      }
      return { ctx, page };
    }
    const shot = async (page: Page, name: string) => {
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`) });
    };
    const navTexts = (page: Page) => page.locator('nav.side a').allTextContents();

    it('signs in with a committee token: its role, search, the business timeline, filters and as-of', async () => {
      const { ctx, page } = await open(undefined);
      await shot(page, 'signin');
      await page.fill('#token', 'hub_wrong');
      await page.click('form button[type=submit]');
      await page.getByText('令牌无效或已吊销').waitFor();
      await page.fill('#token', committee);
      await page.click('form button[type=submit]');
      expect(await page.locator('[data-testid=roles]').textContent()).toContain('执委会办公室');
      // The token is kept for the tab only, never in the address.
      expect(page.url()).not.toContain(committee);
      expect(await page.evaluate(() => Object.values(sessionStorage as Record<string, string>))).toContain(
        committee,
      );
      const nav = (await navTexts(page)).join('|');
      expect(nav).toContain('企业查询');
      expect(nav).not.toContain('访问日志');

      // An invalid code is flagged inline with the reason and never sent.
      let searches = 0;
      page.on('request', (r) => {
        if (r.url().includes('/v1/businesses?')) searches++;
      });
      await page.click('nav a[href="/search"]');
      await page.fill('#q', '91350100M000100Y44');
      expect(await page.locator('[data-testid=uscc-problem]').textContent()).toContain('校验位错误');
      await page.press('#q', 'Enter');
      expect(await page.locator('form[role=search] button[type=submit]').isDisabled()).toBe(true);
      expect(searches).toBe(0);

      await page.fill('#q', '示范县安居物业');
      await page.press('#q', 'Enter');
      await page.waitForSelector('[data-testid=search-results]');
      expect(searches).toBe(1);
      await shot(page, 'search');
      await page.click(`a[href="/business/${business}"]`);
      const timeline = page.locator('[data-testid=timeline][data-state=complete]');
      await timeline.waitFor();
      const all = Number(await timeline.getAttribute('data-count'));
      expect(all).toBeGreaterThan(5);
      expect(await page.locator('[data-testid=profile]').textContent()).toContain('县城管局');
      const retracted = page.locator('[data-testid=timeline-row][data-status=retracted]');
      expect(await retracted.count()).toBe(1);
      expect(await retracted.textContent()).toContain('已撤回');
      await shot(page, 'business');

      // Filter by agency: only that agency's rows, fewer of them.
      await page.selectOption('select[name=agency]', 'AJJ');
      await page.click('form.filters button[type=submit]');
      await page.waitForFunction((n) => {
        const t = document.querySelector('[data-testid=timeline][data-state=complete]');
        return t !== null && Number(t.getAttribute('data-count')) < n;
      }, all);
      const agencies = await page
        .locator('[data-testid=timeline-row]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agency')));
      expect(new Set(agencies)).toEqual(new Set(['AJJ']));
      expect(page.url()).toContain('agency=AJJ');

      // As of a moment before the retraction: a banner, and the event as it was then.
      await page.click('form.filters button.secondary');
      await page.fill('input[name=asOf]', beforeRetraction);
      await page.click('form.filters button[type=submit]');
      await page.locator('[data-testid=asof-banner]').waitFor();
      await page.waitForSelector('[data-testid=timeline][data-state=complete]');
      await page.waitForFunction(
        () => !document.querySelector('[data-testid=timeline-row][data-status=retracted]'),
      );
      expect(await page.locator('[data-testid=timeline-row][data-type=eventRetracted]').count()).toBe(0);
      await shot(page, 'business-asof');

      // The access log is not offered, and refused when asked for directly.
      await page.goto(`${q}/access-log`);
      await page.locator('.error strong', { hasText: '无权访问' }).waitFor();
      await ctx.close();
    });

    it('signs in with an agency token: its alerts, acknowledging one, and pre-visit checks', async () => {
      const { ctx, page } = await open(agency);
      expect(await page.locator('[data-testid=agency]').textContent()).toContain('XFDD');
      expect((await navTexts(page)).join('|')).not.toContain('访问日志');

      await page.click('nav a[href="/alerts"]');
      await page.waitForSelector('[data-testid=alert-row]');
      const concerning = await page
        .locator('[data-testid=alert-row]')
        .evaluateAll((rows) => rows.every((r) => r.textContent?.includes('消防大队')));
      expect(concerning).toBe(true);
      const row = page.locator('[data-testid=alert-row][data-status=open]').first();
      const id = await row.getAttribute('data-alert');
      await row.getByRole('button').click();
      await shot(page, 'alerts');
      await page.click('[data-testid=ack]');
      // The list refreshes by itself: the row changes without a reload.
      await page
        .locator(`[data-testid=alert-row][data-alert="${id}"][data-status=acknowledged]`)
        .waitFor({ timeout: SLOW });
      expect(await page.locator(`[data-alert="${id}"] [data-testid=alert-status]`).textContent()).toContain(
        '已确认',
      );

      // Pre-visit check: business 4 had a joint inspection on 19 November → conflicts.
      await page.click('nav a[href="/check"]');
      await page.fill('input[name=uscc]', demoUscc(4));
      await page.fill('input[name=date]', '2026-11-25');
      await page.locator('input[name=matter]').first().check();
      await page.click('form.stack button[type=submit]');
      const result = page.locator('[data-testid=check-result]');
      await result.waitFor();
      expect(await result.getAttribute('data-clear')).toBe('false');
      expect(await result.textContent()).toContain('存在冲突');
      await shot(page, 'check');
      // A complaint-driven visit is never a duplicate: clear to go.
      await page.selectOption('select[name=reason]', 'COMPLAINT');
      await page.click('form.stack button[type=submit]');
      await page.locator('[data-testid=check-result][data-clear=true]').waitFor();
      await ctx.close();
    });

    it('signs in with a supervision token: the access log, evaluation charts, transfers', async () => {
      const { ctx, page } = await open(supervision);
      await page.click('nav a[href="/access-log"]');
      await page.waitForSelector('[data-testid=access-log]');
      expect(await page.locator('[data-testid=access-log]').textContent()).toContain('执委会办公室 张三');

      await page.click('nav a[href="/evaluation"]');
      await page.fill('form.filters input >> nth=0', '2026-01-01');
      await page.fill('form.filters input >> nth=1', '2026-12-31');
      await page.click('form.filters button[type=submit]');
      await page.locator('[data-testid=chart-agencies] canvas').waitFor();
      await page.locator('[data-testid=chart-trend] canvas').waitFor();
      expect(await page.locator('[data-testid=figures] tbody tr').count()).toBeGreaterThan(5);
      await shot(page, 'evaluation');

      await page.click('nav a[href="/transfers"]');
      await page.waitForSelector('[data-testid=transfers] tbody tr');
      expect(await page.locator('[data-testid=transfers]').textContent()).toContain('城管移');
      await shot(page, 'transfers');
      await page.click('nav a[href="/matters"]');
      await page.waitForSelector('[data-testid=matters] tbody tr');
      await page.fill('input[name=q]', '消防法');
      await shot(page, 'matters');
      await ctx.close();
    });

    it('is usable from the keyboard alone', async () => {
      const { ctx, page } = await open(undefined);
      await page.waitForSelector('#token');
      await page.keyboard.press('Tab'); // skip link
      await page.keyboard.press('Tab'); // brand
      let focused = '';
      for (let i = 0; i < 20 && focused !== 'token'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id ?? '');
      }
      expect(focused).toBe('token');
      await page.keyboard.type(committee);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=principal]');
      await ctx.close();
    });

    it('says so in a banner when the API is down, without a blank page', async () => {
      const { ctx, page } = await open(committee, 1920, 1080);
      await page.click('nav a[href="/search"]');
      await hub.services.find((s) => s.name === 'query-api')?.stop();
      await page.fill('#q', '示范县');
      await page.press('#q', 'Enter');
      await page.locator('[data-testid=api-down]').waitFor();
      expect(await page.locator('h1').textContent()).toContain('企业查询');
      await ctx.close();
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
