/**
 * The legal rules through the real services: a penalty case and a 两法衔接 transfer posted to
 * the agency services (real HTTP, outbox, relay) on a real nats-server, the live projector
 * applying them, and time entering only as clock ticks the test publishes. Checks the alerts,
 * the clocks on the transfer, delivery (live alerts pushed once per agency, retrospective ones
 * not), and that `hub replay` to the same point reproduces the alerts and clocks exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import { EVENTS_STREAM, clockTickedJson } from '@hub/domain';
import { connectNats, ensureDemoToken, ensureStreams, issueToken, listen, silentLogger } from '@hub/platform';
import { createQueryApi, createReadModelSource, createTokenVerifier, openAccessLog } from '@hub/query-api';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import {
  createLiveProjector,
  publishCalendars,
  publishOfficeEvent,
  replayReadModel,
  type LiveProjector,
} from '@hub/projector';
import { currentReadModelPath } from '@hub/read-model';
import { GSJ_OFFICERS, MARKET_SUPERVISION, PUBLIC_SAFETY, postJson } from './agency-fixtures.js';

const USCC = '91350100M000100Y43';
const at = (day: string, time = '10:00') => `${day}T${time}:00+08:00`;

let nats: TestNats;
let nc: NatsConnection;
let sub: Subscription;
let live: LiveProjector;
let token: string;
const dir = tempDir('law-clocks-');
const services: AgencyService[] = [];
const urls: Record<string, string> = {};
/** The agency services' clock: each record is accepted "when it happened" unless said otherwise. */
let now = new Date(at('2026-03-01'));
const delivered: string[] = [];

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'law-clocks-test' });
  await ensureStreams(nc);
  token = ensureDemoToken(dir.path);
  for (const definition of [MARKET_SUPERVISION, PUBLIC_SAFETY]) {
    const { url, service } = await startAgencyService({
      definition,
      dataDir: dir.path,
      natsUrl: nats.url,
      clock: { now: () => now },
    });
    services.push(service);
    urls[definition.service] = url;
  }
  sub = nc.subscribe('enf.alert.>', {
    callback: (_e, m) => {
      delivered.push(`${m.json<{ details: { rule: string } }>().details.rule}/${m.subject.split('.')[3]}`);
    },
  });
  await publishCalendars(nc, undefined, () => new Date(at('2026-01-01')));
  live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger() });
  await live.start();
});

afterAll(async () => {
  sub?.unsubscribe();
  await live?.stop();
  for (const s of services) await s.close();
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

let n = 0;
async function post(
  agency: string,
  occurredAt: string,
  body: Record<string, unknown>,
  recordedAt = occurredAt,
) {
  now = new Date(recordedAt);
  const service = agency === 'GAJ' ? urls['public-safety']! : urls['market-supervision']!;
  const res = await postJson(
    service,
    {
      agency,
      business: { uscc: USCC, name: '示例商贸有限公司' },
      occurredAt,
      source: { system: 'law-test', recordId: `R-${++n}` },
      ...body,
    },
    token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
}

async function tick(day: string, time = '00:00') {
  await publishOfficeEvent(nc, clockTickedJson(Date.parse(at(day, time))));
}

async function streamSeq(): Promise<number> {
  return (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state.last_seq;
}

/** Waits until the relays and the projector have applied everything in the stream. */
async function settled(count: number): Promise<number> {
  const seq = await waitFor(async () => ((await streamSeq()) >= count ? streamSeq() : undefined), {
    what: `${count} events in the stream`,
  });
  await live.current()!.waitForSeq(seq);
  return seq;
}

const file = () => currentReadModelPath(dir.path);
function rows(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const alerts = db
      .prepare(
        `SELECT alert_id, kind, uscc, status, raised_at, raised_seq, raised_by_event_id, agencies_json, detail_json,
                withdrawn_reason FROM alerts ORDER BY alert_id`,
      )
      .all() as { alert_id: string; kind: string; detail_json: string; status: string }[];
    const clocks = db.prepare('SELECT * FROM legal_clocks ORDER BY clock_id').all() as Record<
      string,
      unknown
    >[];
    return { alerts, clocks };
  } finally {
    db.close();
  }
}
const rulesOf = (alerts: { detail_json: string }[]) =>
  alerts.map((a) => (JSON.parse(a.detail_json) as { details: { rule: string } }).details.rule).sort();

describe('legal clocks through the real services, time from ticks', () => {
  let beforeTickSeq = 0;
  let finalSeq = 0;

  it('a case decided without notice and a transfer handed over late raise procedure and 两法衔接 alerts', async () => {
    // Case CASE-L1: no 告知 before the decision; served at once; publication never comes.
    await post('GSJ', at('2026-03-02'), {
      penaltyCaseOpened: { caseId: 'CASE-L1', matterCodes: ['D6-GSJ-001'], officers: GSJ_OFFICERS },
    });
    await post('GSJ', at('2026-03-20'), {
      penaltyDecided: {
        caseId: 'CASE-L1',
        decisionNo: '工商罚〔2026〕L1号',
        violationCode: 'V-1',
        legalBasisArticles: ['《广告法》第五十五条'],
        amountFen: '300000',
        confiscatedIncomeFen: '120000',
      },
    });
    await post('GSJ', at('2026-03-20', '15:00'), {
      decisionServed: { caseId: 'CASE-L1', decisionNo: '工商罚〔2026〕L1号' },
    });
    // Transfer YS-L2: reported and approved on 03-10, handed over 42 hours after approval.
    await post('GSJ', at('2026-03-10'), { transferReportMade: { caseId: 'CASE-L2', transferNo: 'YS-L2' } });
    await post('GSJ', at('2026-03-10', '15:00'), {
      transferApproved: { caseId: 'CASE-L2', transferNo: 'YS-L2' },
    });
    await post('GSJ', at('2026-03-12', '09:00'), {
      caseTransferredToPolice: {
        caseId: 'CASE-L2',
        transferNo: 'YS-L2',
        policeAgency: 'GAJ',
        transferLetterRef: 'YS-L2-letter',
        investigationReportRef: 'YS-L2-report',
      },
    });
    // 2 calendar versions + 6 records
    beforeTickSeq = await settled(8);
    expect(rulesOf(rows(file()).alerts)).toEqual(['HANDOVER_OVERDUE', 'NOTICE_MISSING']);
    const police = rows(file()).clocks.find((c) => c.kind === 'police_decision')!;
    // Thursday 03-12 + 3 days = Sunday 03-15 → Monday 03-16
    expect(police).toMatchObject({
      status: 'open',
      due_day: '2026-03-16',
      agency: 'GAJ',
      calendar_version: '2026.1',
    });
  });

  it('when the test clock ticks past the deadlines, the publication and police clocks fire', async () => {
    await tick('2026-03-16', '23:59'); // the police deadline's last minute: nothing yet
    await settled(beforeTickSeq + 1);
    expect(rulesOf(rows(file()).alerts)).toEqual(['HANDOVER_OVERDUE', 'NOTICE_MISSING']);
    await tick('2026-04-01'); // publication due 03-31, police due 03-16
    finalSeq = await settled(beforeTickSeq + 2);
    const { alerts, clocks } = rows(file());
    expect(rulesOf(alerts)).toEqual([
      'HANDOVER_OVERDUE',
      'NOTICE_MISSING',
      'POLICE_DECISION_OVERDUE',
      'PUBLICATION_LATE',
    ]);
    const police = alerts.find((a) => a.kind === 'transfer_deadline' && a.detail_json.includes('POLICE'))!;
    expect(JSON.parse((police as unknown as { agencies_json: string }).agencies_json)).toEqual([
      'GAJ',
      'JCY',
    ]);
    expect(clocks.map((c) => [c.kind, c.status])).toEqual([
      ['handover', 'late'],
      ['police_decision', 'overdue'],
      ['publication', 'overdue'],
      ['service', 'met'],
      ['transfer_decision', 'met'],
    ]);
    // Live alerts go out once per agency concerned.
    await waitFor(() => (delivered.length >= 6 ? true : undefined), { what: 'alert deliveries' });
    expect([...delivered].sort()).toEqual([
      'HANDOVER_OVERDUE/GSJ',
      'HANDOVER_OVERDUE/JCY',
      'NOTICE_MISSING/GSJ',
      'POLICE_DECISION_OVERDUE/GAJ',
      'POLICE_DECISION_OVERDUE/JCY',
      'PUBLICATION_LATE/GSJ',
    ]);
  });

  it('a step recorded long after it happened raises a retrospective alert that is listed, not pushed', async () => {
    await post(
      'GSJ',
      at('2026-03-25'),
      {
        penaltyDecided: {
          caseId: 'CASE-L3',
          decisionNo: '工商罚〔2026〕L3号',
          violationCode: 'V-3',
          legalBasisArticles: ['《价格法》第四十条'],
          amountFen: '100000',
        },
      },
      at('2026-06-01'),
    );
    finalSeq = await settled(finalSeq + 1);
    const late = rows(file()).alerts.filter((a) => a.detail_json.includes('"retrospective":true'));
    expect(rulesOf(late)).toEqual(['NOTICE_MISSING', 'UNKNOWN_CASE']);
    // A later live alert as a marker: delivery goes in stream order, so once it has arrived,
    // a retrospective alert raised before it would have arrived too.
    await tick('2026-04-07'); // CASE-L3: served and published by 04-03 (清明 04-04..06) — neither was
    finalSeq = await settled(finalSeq + 1);
    await waitFor(() => (delivered.length >= 8 ? true : undefined), { what: 'the marker alerts' });
    expect(delivered.slice(6).sort()).toEqual(['PUBLICATION_LATE/GSJ', 'SERVICE_LATE/GSJ']);
  });

  it('a replay of the stream to the same point reproduces alerts and clocks; one before the tick has none of the deadline alerts', async () => {
    const full = join(dir.path, 'replay-full.sqlite');
    await replayReadModel({ nc, path: full, until: { seq: finalSeq } });
    expect(rows(full)).toEqual(rows(file()));
    const early = join(dir.path, 'replay-early.sqlite');
    await replayReadModel({ nc, path: early, until: { seq: beforeTickSeq } });
    expect(rulesOf(rows(early).alerts)).toEqual(['HANDOVER_OVERDUE', 'NOTICE_MISSING']);
  });

  it('a restarted projector keeps its open clocks: the next tick fires them once, and nothing old is pushed again', async () => {
    await post('GSJ', at('2026-04-10'), { transferReportMade: { caseId: 'CASE-L4', transferNo: 'YS-L4' } });
    finalSeq = await settled(finalSeq + 1);
    const before = delivered.length;
    await live.stop();
    live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger() });
    await live.start();
    await tick('2026-04-20'); // report Fri 04-10 → due Mon 04-13
    finalSeq = await settled(finalSeq + 1);
    await waitFor(() => (delivered.length >= before + 2 ? true : undefined), { what: 'the new clock alert' });
    expect(delivered.slice(before).sort()).toEqual([
      'TRANSFER_DECISION_OVERDUE/GSJ',
      'TRANSFER_DECISION_OVERDUE/JCY',
    ]);
    // Delivery goes in stream order: an old alert pushed again would have come before these.
    expect(delivered).toHaveLength(before + 2);
  });

  it('the query API shows the clocks: the procuratorate sees transfer clocks and transfers only, an agency its own', async () => {
    const source = createReadModelSource({ dataDir: dir.path, graceMs: 100 });
    const accessLog = openAccessLog({ path: join(dir.path, 'query-api', 'access-log.sqlite') });
    const app = createQueryApi({
      logger: silentLogger(),
      readModel: source,
      accessLog,
      tokens: createTokenVerifier(dir.path),
      now: () => new Date(at('2026-04-08')),
    });
    const url = await listen(app, '127.0.0.1', 0);
    const tokenOf = (scope: string) => issueToken(dir.path, { name: scope, scopes: [scope] }).token;
    const get = async (path: string, scope: string) => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${tokenOf(scope)}` } });
      return {
        status: res.status,
        body: (await res.json()) as { items: { kind: string; agency: string; status: string }[] },
      };
    };
    try {
      const jcy = await get('/v1/clocks', 'procuratorate');
      expect(jcy.status, JSON.stringify(jcy.body)).toBe(200);
      expect(jcy.body.items.map((c) => [c.kind, c.status])).toEqual([
        ['handover', 'late'],
        ['police_decision', 'overdue'],
        ['transfer_decision', 'met'],
        ['transfer_decision', 'overdue'],
      ]);
      const transfers = await get('/v1/transfers', 'procuratorate');
      expect(transfers.status, JSON.stringify(transfers.body)).toBe(200);
      expect((await get(`/v1/businesses/${USCC}`, 'procuratorate')).status).toBe(403);
      expect((await get('/v1/alerts', 'procuratorate')).status).toBe(403);
      const gaj = await get('/v1/clocks?status=overdue', 'agency:GAJ');
      expect(gaj.body.items.map((c) => [c.kind, c.agency])).toEqual([['police_decision', 'GAJ']]);
      const legal = await get('/v1/clocks?kind=publication', 'legal');
      expect(legal.body.items.map((c) => c.status)).toEqual(['overdue', 'overdue']);
      expect((await get('/v1/clocks', 'consulting')).status).toBe(403);
      // 网上考评: the legal figures of GSJ for March–April.
      const res = await fetch(`${url}/v1/agencies/GSJ/evaluation?from=2026-03-01&to=2026-04-30`, {
        headers: { authorization: `Bearer ${tokenOf('legal')}` },
      });
      const figures = (await res.json()) as { legal: Record<string, unknown> };
      expect(res.status).toBe(200);
      expect(figures.legal).toMatchObject({
        procedure: { decided: 2, breached: 2, compliance: 0 },
        deadlines: {
          service: { met: 1, overdue: 1, compliance: 0.5 },
          publication: { overdue: 2, compliance: 0 },
          transfer_decision: { met: 1, overdue: 1, compliance: 0.5 },
          handover: { late: 1, compliance: 0 },
        },
        reviews: { concluded: 0, correctionRate: null },
      });
    } finally {
      await app.close();
      await accessLog.close();
      await source.close();
    }
  });
});
