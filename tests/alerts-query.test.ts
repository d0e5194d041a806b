/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- JSON bodies of HTTP answers */
/**
 * Alerts and the pre-visit check in the query API, over real HTTP against a read model the
 * real projector built from events on a real nats-server (issue 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubEvent, inspection, startQueryFixture, usccOf, type QueryFixture } from './query-fixture.js';

let f: QueryFixture;
const X = usccOf(501); // duplicate: GSJ then SYJ, ten days apart
const Y = usccOf(502); // overlapping plans: SYJ then GSJ
const FRESH = usccOf(503);
const SYJ_OFFICERS = [
  { certificateNo: 'SYJ-0001', name: '王芳' },
  { certificateNo: 'SYJ-0002', name: '赵磊' },
];
const syj = (spec: ReturnType<typeof inspection>, matterCodes: string[], reason?: string) => ({
  ...spec,
  payload: { ...spec.payload, matterCodes, officers: SYJ_OFFICERS, ...(reason ? { reason } : {}) },
});
const plan = (
  agency: string,
  uscc: string,
  id: string,
  at: string,
  plannedFor: string,
  matterCodes: string[],
) => ({
  agency,
  uscc,
  occurredAt: at,
  recordedAt: at,
  recordId: id,
  type: 'inspectionPlanned',
  payload: { inspectionId: id, reason: 'INSPECTION_REASON_ANNUAL_PLAN', matterCodes, plannedFor },
});

beforeAll(async () => {
  f = await startQueryFixture();
  await f.project(
    [
      inspection('GSJ', X, 'AQ-G1', '2026-03-02T02:00:00Z', '2026-03-02T03:00:00Z'),
      syj(
        inspection('SYJ', X, 'AQ-S1', '2026-03-12T02:00:00Z', '2026-03-12T03:00:00Z'),
        ['D1-SYJ-001'],
        'INSPECTION_REASON_ANNUAL_PLAN',
      ),
      plan('SYJ', Y, 'AQ-P1', '2026-03-20T01:00:00Z', '2026-04-11T01:00:00Z', ['D1-SYJ-001', 'D1-SYJ-002']),
      plan('GSJ', Y, 'AQ-P2', '2026-03-21T01:00:00Z', '2026-04-16T01:00:00Z', ['D6-GSJ-001']),
    ].map(hubEvent),
  );
});
afterAll(async () => {
  await f?.stop();
});

async function post(path: string, body: unknown, role?: string) {
  const token = role === undefined ? undefined : ((f.tokens as Record<string, string>)[role] ?? role);
  const res = await fetch(`${f.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('GET /v1/alerts', () => {
  it('lists the alerts the rules raised, newest first, with filters', async () => {
    const all = await f.get('/v1/alerts', 'committee');
    expect(all.status).toBe(200);
    expect(all.body.items.map((a: any) => [a.kind, a.uscc, a.agencies])).toEqual([
      ['plan_overlap', Y, ['GSJ', 'SYJ']],
      ['duplicate_inspection', X, ['GSJ', 'SYJ']],
    ]);
    const overlap = all.body.items[0];
    expect(overlap).toMatchObject({
      status: 'open',
      raisedAt: '2026-03-21T01:00:00.000Z',
      kindName: { zh: '检查计划冲突' },
      matterCodes: ['D1-SYJ-001', 'D1-SYJ-002', 'D6-GSJ-001'],
      jointInspection: { status: 'suggested' },
    });
    expect(overlap.details.proposal).toMatchObject({ leadAgency: 'SYJ', cooperatingAgencies: ['GSJ'] });

    const kinds = async (q: string, role = 'committee') =>
      (await f.get(`/v1/alerts?${q}`, role)).body.items.map((a: any) => a.kind);
    expect(await kinds('kind=duplicate_inspection')).toEqual(['duplicate_inspection']);
    expect(await kinds(`uscc=${Y}`)).toEqual(['plan_overlap']);
    expect(await kinds('status=resolved,withdrawn')).toEqual([]);
    expect(await kinds('agency=GAJ')).toEqual([]);
    expect(await kinds('from=2026-03-15&to=2026-03-31')).toEqual(['plan_overlap']);
    // An agency sees the alerts concerning it; the police none here.
    expect(await kinds('', 'syj')).toHaveLength(2);
    expect(await kinds('', 'gaj')).toEqual([]);

    const first = await f.get('/v1/alerts?limit=1', 'committee');
    expect(first.body.items).toHaveLength(1);
    const second = await f.get(`/v1/alerts?limit=1&cursor=${first.body.nextCursor}`, 'committee');
    expect(second.body.items[0].kind).toBe('duplicate_inspection');
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers 400 naming the parameter for bad filters', async () => {
    const field = async (q: string) => {
      const res = await f.get(`/v1/alerts?${q}`, 'committee');
      expect(res.status).toBe(400);
      return res.body.errors.map((e: any) => e.field);
    };
    expect(await field('kind=nope')).toEqual(['kind']);
    expect(await field('status=closed')).toEqual(['status']);
    expect(await field('agency=NOPE')).toEqual(['agency']);
    expect(await field('uscc=123')).toEqual(['uscc']);
    expect(await field('limit=0')).toEqual(['limit']);
    expect(await field('from=2026-04-01&to=2026-03-01')).toEqual(['from', 'to']);
    expect(await field('cursor=garbage')).toEqual(['cursor']);
    expect(await field('colour=red')).toEqual(['colour']);
  });

  it('shows one alert, 404 when unknown or not concerning the agency', async () => {
    const [overlap] = (await f.get('/v1/alerts', 'committee')).body.items;
    const one = await f.get(`/v1/alerts/${overlap.alertId}`, 'gsj');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(overlap);
    expect((await f.get(`/v1/alerts/${overlap.alertId}`, 'gaj')).status).toBe(404);
    expect((await f.get(`/v1/alerts/${'0'.repeat(64)}`, 'committee')).status).toBe(404);
    expect((await f.get('/v1/alerts/xyz', 'committee')).body.errors[0].field).toBe('id');
    expect((await f.get(`/v1/alerts/${overlap.alertId}`)).status).toBe(401);
  });

  it('shows the inspection burden of the current period and the alert counts in the profile', async () => {
    const res = await f.get(`/v1/businesses/${X}`, 'committee');
    expect(res.body.alerts).toEqual({ unresolved: 1, total: 1 });
    // The API's "now" is 2026-04-10 in tests: the second quarter, no visits yet.
    expect(res.body.inspectionBurden).toMatchObject({ period: '2026-Q2', visits: 0, routineVisits: 0 });
  });

  it('counts the share of inspections flagged as duplicates in the evaluation', async () => {
    const res = await f.get('/v1/agencies/SYJ/evaluation?from=2026-03-01&to=2026-03-31', 'supervision');
    expect(res.body.duplicates).toEqual({ flagged: 1, share: 1 });
  });
});

describe('POST /v1/checks/inspection', () => {
  it('answers clear to go, or the conflicts and the proposed joint inspection', async () => {
    const clash = await post(
      '/v1/checks/inspection',
      { uscc: X, agency: 'AJJ', matterCodes: ['D5-AJJ-002'], date: '2026-03-20' },
      'execution',
    );
    expect(clash.status).toBe(200);
    expect(clash.body.clear).toBe(false);
    expect(clash.body.conflicts.map((c: any) => [c.kind, c.inspection?.agency]).sort()).toEqual([
      ['other_agency', 'GSJ'],
      ['other_agency', 'SYJ'],
    ]);
    expect(clash.body.proposal).toMatchObject({ matterCodes: expect.arrayContaining(['D5-AJJ-002']) });
    expect(clash.body.recentActivity).toHaveLength(2);

    const clear = await post(
      '/v1/checks/inspection',
      { uscc: FRESH, agency: 'GSJ', matterCodes: ['D6-GSJ-001'], date: '2026-03-20T09:00:00+08:00' },
      'gsj',
    );
    expect(clear.body).toMatchObject({ clear: true, conflicts: [], proposal: null });
    const complaint = await post(
      '/v1/checks/inspection',
      { uscc: X, agency: 'GSJ', matterCodes: ['D6-GSJ-001'], date: '2026-03-20', reason: 'COMPLAINT' },
      'gsj',
    );
    expect(complaint.body.clear).toBe(true);
    // A check shows the business's recent inspections: it is in the access log like a profile read.
    const log = await f.get(`/v1/access-log?uscc=${X}`, 'supervision');
    expect(log.body.items.map((e: any) => e.resource)).toContain('inspection-check');
  });

  it('refuses bad bodies (400 naming the field) and other agencies’ plans (403)', async () => {
    const bad = await post(
      '/v1/checks/inspection',
      { agency: 'GSJ', matterCodes: ['X-1'], date: 'soon' },
      'committee',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['date', 'matterCodes.0', 'uscc']);
    const body = { uscc: X, agency: 'SYJ', matterCodes: ['D1-SYJ-001'], date: '2026-03-20' };
    expect((await post('/v1/checks/inspection', body, 'gsj')).status).toBe(403);
    expect((await post('/v1/checks/inspection', body, 'consulting')).status).toBe(403);
    expect((await post('/v1/checks/inspection', body)).status).toBe(401);
    expect((await post('/v1/checks/inspection', body, 'syj')).status).toBe(200);
  });
});
