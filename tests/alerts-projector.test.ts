/**
 * Alerts in the projector against a real nats-server (issue 5): the seeded scenario published
 * to ENF_EVENTS, projected by the live projector; alert counts per kind equal what the
 * scenario planted; lifecycle events update the rows; each alert is published once per agency
 * (a restart and a `hub rebuild` publish nothing more); a verify still reports equality.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import { ALERT_KINDS, ALERTS_STREAM, eventSubject, isEventType } from '@hub/domain';
import { connectNats, encodeCanonical, ensureStreams, silentLogger } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats, generateScenario } from '@hub/testing';
import { createLiveProjector, rebuildLive, verifyReadModel, type LiveProjector } from '@hub/projector';
import { currentReadModelPath, openReadModel } from '@hub/read-model';
import { hubEvent, inspection, publish, usccOf } from './query-fixture.js';

let nats: TestNats;
let nc: NatsConnection;
let sub: Subscription;
const dir = tempDir('alerts-projector-');
const scenario = generateScenario({ seed: 11, businesses: 240 });
/** Every alert message seen on core NATS: a republish shows here even when JetStream drops it. */
const seen: string[] = [];

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'alerts-projector-test' });
  await ensureStreams(nc);
  sub = nc.subscribe('enf.alert.>', {
    callback: (_e, m) => {
      seen.push(`${m.json<{ alertId: string }>().alertId}/${m.subject.split('.')[3]}`);
    },
  });
  const js = jetstream(nc, { timeout: 30_000 });
  await Promise.all(
    scenario.events.map((e) => {
      const type = Object.keys(e).find(isEventType)!;
      const source = e.source as { recordId: string; revision: number };
      return js.publish(
        eventSubject(e.agency as string, type, (e.business as { uscc: string }).uscc),
        encodeCanonical(e),
        { msgID: `${e.agency as string}/${source.recordId}/${source.revision}` },
      );
    }),
  );
});
afterAll(async () => {
  sub?.unsubscribe();
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

const readAlerts = async () => {
  const db = openReadModel({ path: currentReadModelPath(dir.path) });
  try {
    return await db.selectFrom('alerts').selectAll().orderBy('alert_id').execute();
  } finally {
    await db.destroy();
  }
};
const expectedMessages = (rows: { alert_id: string; agencies_json: string }[]) =>
  rows.flatMap((r) => (JSON.parse(r.agencies_json) as string[]).map((a) => `${r.alert_id}/${a}`)).sort();
const streamCount = async () =>
  (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(ALERTS_STREAM)).state.messages;

/**
 * A fresh business inspected by two agencies 10 days apart, late in the year: one new
 * duplicate alert. Delivery is sequential, so once its messages arrived anything published
 * before them (a wrongful republish) has arrived too.
 */
let markers = 0;
async function marker(live: LiveProjector): Promise<string> {
  markers += 1;
  const uscc = usccOf(900 + markers);
  const day = 10 + markers;
  await publish(nc, [
    hubEvent(
      inspection('GSJ', uscc, `MK-G-${markers}`, `2026-12-${day}T02:00:00Z`, `2026-12-${day}T03:00:00Z`),
    ),
    hubEvent({
      ...inspection(
        'SYJ',
        uscc,
        `MK-S-${markers}`,
        `2026-12-${day + 5}T02:00:00Z`,
        `2026-12-${day + 5}T03:00:00Z`,
      ),
      payload: {
        ...inspection('SYJ', uscc, `MK-S-${markers}`, '', '').payload,
        matterCodes: ['D1-SYJ-001'],
        officers: [
          { certificateNo: 'SYJ-0001', name: '王芳' },
          { certificateNo: 'SYJ-0002', name: '赵磊' },
        ],
      },
    }),
  ]);
  await live.current()!.catchUp();
  const row = (await readAlerts()).find((r) => r.uscc === uscc);
  expect(row?.kind).toBe('duplicate_inspection');
  await waitFor(() => (seen.filter((s) => s.startsWith(row!.alert_id)).length === 2 ? true : undefined), {
    what: 'marker alert delivered',
  });
  return row!.alert_id;
}

describe('alerts in the projector', () => {
  let live: LiveProjector;

  it('given the scenario, when the live projector catches up, then the planted alerts are stored and each is published once per agency', async () => {
    live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger(), pollMs: 50 });
    await live.start();
    await live.current()!.catchUp();
    const rows = await readAlerts();
    const counts = Object.fromEntries(ALERT_KINDS.map((k) => [k, rows.filter((r) => r.kind === k).length]));
    expect(counts).toEqual(scenario.planted);
    const withdrawn = rows.filter((r) => r.status === 'withdrawn').length;
    expect(withdrawn).toBe(Object.values(scenario.plantedWithdrawn).reduce((a, b) => a + b, 0));

    const expected = expectedMessages(rows);
    await waitFor(() => (seen.length >= expected.length ? true : undefined), { what: 'alerts delivered' });
    await marker(live);
    expect(seen.length).toBe(expected.length + 2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await streamCount()).toBe(seen.length);
  });

  it('given stored alerts, when agencies acknowledge, resolve and answer the joint-inspection proposal, then the rows follow', async () => {
    const rows = await readAlerts();
    const dup = rows.find((r) => r.kind === 'duplicate_inspection' && r.status === 'open')!;
    const plan = rows.find((r) => r.kind === 'plan_overlap' && r.status === 'open')!;
    const [a1, a2] = JSON.parse(plan.agencies_json) as [string, string];
    const proposal = (JSON.parse(plan.detail_json) as { details: { proposal: Record<string, unknown> } })
      .details.proposal;
    const dupAgency = (JSON.parse(dup.agencies_json) as string[])[0]!;
    const ev = (agency: string, n: number, type: string, payload: Record<string, unknown>) =>
      hubEvent({
        agency,
        uscc: dup.uscc,
        occurredAt: `2026-12-28T0${n}:00:00Z`,
        recordedAt: `2026-12-28T0${n}:00:01Z`,
        recordId: `LC-${n}`,
        type,
        payload,
      });
    await publish(nc, [
      ev(dupAgency, 1, 'alertAcknowledged', { alertId: dup.alert_id, by: '张明' }),
      ev(dupAgency, 2, 'alertResolved', {
        alertId: dup.alert_id,
        by: '张明',
        reason: '已与食药监局沟通，合并下次检查',
      }),
      {
        ...ev(a1, 3, 'jointInspectionProposed', { ...proposal, alertId: plan.alert_id }),
        business: { uscc: plan.uscc },
      },
      {
        ...ev(a2, 4, 'jointInspectionAccepted', { jointInspectionId: proposal.jointInspectionId }),
        business: { uscc: plan.uscc },
      },
    ]);
    await live.current()!.catchUp();
    const after = await readAlerts();
    const d = after.find((r) => r.alert_id === dup.alert_id)!;
    expect(d).toMatchObject({
      status: 'resolved',
      acknowledged_by: '张明',
      acknowledged_at: '2026-12-28T01:00:01.000Z',
      resolved_reason: '已与食药监局沟通，合并下次检查',
      resolved_at: '2026-12-28T02:00:01.000Z',
    });
    const p = after.find((r) => r.alert_id === plan.alert_id)!;
    expect(p.joint_inspection_id).toBe(proposal.jointInspectionId);
    expect(p.joint_status).toBe('accepted');
  });

  it('given delivered alerts, when the projector restarts (or crashed before marking), then nothing is published twice', async () => {
    const before = seen.length;
    await live.stop();
    // As if it crashed after JetStream acknowledged but before the delivery file was marked.
    const file = new Database(join(dir.path, 'read-model', 'alert-deliveries.sqlite'));
    const lost = file
      .prepare('SELECT alert_id, agency FROM alert_deliveries ORDER BY stream_seq DESC LIMIT 1')
      .get() as { alert_id: string; agency: string };
    file
      .prepare('DELETE FROM alert_deliveries WHERE alert_id = ? AND agency = ?')
      .run(lost.alert_id, lost.agency);
    file.close();
    const stored = await streamCount();

    live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger(), pollMs: 50 });
    await live.start();
    await marker(live);
    // The unmarked one went out again with the same Nats-Msg-Id: JetStream kept one copy.
    expect(seen.length).toBe(before + 1 + 2);
    expect(seen.slice(before, before + 1)).toEqual([`${lost.alert_id}/${lost.agency}`]);
    expect(await streamCount()).toBe(stored + 2);
  });

  it('given a live read model, when `hub rebuild` switches files, then nothing is published and verify reports equality', async () => {
    const before = seen.length;
    const rebuilt = await rebuildLive({ nc, dataDir: dir.path });
    await waitFor(() => (live.current()?.path === rebuilt.path ? true : undefined), { what: 'switch' });
    await live.current()!.catchUp();
    await marker(live);
    expect(seen.length).toBe(before + 2);

    const report = await verifyReadModel({ nc, livePath: currentReadModelPath(dir.path), tempDir: dir.path });
    const alertTables = report.tables.filter((t) => t.table.startsWith('alert'));
    expect(alertTables.map((t) => [t.table, t.equal, t.liveRows > 0]).sort()).toEqual([
      ['alert_agencies', true, true],
      ['alerts', true, true],
    ]);
    expect(report.equal).toBe(true);
    await live.stop();
    rmSync(rebuilt.previous, { force: true });
  });
});
