/**
 * The dashboard's business page in headless Chromium: a business with a 1 000-event history
 * across six agencies, from navigation start to the whole timeline on screen (the page's
 * `hub:timeline-complete` performance mark; also the first 500 rows), over 50 loads, served by the query API process
 * (index.html, JS from the browser cache after the first load, /v1/me, the profile and two
 * 500-row history pages). Also the gzipped size of the JS the first page loads, and of all JS.
 * Goals: p99 ≤ 1 s, initial JS ≤ 300 kB gzipped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jetstream } from '@nats-io/jetstream';
import { chromium } from 'playwright-core';
import { mattersOfAgency, officersOfAgency, eventSubject, parseHubEvent, withUsccCheck } from '@hub/domain';
import { connectNats, encodeEvent, ensureStreams, issueToken, newEventId, silentLogger } from '@hub/platform';
import { createProjector } from '@hub/projector';
import { currentReadModelPath, readModelDir } from '@hub/read-model';
import { startTestNats, tempDir } from '@hub/testing';
import { REPO_ROOT, serviceMissing, startService } from '../lib/service-process.js';
import { percentiles } from '../lib/stats.js';
import { latency, type Measurement, type RunContext, type Scenario } from '../lib/types.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DIST = resolve(REPO_ROOT, 'services', 'dashboard', 'dist');
const EVENTS = 1_000;
const loadsFor = (quick: boolean) => (quick ? 20 : 50);
const WARMUP = 3;
const USCC = withUsccCheck('91350100B00000001');
const AGENCIES = ['GSJ', 'SYJ', 'ZJJ', 'CGJ', 'XFDD', 'AJJ'] as const;
const REASONS = [
  'INSPECTION_REASON_RANDOM_SELECTION',
  'INSPECTION_REASON_ANNUAL_PLAN',
  'INSPECTION_REASON_COMPLAINT',
  'INSPECTION_REASON_FOLLOW_UP',
] as const;

interface DashboardFixture extends Record<string, unknown> {
  dataDir: string;
}

/** One business's history: inspections by six agencies, a complaint every 25th event, over two years. */
function history() {
  const out = [];
  const start = Date.parse('2025-01-01T02:00:00Z');
  for (let i = 0; i < EVENTS; i++) {
    const agency = AGENCIES[i % AGENCIES.length] ?? 'GSJ';
    const matter = mattersOfAgency(agency).find((m) => m.leadAgency === agency)?.code ?? 'D6-GSJ-001';
    const at = new Date(start + i * 17 * 3_600_000).toISOString();
    const id = `BENCH-${agency}-${i}`;
    const payload =
      i % 25 === 24
        ? {
            complaintReceived: {
              complaintId: id,
              summary: '群众反映经营场所存在隐患',
              matterCodes: [matter],
              complainant: { name: '王女士', phone: '13800000000' },
            },
          }
        : {
            inspectionCompleted: {
              inspectionId: id,
              reason: REASONS[i % REASONS.length],
              result: 'INSPECTION_RESULT_NO_ISSUES',
              matterCodes: [matter],
              officers: officersOfAgency(agency)
                .slice(0, 2)
                .map((o) => ({ certificateNo: o.certificateNo, name: o.name })),
            },
          };
    const parsed = parseHubEvent({
      eventId: newEventId(),
      agency,
      business: { uscc: USCC, name: '基准测试商贸有限公司' },
      occurredAt: at,
      recordedAt: at,
      source: { system: `${agency.toLowerCase()}-bench`, recordId: id, revision: 0 },
      ...payload,
    });
    if (!parsed.ok) throw new Error(`bench event ${id}: ${JSON.stringify(parsed.issues)}`);
    out.push(parsed.value);
  }
  return out;
}

async function setup(ctx: RunContext): Promise<DashboardFixture> {
  const data = tempDir('hub-bench-dashboard-');
  ctx.defer(() => rmSync(data.path, { recursive: true, force: true }));
  const nats = await startTestNats();
  ctx.defer(() => nats.stop());
  const nc = await connectNats({ servers: nats.url, name: 'bench-dashboard' });
  ctx.defer(() => nc.close());
  await ensureStreams(nc);
  const js = jetstream(nc);
  for (const e of history()) {
    await js.publish(eventSubject(e.agency, e.type, e.business.uscc), encodeEvent(e), {
      msgID: `${e.agency}/${e.source.recordId}/${e.source.revision}`,
    });
  }
  mkdirSync(readModelDir(data.path), { recursive: true });
  const projector = createProjector({
    nc,
    readModelPath: currentReadModelPath(data.path),
    logger: silentLogger(),
  });
  await projector.start();
  await projector.catchUp();
  await projector.stop();
  ctx.log(`read model with one business of ${EVENTS} events at ${data.path}`);
  return { dataDir: data.path };
}

/** Gzipped bytes of the JS index.html loads, and of every JS file of the build. */
export function bundleSizes(dist = DIST): { initialJsGzip: number; allJsGzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const gz = (path: string) => gzipSync(readFileSync(join(dist, path))).length;
  const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialJsGzip: initial.reduce((n, p) => n + gz(p), 0),
    allJsGzip: assets.reduce((n, f) => n + gz(join('assets', f)), 0),
  };
}

export const hubDashboard: Scenario<DashboardFixture> = {
  name: 'hub-dashboard',
  title: '控制台企业档案页 (dashboard business page in headless Chromium)',
  unavailable() {
    if (!existsSync(CHROMIUM))
      return Promise.resolve(`没有 Chromium (no ${CHROMIUM}): apt-get install -y chromium`);
    if (!existsSync(join(DIST, 'index.html')))
      return Promise.resolve('控制台尚未构建 (dashboard not built): npm run build');
    return Promise.resolve(serviceMissing('query-api'));
  },
  sizes: (quick) => ({ events: EVENTS, loads: loadsFor(quick) }),
  runs: { full: 1, quick: 1 },
  setup,
  async run(ctx, f) {
    const sizes = bundleSizes();
    ctx.log(
      `JS gzipped: initial ${(sizes.initialJsGzip / 1024).toFixed(1)} kB, all ${(sizes.allJsGzip / 1024).toFixed(1)} kB`,
    );
    const { token } = issueToken(f.dataDir, { name: 'bench', scopes: ['committee'] });
    const api = await startService(
      ctx,
      'query-api',
      { HUB_DATA_DIR: f.dataDir, DASHBOARD_DIR: DIST },
      async (url) => (await fetch(`${url}/healthz`)).status === 200,
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    ctx.defer(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // The first profile of a long history folds it through the coordination rules (seconds on a
    // busy machine) and holds the API meanwhile: the warm-up loads wait for it, untimed.
    page.setDefaultTimeout(300_000);
    await page.goto(`${api.url}/`);
    await page.fill('#token', token);
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=principal]');

    const samples: number[] = [];
    const firstRows: number[] = [];
    const loads = loadsFor(ctx.quick);
    for (let i = -WARMUP; i < loads; i++) {
      await page.goto(`${api.url}/business/${USCC}`);
      await page.waitForSelector('[data-testid=timeline][data-state=complete]');
      const [ms, first] = await page.evaluate(async () => {
        const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
        for (let k = 0; k < 100 && at('hub:timeline-complete') === undefined; k++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        return [at('hub:timeline-complete') ?? Number.NaN, at('hub:timeline-first-rows') ?? Number.NaN];
      });
      const count = Number(await page.getAttribute('[data-testid=timeline]', 'data-count'));
      if (count !== EVENTS) throw new Error(`timeline shows ${count} events, expected ${EVENTS}`);
      if (i >= 0) {
        samples.push(ms);
        firstRows.push(first);
      }
    }
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map(
          (e) =>
            `${e.name.replace(/^https?:\/\/[^/]+/, '').slice(0, 60)} ${Math.round(e.startTime)}+${Math.round(e.duration)}`,
        ),
    );
    ctx.log(`last load: ${timings.join(' | ')}`);
    await browser.close();
    await api.stop();
    const p = percentiles(samples);
    const f1 = percentiles(firstRows);
    const out: Measurement[] = [
      latency('navigation → timeline p50', p.p50),
      latency('navigation → timeline p99', p.p99),
      latency('navigation → first 500 rows p50', f1.p50),
      { metric: 'initial JS, gzipped', value: sizes.initialJsGzip / 1024, unit: 'kB', better: 'lower' },
      { metric: 'all JS, gzipped', value: sizes.allJsGzip / 1024, unit: 'kB', better: 'lower' },
    ];
    return out;
  },
};
