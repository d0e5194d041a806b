/**
 * Publish-to-alert latency under load: while a background publisher keeps several thousand
 * events per second flowing (complaint-driven inspections of distinct businesses, which raise
 * nothing), a trigger — the second routine inspection of one business by the same agency
 * within the window — is published, and the clock stops when the alert is readable in the
 * read model the query API serves; the same trigger's timeline row gives publish → visible in
 * history. One trigger at a time; p50/p99 over all of them.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { headers } from '@nats-io/transport-node';
import { OFFICE_AGENCY } from '@hub/domain';
import { ensureKeysRegistered, loadOrCreateSigningKey, signatureHeaders } from '@hub/platform';
import { currentReadModelPath, openReadModelFile } from '@hub/read-model';
import { SAMPLE_OFFICERS, sampleUscc, tempDir } from '@hub/testing';
import { startBenchNats } from '../lib/nats.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { percentiles } from '../lib/stats.js';
import { latency, throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import { toBenchEvent, type BenchEvent } from '../lib/workload.js';

const ALERTS_TABLE = 'alerts';
const settings = (quick: boolean) =>
  quick ? { triggers: 20, backgroundPerSecond: 2_000 } : { triggers: 100, backgroundPerSecond: 3_000 };

/** Why alerts cannot be measured yet: the projector's read model has no alerts table. */
async function alertsMissing(ctx: RunContext): Promise<string | undefined> {
  const missing = serviceMissing('projector');
  if (missing) return missing;
  const dir = tempDir('hub-bench-probe-');
  ctx.defer(() => dir.remove());
  const { sqlite } = await openReadModelFile(join(dir.path, 'probe.sqlite'));
  const row = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(ALERTS_TABLE);
  sqlite.close();
  return row
    ? undefined
    : '待定 (pending): 投影尚未生成预警 — the projector does not derive alerts yet (no `alerts` table in the read model; issue 5)';
}

/**
 * Dates near today's: the projector's clock ticks move the rules' watermark to now, and an
 * inspection older than the window's horizon would take the retrospective path (a late record)
 * instead of the live one measured here.
 */
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

const inspection = (
  uscc: string,
  inspectionId: string,
  reason: string,
  occurredAt: string,
  recordId: string,
): Record<string, unknown> => ({
  agency: 'GSJ',
  business: { uscc, name: `预警测试企业${inspectionId}` },
  occurredAt,
  source: { system: 'gsj-case', recordId, revision: 0 },
  inspectionCompleted: {
    inspectionId,
    reason,
    result: 'INSPECTION_RESULT_NO_ISSUES',
    matterCodes: ['D6-GSJ-001'],
    officers: SAMPLE_OFFICERS,
  },
});

export const hubAlerts: Scenario = {
  name: 'hub-alerts',
  title: '发布到预警可读的延迟 (publish-to-alert latency under background load)',
  unavailable: alertsMissing,
  sizes: (quick) => settings(quick),
  runs: { full: 3, quick: 1 },
  async run(ctx) {
    const { triggers, backgroundPerSecond } = settings(ctx.quick);
    ctx.log(
      `${triggers} triggers at ${backgroundPerSecond.toLocaleString('en-US')} ev/s background${ctx.quick ? ' (quick: the goals are set at 3 000 ev/s)' : ''}`,
    );
    const nats = await startBenchNats(ctx);
    const data = tempDir('hub-bench-alerts-');
    ctx.defer(() => rmSync(data.path, { recursive: true, force: true }));
    // Signatures are required: the department's and the committee office's keys (clock ticks,
    // calendars) are registered as the local hub does, and every event is signed as the relay signs.
    const key = loadOrCreateSigningKey(data.path, 'GSJ');
    await ensureKeysRegistered(nats.nc, [key, loadOrCreateSigningKey(data.path, OFFICE_AGENCY)], 'bench');
    const publish = (e: BenchEvent) => {
      const h = headers();
      h.set('Nats-Msg-Id', e.msgId);
      for (const [k, v] of signatureHeaders(key, e.bytes)) h.set(k, v);
      return nats.js.publish(e.subject, e.bytes, { headers: h });
    };
    const projector = await startService(
      ctx,
      'projector',
      { NATS_URL: nats.server.url, HUB_DATA_DIR: data.path },
      async (url) => (await fetch(`${url}/healthz`)).status === 200,
    );
    const db = new Database(currentReadModelPath(data.path), { readonly: true, fileMustExist: true });
    ctx.defer(() => void db.close());
    const countAlerts = db.prepare(`SELECT count(*) AS n FROM ${ALERTS_TABLE}`).pluck();
    // What the history endpoint reads: the event's timeline row.
    const visible = db.prepare('SELECT 1 FROM timeline WHERE event_id = ?').pluck();
    // Why a trigger raised nothing: the projector refused it (dead letters, by reason).
    const refused = db.prepare(
      'SELECT reason, count(*) AS n, min(detail) AS detail FROM dead_letters GROUP BY reason',
    );
    const alertsOf = db.prepare('SELECT kind, status FROM alerts WHERE uscc = ?');
    const whyNot = (first: BenchEvent, second: BenchEvent) => {
      const rows = refused.all() as { reason: string; n: number; detail: string }[];
      const dead = rows.map((r) => `${r.n} ${r.reason}: ${r.detail.slice(0, 160)}`).join('; ');
      const where = (e: BenchEvent) =>
        visible.get(e.json.eventId) === undefined ? 'not in the timeline' : 'in the timeline';
      const uscc = (first.json.business as { uscc: string }).uscc;
      const raised = (alertsOf.all(uscc) as { kind: string; status: string }[])
        .map((a) => `${a.kind} ${a.status}`)
        .join(', ');
      return `first ${where(first)}, second ${where(second)}; the business's alerts: ${raised || 'none'}; dead letters: ${dead || 'none'}`;
    };

    // Background: every 10 ms a slice of complaint-driven inspections, each of a new business.
    let stop = false;
    let background = 0;
    const bgStart = performance.now();
    const loop = (async () => {
      const perTick = Math.max(1, Math.round(backgroundPerSecond / 100));
      while (!stop) {
        const tick = performance.now();
        const acks: Promise<unknown>[] = [];
        for (let k = 0; k < perTick; k++) {
          const i = background++;
          const e = toBenchEvent(
            inspection(
              sampleUscc(2_000_000 + i),
              `BG-${i}`,
              'INSPECTION_REASON_COMPLAINT',
              daysAgo(2),
              `BG-${i}`,
            ),
          );
          acks.push(publish(e));
        }
        await Promise.all(acks);
        const wait = 10 - (performance.now() - tick);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();

    const samples: number[] = [];
    const visibleSamples: number[] = [];
    let lagAtEnd = Number.NaN;
    const lag = async () => {
      const text = await (await fetch(`${projector.url}/metrics`)).text();
      return Number(/^hub_projector_lag_events\s+(\d+)/m.exec(text)?.[1] ?? Number.NaN);
    };
    try {
      await new Promise((r) => setTimeout(r, 1000));
      for (let k = 0; k < triggers; k++) {
        const uscc = sampleUscc(5_000_000 + k);
        const first = toBenchEvent(
          inspection(uscc, `TR-${k}-A`, 'INSPECTION_REASON_RANDOM_SELECTION', daysAgo(5), `TR-${k}-A`),
        );
        await publish(first);
        await new Promise((r) => setTimeout(r, 30));
        const before = countAlerts.get() as number;
        const second = toBenchEvent(
          inspection(uscc, `TR-${k}-B`, 'INSPECTION_REASON_RANDOM_SELECTION', daysAgo(1), `TR-${k}-B`),
        );
        const t0 = performance.now();
        await publish(second);
        const deadline = t0 + 30_000;
        const eventId = second.json.eventId as string;
        let seen: number | undefined;
        while ((countAlerts.get() as number) <= before) {
          if (seen === undefined && visible.get(eventId) !== undefined) seen = performance.now() - t0;
          if (performance.now() > deadline) {
            throw new Error(
              `no alert within 30 s for trigger ${k} (${samples.length} measured so far, projector lag ${await lag()} events; ${whyNot(first, second)})`,
            );
          }
          await new Promise((r) => setTimeout(r, 1));
        }
        const alerted = performance.now() - t0;
        samples.push(alerted);
        // The row and its alert commit in one transaction: seen at the latest with the alert.
        visibleSamples.push(seen ?? alerted);
        await new Promise((r) => setTimeout(r, 20));
      }
      lagAtEnd = await lag();
    } finally {
      stop = true;
      await loop;
      await projector.stop();
    }
    const p = percentiles(samples);
    const v = percentiles(visibleSamples);
    const out: Measurement[] = [
      latency('publish → visible in history p50', v.p50),
      latency('publish → visible in history p99', v.p99),
      latency('publish → alert readable p50', p.p50),
      latency('publish → alert readable p99', p.p99),
      throughput('background load achieved', background, performance.now() - bgStart),
      // Non-zero and growing means the projector fell behind: the latency then measures the backlog.
      { metric: 'projector lag at the end', value: lagAtEnd, unit: 'events', better: 'lower' },
    ];
    return out;
  },
};
