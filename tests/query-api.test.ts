/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- JSON bodies of HTTP answers */
/**
 * The query API over real HTTP, against a read model the real projector built from real events
 * on a real nats-server: every endpoint, the role matrix, masking, the access log, asOf,
 * pagination stability, bad parameters, and the OpenAPI document.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { CURRENT_CATALOGUE } from '@hub/domain';
import { revokeToken } from '@hub/platform';
import { ROUTES } from '@hub/query-api';
import {
  A,
  B,
  C,
  COMPLAINANT,
  IDS,
  P,
  PARTY,
  datasetA,
  datasetOthers,
  datasetP,
  hubEvent,
  inspection,
  startQueryFixture,
  usccOf,
  type QueryFixture,
  type RoleName,
} from './query-fixture.js';

let f: QueryFixture;

beforeAll(async () => {
  f = await startQueryFixture();
  await f.project([...datasetA(), ...datasetOthers(), ...datasetP()]);
});
afterAll(async () => {
  await f?.stop();
});

type Item = {
  eventId: string;
  seq: number;
  occurredAt: string;
  agency: string;
  eventType: string;
  status: string;
};

async function allPages(path: string, limit: number, role: RoleName = 'committee'): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await f.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, role);
    expect(res.status).toBe(200);
    items.push(...(res.body.items as Item[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

describe('history', () => {
  it('lists every agency’s events in occurred-at order, then stream sequence', async () => {
    const res = await f.get(`/v1/businesses/${A}/history`, 'committee');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      uscc: A,
      name: '示例商贸有限公司',
      asOf: null,
      limit: 50,
      nextCursor: null,
    });
    const items = res.body.items as Item[];
    expect(items.map((i) => i.eventType)).toEqual([
      'inspectionCompleted',
      'complaintReceived',
      'inspectionCompleted',
      'inspectionCompleted',
      'penaltyCaseOpened',
      'penaltyCaseOpened',
      'caseTransferredToPolice',
      'penaltyDecided',
      'decisionPublished',
      'eventCorrected',
      'eventRetracted',
    ]);
    expect(new Set(items.map((i) => i.agency))).toEqual(new Set(['GSJ', 'SYJ', 'CGJ']));
    expect(items[0]).toMatchObject({ agencyName: '县工商局', eventTypeName: '检查完成', status: 'active' });
    expect(items.find((i) => i.eventId === IDS.cgjInspection)).toMatchObject({
      status: 'corrected',
      supersededByEventId: IDS.correction,
    });
    expect(items.find((i) => i.eventId === IDS.syjInspection)).toMatchObject({ status: 'retracted' });
  });

  it('breaks ties on the same occurred-at by stream sequence', async () => {
    const items = await allPages(`/v1/businesses/${P}/history`, 500);
    expect(items).toHaveLength(60);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      expect(a.occurredAt < b.occurredAt || (a.occurredAt === b.occurredAt && a.seq < b.seq)).toBe(true);
    }
  });

  it('filters by agency, event type and occurred-at range', async () => {
    const gsj = await f.get(`/v1/businesses/${A}/history?agency=GSJ`, 'committee');
    expect((gsj.body.items as Item[]).every((i) => i.agency === 'GSJ')).toBe(true);
    expect(gsj.body.items).toHaveLength(6);
    const two = await f.get(
      `/v1/businesses/${A}/history?agency=SYJ,CGJ&eventType=inspectionCompleted`,
      'committee',
    );
    expect((two.body.items as Item[]).map((i) => i.agency)).toEqual(['CGJ', 'SYJ']);
    const range = await f.get(`/v1/businesses/${A}/history?from=2026-03-04&to=2026-03-10`, 'committee');
    expect((range.body.items as Item[]).map((i) => i.eventType)).toEqual([
      'inspectionCompleted',
      'inspectionCompleted',
      'penaltyCaseOpened',
      'penaltyCaseOpened',
    ]);
    const instant = await f.get(
      `/v1/businesses/${A}/history?from=2026-03-02T10:00:00%2B08:00&to=2026-03-02T10:00:00%2B08:00`,
      'committee',
    );
    expect(instant.body.items).toHaveLength(1);
  });

  it('pages with a stable cursor while new events arrive', async () => {
    const all = await allPages(`/v1/businesses/${P}/history`, 500);
    const first = await f.get(`/v1/businesses/${P}/history?limit=7`, 'committee');
    const seen = [...(first.body.items as Item[])];
    // New events: one sorting before the cursor, one after everything.
    await f.project(
      [
        { ...inspection('GSJ', P, 'INS-P-early', '2026-01-15T10:00:00+08:00', '2026-04-05T10:00:00+08:00') },
        // Recorded after it occurred: the projector refuses an event recorded before it happened.
        { ...inspection('SYJ', P, 'INS-P-late', '2026-05-01T10:00:00+08:00', '2026-05-01T12:00:00+08:00') },
      ].map(hubEvent),
    );
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const res = await f.get(`/v1/businesses/${P}/history?limit=7&cursor=${cursor}`, 'committee');
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor as string | null;
    }
    const ids = seen.map((i) => i.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 60)).toEqual(all.map((i) => i.eventId));
    expect(seen).toHaveLength(61);
    expect(seen[60]?.occurredAt).toBe('2026-05-01T02:00:00.000Z');
  });

  it('answers as of a time: recorded events only, corrections only once recorded', async () => {
    const early = await f.get(`/v1/businesses/${A}/history?asOf=2026-03-05T00:00:00%2B08:00`, 'auditor');
    expect(early.status).toBe(200);
    expect(early.body.asOf).toBe('2026-03-04T16:00:00.000Z');
    const earlyItems = early.body.items as Item[];
    expect(earlyItems).toHaveLength(3);
    expect(earlyItems.find((i) => i.eventId === IDS.cgjInspection)?.status).toBe('active');

    const between = await f.get(`/v1/businesses/${A}/history?asOf=2026-04-01T13:00:00%2B08:00`, 'auditor');
    const items = between.body.items as Item[];
    expect(items.find((i) => i.eventId === IDS.cgjInspection)).toMatchObject({
      status: 'corrected',
      supersededByEventId: IDS.correction,
    });
    expect(items.find((i) => i.eventId === IDS.syjInspection)).toMatchObject({
      status: 'active',
      supersededByEventId: null,
    });
    expect(items.some((i) => i.eventId === IDS.correction)).toBe(true);
    expect(items.some((i) => i.eventId === IDS.retraction)).toBe(false);

    const before = await f.get(`/v1/businesses/${A}/history?asOf=2026-01-01T00:00:00Z`, 'auditor');
    expect(before.status).toBe(404);
    expect(before.body.detail).toContain('as of');
  });

  it('answers 404 for an unknown business and 400 for an invalid code, in Chinese and English', async () => {
    const unknown = await f.get(`/v1/businesses/${usccOf(777)}/history`, 'committee');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'uscc' }] });
    expect(unknown.body.detail).toMatch(/平台没有该企业.*no records/);
    const invalid = await f.get('/v1/businesses/91350100M000100Y44/history', 'committee');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([
      { field: 'uscc', message: expect.stringContaining('check character') },
    ]);
    const lower = await f.get('/v1/businesses/91350100m000100y43/history', 'committee');
    expect(lower.body.errors[0]).toMatchObject({
      field: 'uscc',
      message: expect.stringContaining('非法字符'),
    });
  });

  it.each([
    ['cursor=not-a-cursor', 'cursor', '游标无效'],
    ['foo=1', 'foo', 'unknown parameter'],
    ['from=2026-03-10&to=2026-03-01', 'from', 'after'],
    ['limit=501', 'limit', '1 to 500'],
    ['limit=0', 'limit', '1 to 500'],
    ['limit=ten', 'limit', '1 to 500'],
    ['eventType=inspectionFinished', 'eventType', 'inspectionFinished'],
    ['agency=XXX', 'agency', 'XXX'],
    ['asOf=yesterday', 'asOf', 'RFC 3339'],
    ['from=2026-02-30', 'from', 'date'],
    ['agency=GSJ&agency=SYJ', 'agency', 'more than once'],
  ])('rejects %s with 400 naming %s', async (query, field, text) => {
    const res = await f.get(`/v1/businesses/${A}/history?${query}`, 'committee');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const issue = (res.body.errors as { field: string; message: string }[]).find((e) => e.field === field);
    expect(issue?.message).toContain(text);
  });

  it('refuses a cursor from another query', async () => {
    const page = await f.get(`/v1/businesses/${P}/history?limit=5`, 'committee');
    const other = await f.get(
      `/v1/businesses/${P}/history?limit=5&agency=GSJ&cursor=${page.body.nextCursor}`,
      'committee',
    );
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({
      field: 'cursor',
      message: expect.stringContaining('other filters'),
    });
  });
});

describe('bad parameters on every list', () => {
  const LISTS: [string, RoleName][] = [
    ['/v1/businesses?q=x', 'committee'],
    ['/v1/penalty-decisions?x=1', 'committee'],
    ['/v1/transfers?x=1', 'committee'],
    ['/v1/complaints?x=1', 'committee'],
    ['/v1/access-log?x=1', 'supervision'],
  ];

  it.each(LISTS)(
    '%s names an unknown filter, a bad cursor, an oversize page and an inverted range',
    async (base, role) => {
      const path = base.replace(/[?&]x=1/, '');
      const sep = path.includes('?') ? '&' : '?';
      const cases: [string, string][] = [
        ['colour=red', 'colour'],
        ['cursor=AAAA', 'cursor'],
        ['limit=100000', 'limit'],
        ...(path.startsWith('/v1/businesses')
          ? []
          : ([['from=2026-03-02&to=2026-03-01', 'from']] as [string, string][])),
      ];
      for (const [query, field] of cases) {
        const res = await f.get(`${path}${sep}${query}`, role);
        expect(res.status, `${path} ${query}`).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    },
  );
});

describe('personal data masking', () => {
  const historyOf = async (role: RoleName) => {
    const res = await f.get(`/v1/businesses/${A}/history`, role);
    const items = res.body.items as (Item & { payload: any; masked: boolean })[];
    return {
      party: items.find((i) => i.eventType === 'penaltyCaseOpened' && i.payload.partyPerson)!,
      complaint: items.find((i) => i.eventType === 'complaintReceived')!,
    };
  };

  it('masks identity numbers, phones and complainants for other agencies and offices', async () => {
    for (const role of ['committee', 'execution', 'auditor', 'gaj'] as const) {
      const { party, complaint } = await historyOf(role);
      expect(party.payload.partyPerson).toEqual({
        name: '赵六',
        idNumber: '3501**********567X',
        phone: '139****5678',
      });
      expect(party.masked).toBe(true);
      expect(complaint.payload.complainant).toEqual({ name: '***', idNumber: '***', phone: '***' });
      expect(complaint.masked).toBe(true);
    }
  });

  it('shows them to the recording agency and to the supervision office', async () => {
    const gsj = await historyOf('gsj');
    expect(gsj.party.payload.partyPerson).toEqual(PARTY);
    expect(gsj.complaint.payload.complainant.name).toBe('***');
    const syj = await historyOf('syj');
    expect(syj.complaint.payload.complainant).toEqual(COMPLAINANT);
    expect(syj.party.payload.partyPerson.idNumber).toBe('3501**********567X');
    const sup = await historyOf('supervision');
    expect(sup.party.payload.partyPerson).toEqual(PARTY);
    expect(sup.complaint.payload.complainant).toEqual(COMPLAINANT);
    expect(sup.complaint.masked).toBe(false);
  });

  it('masks the profile and the complaints list the same way', async () => {
    const committee = await f.get(`/v1/businesses/${A}`, 'committee');
    const c1 = committee.body.penaltyCases.find((c: any) => c.caseId === 'CASE-A1');
    expect(c1.partyPerson.phone).toBe('139****5678');
    expect(committee.body.recentComplaints[0].complainant.name).toBe('***');
    const gsj = await f.get(`/v1/businesses/${A}`, 'gsj');
    expect(gsj.body.penaltyCases.find((c: any) => c.caseId === 'CASE-A1').partyPerson).toEqual(PARTY);
    const list = await f.get(`/v1/complaints?uscc=${A}`, 'execution');
    expect(list.body.items[0].complainant).toEqual({ name: '***', idNumber: '***', phone: '***' });
    const own = await f.get(`/v1/complaints?uscc=${A}`, 'syj');
    expect(own.body.items[0].complainant).toEqual(COMPLAINANT);
  });

  it('publishes decisions without the party’s personal data', async () => {
    const res = await f.get('/v1/penalty-decisions', 'consulting');
    expect(res.body.items).toEqual([
      expect.objectContaining({
        caseId: 'CASE-A1',
        decisionNo: '工商罚〔2026〕1号',
        amountFen: 500000,
        businessName: '示例商贸有限公司',
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(PARTY.idNumber.slice(0, 6));
  });
});

describe('other endpoints', () => {
  it('searches by name prefix, then contains, and by code prefix', async () => {
    const res = await f.get(`/v1/businesses?q=${encodeURIComponent('示例')}`, 'execution');
    expect(res.status).toBe(200);
    expect(res.body.items.map((b: any) => [b.uscc, b.match])).toEqual([
      [A, 'name-prefix'],
      [C, 'name-prefix'],
      [B, 'name'],
    ]);
    const paged = await allPagesSearch('示例', 1);
    expect(paged).toEqual([A, C, B]);
    const code = await f.get(`/v1/businesses?q=${P.slice(0, 12)}`, 'gsj');
    expect(code.body.items.map((b: any) => b.uscc)).toContain(P);
    const none = await f.get(`/v1/businesses?q=${encodeURIComponent('%')}`, 'gsj');
    expect(none.body.items).toEqual([]);
    expect((await f.get('/v1/businesses?q=', 'gsj')).status).toBe(400);
  });

  async function allPagesSearch(q: string, limit: number): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await f.get(
        `/v1/businesses?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        'committee',
      );
      out.push(...res.body.items.map((b: any) => b.uscc as string));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return out;
  }

  it('shows a profile across agencies', async () => {
    const res = await f.get(`/v1/businesses/${A}`, 'committee');
    expect(res.status).toBe(200);
    expect(res.body.business).toMatchObject({ uscc: A, name: '示例商贸有限公司' });
    expect(res.body.agencies.map((a: any) => a.agency)).toEqual(['CGJ', 'GSJ', 'SYJ']);
    expect(res.body.penaltyCases.map((c: any) => c.caseId).sort()).toEqual(['CASE-A1', 'CASE-A2']);
    expect(res.body.transfers[0]).toMatchObject({
      transferNo: 'TR-A1',
      policeAgency: 'GAJ',
      status: 'transferred',
    });
    expect((await f.get(`/v1/businesses/${usccOf(778)}`, 'committee')).status).toBe(404);
  });

  it('lists transfers with the police’s waiting time at `at`', async () => {
    const soon = await f.get('/v1/transfers?at=2026-03-14T10:00:00%2B08:00', 'committee');
    expect(soon.body.items[0]).toMatchObject({ transferNo: 'TR-A1', waitingDays: 2, overdue: false });
    const late = await f.get('/v1/transfers?at=2026-03-16T10:00:01%2B08:00&overdue=true', 'committee');
    expect(late.body.items).toEqual([
      expect.objectContaining({ transferNo: 'TR-A1', waitingDays: 4, overdue: true }),
    ]);
    const notOverdue = await f.get('/v1/transfers?at=2026-03-16T10:00:01%2B08:00&overdue=false', 'committee');
    expect(notOverdue.body.items).toEqual([]);
    // An agency sees its own transfers and, for the police, those sent to it.
    expect((await f.get('/v1/transfers', 'gsj')).body.items).toHaveLength(1);
    expect((await f.get('/v1/transfers', 'gaj')).body.items).toHaveLength(1);
    expect((await f.get('/v1/transfers', 'syj')).body.items).toHaveLength(0);
    expect((await f.get('/v1/transfers?status=pending', 'committee')).status).toBe(400);
  });

  it('computes an agency’s evaluation figures for a period', async () => {
    const res = await f.get('/v1/agencies/GSJ/evaluation?from=2026-03-01&to=2026-03-31', 'supervision');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      agency: 'GSJ',
      agencyName: '县工商局',
      period: { from: '2026-03-01', to: '2026-03-31' },
      at: '2026-03-31T15:59:59.999Z',
      inspections: { completed: 2, joint: 0 },
      duplicates: { flagged: 1, share: 0.5 }, // one GSJ visit and an SYJ visit ten days apart
      penaltyCases: { opened: 2, decided: 1, medianDaysToDecision: 14 },
      transfers: { sent: 1, waitingOnPoliceOver3Days: 1, received: 0, receivedUndecidedOver3Days: 0 },
      complaints: { received: 0 },
    });
    const early = await f.get(
      '/v1/agencies/GSJ/evaluation?from=2026-03-01&to=2026-03-31&at=2026-03-13T00:00:00Z',
      'committee',
    );
    expect(early.body.transfers.waitingOnPoliceOver3Days).toBe(0);
    const syj = await f.get('/v1/agencies/SYJ/evaluation?from=2026-03-01&to=2026-03-31', 'syj');
    // INS-A3 was retracted: it no longer counts.
    expect(syj.body).toMatchObject({ inspections: { completed: 1, joint: 1 }, complaints: { received: 1 } });
    // The police's side of the 3-day rule.
    const gaj = await f.get('/v1/agencies/GAJ/evaluation?from=2026-03-01&to=2026-03-31', 'gaj');
    expect(gaj.body.transfers).toEqual({
      sent: 0,
      waitingOnPoliceOver3Days: 0,
      received: 1,
      receivedUndecidedOver3Days: 1,
    });
    const bad = await f.get('/v1/agencies/GSJ/evaluation?from=2026-03-31&to=2026-03-01', 'committee');
    expect(bad.status).toBe(400);
    expect(
      (await f.get('/v1/agencies/GSJ/evaluation?from=2026-03-01', 'committee')).body.errors[0].field,
    ).toBe('to');
    expect(
      (await f.get('/v1/agencies/NOPE/evaluation?from=2026-03-01&to=2026-03-02', 'committee')).status,
    ).toBe(400);
  });

  it('shows daily activity', async () => {
    const res = await f.get('/v1/agencies/GSJ/activity?from=2026-03-01&to=2026-03-31', 'gsj');
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      inspectionCompleted: 2,
      penaltyCaseOpened: 2,
      penaltyDecided: 1,
      caseTransferredToPolice: 1,
    });
    expect(res.body.days[0]).toEqual({ day: '2026-03-02', eventType: 'inspectionCompleted', count: 1 });
  });

  it('serves the matter catalogue without a token', async () => {
    const res = await f.get('/v1/matters');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(10);
    const gsj = await f.get('/v1/matters?agency=GSJ');
    expect(
      gsj.body.items.every((m: any) => m.leadAgency === 'GSJ' || m.cooperatingAgencies.includes('GSJ')),
    ).toBe(true);
    expect((await f.get('/v1/matters?domain=9')).status).toBe(400);
    expect(res.body).toMatchObject({ version: CURRENT_CATALOGUE.version, sha256: CURRENT_CATALOGUE.sha256 });
    const named = await f.get(`/v1/matters?version=${CURRENT_CATALOGUE.version}`);
    expect(named.body.items).toHaveLength(CURRENT_CATALOGUE.matters.length);
    const unknown = await f.get('/v1/matters?version=1999.1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('version');
  });

  it('serves a valid OpenAPI 3.1 document at /docs/openapi.json and a page at /docs', async () => {
    const res = await f.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
    const paths = Object.keys(res.body.paths);
    for (const r of ROUTES) expect(paths).toContain(r.url.replace(/:(\w+)/g, '{$1}'));
    const history = res.body.paths['/v1/businesses/{uscc}/history'].get;
    expect(history.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['uscc', 'agency', 'eventType', 'from', 'to', 'asOf', 'cursor', 'limit']),
    );
    // The POST route is a route spec like the others: its body schema is in the document.
    const check = res.body.paths['/v1/checks/inspection'].post;
    expect(check.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['uscc', 'agency', 'matterCodes', 'date']),
    );
    expect(check.security).toEqual([{ bearerAuth: [] }]);
    // An interactive viewer, its assets served by the API itself (nothing from a CDN).
    const page = await f.get('/docs/');
    expect(page.status).toBe(200);
    const html = await fetch(`${f.url}/docs/static/index.html`).then((r) => r.text());
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const bundle = await fetch(`${f.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it('answers every endpoint with the body its OpenAPI schema documents', async () => {
    const samples: [string, string, RoleName | undefined][] = [
      ['searchBusinesses', `/v1/businesses?q=${encodeURIComponent('示例')}`, 'committee'],
      ['getBusinessProfile', `/v1/businesses/${A}`, 'committee'],
      ['getBusinessHistory', `/v1/businesses/${A}/history`, 'committee'],
      ['listPublishedDecisions', '/v1/penalty-decisions', 'committee'],
      ['listTransfers', '/v1/transfers', 'committee'],
      ['listComplaints', '/v1/complaints', 'committee'],
      ['listAgencies', '/v1/agencies', 'committee'],
      ['getAgencyEvaluation', '/v1/agencies/GSJ/evaluation?from=2026-03-01&to=2026-03-31', 'committee'],
      ['getAgencyActivity', '/v1/agencies/GSJ/activity?from=2026-03-01&to=2026-03-31', 'committee'],
      ['listAccessLog', '/v1/access-log', 'supervision'],
      ['listMatters', '/v1/matters', undefined],
      ['listAlerts', '/v1/alerts', 'committee'],
      ['listClocks', '/v1/clocks', 'committee'],
      ['getMe', '/v1/me', 'committee'],
    ];
    const alerts = (await f.get('/v1/alerts', 'committee')).body.items as { alertId: string }[];
    samples.push(['getAlert', `/v1/alerts/${alerts[0]!.alertId}`, 'committee']);
    const posts = ROUTES.filter((r) => r.method === 'POST').map((r) => r.operationId);
    expect(posts).toEqual(['checkPlannedInspection']);
    expect([...samples.map((s) => s[0]), ...posts].sort()).toEqual(ROUTES.map((r) => r.operationId).sort());
    for (const [operationId, path, role] of samples) {
      const res = await f.get(path, role);
      expect(res.status).toBe(200);
      const spec = ROUTES.find((r) => r.operationId === operationId)!;
      const parsed = spec.response.safeParse(res.body);
      expect(parsed.error?.issues ?? [], operationId).toEqual([]);
    }
    const check = await fetch(`${f.url}/v1/checks/inspection`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.tokens.committee}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uscc: A, agency: 'SYJ', matterCodes: ['D1-SYJ-001'], date: '2026-03-20' }),
    });
    expect(check.status).toBe(200);
    const spec = ROUTES.find((r) => r.operationId === 'checkPlannedInspection')!;
    expect(spec.response.safeParse(await check.json()).error?.issues ?? []).toEqual([]);
  });

  it('exposes Prometheus metrics per route pattern', async () => {
    const res = await f.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain(
      'hub_query_request_duration_seconds_count{route="/v1/businesses/:uscc/history",status="200"}',
    );
    expect(res.body).toMatch(/hub_query_read_model_seq \d+/);
    expect(res.body).not.toContain(A);
  });

  it('is healthy with a read model', async () => {
    const res = await f.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.checks.readModel.ok).toBe(true);
  });
});

describe('roles', () => {
  const Y = 200;
  const N = 403;
  // committee consulting execution supervision auditor gsj syj gaj ingestOnly
  const MATRIX: [string, number[]][] = [
    [`/v1/businesses?q=x`, [Y, Y, Y, Y, Y, Y, Y, Y, N]],
    [`/v1/businesses/${A}`, [Y, N, Y, Y, Y, Y, Y, Y, N]],
    [`/v1/businesses/${A}/history`, [Y, N, Y, Y, Y, Y, Y, Y, N]],
    ['/v1/penalty-decisions', [Y, Y, Y, Y, Y, Y, Y, Y, N]],
    ['/v1/transfers', [Y, N, Y, Y, Y, Y, Y, Y, N]],
    ['/v1/complaints', [Y, N, Y, Y, Y, Y, Y, Y, N]],
    ['/v1/agencies', [Y, Y, Y, Y, Y, Y, Y, Y, N]],
    ['/v1/agencies/GSJ/evaluation?from=2026-03-01&to=2026-03-31', [Y, Y, Y, Y, Y, Y, N, N, N]],
    ['/v1/agencies/GSJ/activity?from=2026-03-01&to=2026-03-31', [Y, Y, Y, Y, Y, Y, N, N, N]],
    ['/v1/access-log', [N, N, N, Y, Y, N, N, N, N]],
    // Issue 5: agencies get only the alerts concerning them (filtered, still 200).
    ['/v1/alerts', [Y, Y, Y, Y, Y, Y, Y, Y, N]],
  ];
  const ROLES: RoleName[] = [
    'committee',
    'consulting',
    'execution',
    'supervision',
    'auditor',
    'gsj',
    'syj',
    'gaj',
    'ingestOnly',
  ];

  it.each(MATRIX)('enforces the matrix on %s', async (path, expected) => {
    const got: number[] = [];
    for (const role of ROLES) got.push((await f.get(path, role)).status);
    expect(got).toEqual(expected);
    const anonymous = await f.get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHORIZED', errors: [{ field: 'authorization' }] });
    expect((await f.get(path, 'hub_not-a-real-token')).status).toBe(401);
  });

  it('refuses a revoked token', async () => {
    const path = `/v1/businesses?q=x`;
    expect((await f.get(path, 'gaj')).status).toBe(200);
    expect(revokeToken(f.data.path, f.tokenIds.gaj)).toBe(true);
    expect((await f.get(path, 'gaj')).status).toBe(401);
  });

  it('explains a 403 in Chinese and English', async () => {
    const res = await f.get(`/v1/businesses/${A}/history`, 'consulting');
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN', title: '无权访问 Forbidden' });
    expect(res.body.detail).toMatch(/无权访问.*may not read/);
  });
});

describe('access log', () => {
  it('records every history and profile read, visible to the supervision office', async () => {
    await f.get(`/v1/businesses/${B}/history?agency=SYJ`, 'execution');
    await f.get(`/v1/businesses/${B}`, 'gsj');
    const res = await f.get(`/v1/access-log?uscc=${B}`, 'supervision');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        tokenId: f.tokenIds.gsj,
        roles: ['agency:GSJ'],
        uscc: B,
        resource: 'profile',
        status: 200,
      }),
      expect.objectContaining({
        tokenId: f.tokenIds.execution,
        subject: 'test execution',
        roles: ['execution'],
        uscc: B,
        resource: 'history',
        query: 'agency=SYJ',
        status: 200,
      }),
    ]);
    expect(res.body.items[0].at).toBe('2026-04-10T00:00:00.000Z');
    // Looking up an unknown business is a read too.
    await f.get(`/v1/businesses/${usccOf(779)}/history`, 'committee');
    const miss = await f.get(`/v1/access-log?uscc=${usccOf(779)}`, 'auditor');
    expect(miss.body.items).toEqual([
      expect.objectContaining({ status: 404, tokenId: f.tokenIds.committee }),
    ]);
    const byToken = await allAccess(`/v1/access-log?tokenId=${f.tokenIds.execution}`);
    expect(byToken.every((e) => e.tokenId === f.tokenIds.execution)).toBe(true);
  });

  async function allAccess(path: string): Promise<{ tokenId: string; id: number }[]> {
    const out: { tokenId: string; id: number }[] = [];
    let cursor: string | null = null;
    do {
      const res = await f.get(`${path}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, 'supervision');
      out.push(...res.body.items);
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return out;
  }

  it('cannot be edited through the API nor in its file', async () => {
    const before = (await f.get('/v1/access-log?limit=1000', 'supervision')).body.items.length as number;
    for (const method of ['DELETE', 'PUT', 'POST', 'PATCH']) {
      const res = await fetch(`${f.url}/v1/access-log`, {
        method,
        headers: {
          authorization: `Bearer ${f.tokens.supervision}`,
          ...(method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
        },
        body: method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status).toBe(404);
    }
    const after = (await f.get('/v1/access-log?limit=1000', 'supervision')).body.items.length as number;
    expect(after).toBe(before);
    const db = new Database(join(f.data.path, 'query-api', 'access-log.sqlite'));
    try {
      expect(() => db.prepare('delete from access_log').run()).toThrow(/append-only/);
      expect(() => db.prepare("update access_log set uscc = 'x'").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});
