/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Fixture for the query API tests: real events published to a real nats-server, projected by
 * the real projector into a real SQLite read model, served over real HTTP with real tokens.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  encodeEvent,
  ensureStreams,
  issueToken,
  newEventId,
  silentLogger,
  listen,
} from '@hub/platform';
import { eventSubject, parseHubEvent, withUsccCheck, type HubEvent } from '@hub/domain';
import { startTestNats, tempDir, type TempDir, type TestNats } from '@hub/testing';
import { createProjector } from '@hub/projector';
import { readModelDir } from '@hub/read-model';
import {
  createQueryApi,
  createReadModelSource,
  createTokenVerifier,
  openAccessLog,
  type AccessLog,
  type ReadModelSource,
} from '@hub/query-api';
import type { FastifyInstance } from 'fastify';

export const usccOf = (n: number): string => withUsccCheck(`91350100Q${String(n).padStart(8, '0')}`);

export interface EventSpec {
  agency: string;
  uscc: string;
  name?: string;
  occurredAt: string;
  recordedAt: string;
  recordId: string;
  type: string;
  payload: Record<string, unknown>;
  eventId?: string;
}

const OFFICERS = [
  { certificateNo: 'GSJ-0001', name: '张明' },
  { certificateNo: 'GSJ-0002', name: '李华' },
];

/** A valid HubEvent from a compact spec (throws on a fixture mistake, naming the field). */
export function hubEvent(s: EventSpec): HubEvent {
  const parsed = parseHubEvent({
    eventId: s.eventId ?? newEventId(),
    agency: s.agency,
    business: { uscc: s.uscc, ...(s.name ? { name: s.name } : {}) },
    occurredAt: s.occurredAt,
    recordedAt: s.recordedAt,
    source: { system: `${s.agency.toLowerCase()}-sys`, recordId: s.recordId, revision: 0 },
    [s.type]: s.payload,
  });
  if (!parsed.ok) throw new Error(`fixture event ${s.recordId}: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

export const inspection = (
  agency: string,
  uscc: string,
  id: string,
  occurredAt: string,
  recordedAt: string,
  extra: Record<string, unknown> = {},
): EventSpec => ({
  agency,
  uscc,
  occurredAt,
  recordedAt,
  recordId: id,
  type: 'inspectionCompleted',
  payload: {
    inspectionId: id,
    reason: 'INSPECTION_REASON_RANDOM_SELECTION',
    result: 'INSPECTION_RESULT_NO_ISSUES',
    matterCodes: ['D6-GSJ-001'],
    officers: OFFICERS,
    ...extra,
  },
});

export async function publish(nc: NatsConnection, events: readonly HubEvent[]): Promise<void> {
  const js = jetstream(nc, { timeout: 30_000 });
  for (const e of events) {
    await js.publish(eventSubject(e.agency, e.type, e.business.uscc), encodeEvent(e), {
      msgID: `${e.agency}/${e.source.recordId}/${e.source.revision}`,
    });
  }
}

export const ROLE_SCOPES = {
  committee: ['committee'],
  consulting: ['consulting'],
  execution: ['execution'],
  supervision: ['supervision'],
  auditor: ['auditor'],
  gsj: ['agency:GSJ'],
  syj: ['agency:SYJ'],
  gaj: ['agency:GAJ'],
  ingestOnly: ['ingest:GSJ'],
} as const;
export type RoleName = keyof typeof ROLE_SCOPES;

export interface QueryFixture {
  data: TempDir;
  nats: TestNats;
  nc: NatsConnection;
  url: string;
  app: FastifyInstance;
  readModel: ReadModelSource;
  accessLog: AccessLog;
  tokens: Record<RoleName, string>;
  tokenIds: Record<RoleName, string>;
  readModelPath: string;
  /** Publishes and waits until the projector has applied everything. */
  project(events: readonly HubEvent[], file?: string): Promise<void>;
  /** `role` is a role of ROLE_SCOPES, or any other string sent as the token itself. */
  get(path: string, role?: string): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** Fixed "now" of the API in tests: no wall clock in assertions. */
export const NOW = new Date('2026-04-10T00:00:00Z');

export async function startQueryFixture(): Promise<QueryFixture> {
  const data = tempDir('hub-query-');
  const nats = await startTestNats();
  const nc = await connectNats({ servers: nats.url, name: 'query-test' });
  await ensureStreams(nc);
  const readModelPath = join(readModelDir(data.path), 'read-model.sqlite');

  const tokens = {} as Record<RoleName, string>;
  const tokenIds = {} as Record<RoleName, string>;
  for (const [role, scopes] of Object.entries(ROLE_SCOPES) as [RoleName, readonly string[]][]) {
    const issued = issueToken(data.path, { name: `test ${role}`, scopes, now: NOW });
    tokens[role] = issued.token;
    tokenIds[role] = issued.record.id;
  }
  const readModel = createReadModelSource({ dataDir: data.path, graceMs: 100 });
  const accessLog = openAccessLog({
    path: join(data.path, 'query-api', 'access-log.sqlite'),
    now: () => NOW,
  });
  const app = createQueryApi({
    logger: silentLogger(),
    readModel,
    accessLog,
    tokens: createTokenVerifier(data.path),
    now: () => NOW,
  });
  const url = await listen(app, '127.0.0.1', 0);

  return {
    data,
    nats,
    nc,
    url,
    app,
    readModel,
    accessLog,
    tokens,
    tokenIds,
    readModelPath,
    async project(events, file = readModelPath) {
      await publish(nc, events);
      mkdirSync(dirname(file), { recursive: true });
      const projector = createProjector({ nc, readModelPath: file, logger: silentLogger() });
      await projector.start();
      await projector.catchUp();
      await projector.stop();
    },
    async get(path, role) {
      const token = role === undefined ? undefined : ((tokens as Record<string, string>)[role] ?? role);
      const res = await fetch(`${url}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // HTML or plain text
      }
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await app.close();
      await readModel.close();
      await accessLog.close();
      await nc.close();
      await nats.stop();
      data.remove();
    },
  };
}

/** The data set the query tests read; ids are fixed so tests can name them. */
export const A = usccOf(1);
export const B = usccOf(2);
export const C = usccOf(3);
export const P = usccOf(9);

export const IDS = {
  cgjInspection: '0195f000-0000-7000-8000-000000000003',
  syjInspection: '0195f000-0000-7000-8000-000000000004',
  correction: '0195f000-0000-7000-8000-000000000009',
  retraction: '0195f000-0000-7000-8000-000000000010',
};

export const PARTY = { name: '赵六', idNumber: '35010219800202567X', phone: '13912345678' };
export const COMPLAINANT = { name: '王五', idNumber: '350102199001011234', phone: '13812345678' };

const t = (day: string, hour = 10): string => `2026-${day}T${String(hour).padStart(2, '0')}:00:00+08:00`;

export function datasetA(): HubEvent[] {
  const name = '示例商贸有限公司';
  const specs: EventSpec[] = [
    { ...inspection('GSJ', A, 'INS-A1', t('03-02'), t('03-02', 12)), name },
    {
      agency: 'SYJ',
      uscc: A,
      occurredAt: t('03-03', 9),
      recordedAt: t('03-03', 11),
      recordId: 'CMP-A1',
      type: 'complaintReceived',
      payload: {
        complaintId: 'CMP-A1',
        channel: 'COMPLAINT_CHANNEL_HOTLINE',
        summary: '售卖过期食品 (selling expired food)',
        complainant: COMPLAINANT,
      },
    },
    { ...inspection('CGJ', A, 'INS-A2', t('03-04'), t('03-04', 12)), eventId: IDS.cgjInspection },
    {
      ...inspection('SYJ', A, 'INS-A3', t('03-05'), t('03-05', 12)),
      eventId: IDS.syjInspection,
    },
    {
      agency: 'GSJ',
      uscc: A,
      occurredAt: t('03-06'),
      recordedAt: t('03-06', 12),
      recordId: 'CASE-A1-open',
      type: 'penaltyCaseOpened',
      payload: { caseId: 'CASE-A1', matterCodes: ['D6-GSJ-001'], officers: OFFICERS, partyPerson: PARTY },
    },
    {
      agency: 'GSJ',
      uscc: A,
      occurredAt: t('03-10'),
      recordedAt: t('03-10', 12),
      recordId: 'CASE-A2-open',
      type: 'penaltyCaseOpened',
      payload: { caseId: 'CASE-A2', matterCodes: ['D6-GSJ-001'], officers: OFFICERS },
    },
    {
      agency: 'GSJ',
      uscc: A,
      occurredAt: t('03-12'),
      recordedAt: t('03-12', 12),
      recordId: 'TR-A1',
      type: 'caseTransferredToPolice',
      payload: {
        caseId: 'CASE-A2',
        transferNo: 'TR-A1',
        policeAgency: 'GAJ',
        transferLetterRef: 'doc://transfer/TR-A1',
        investigationReportRef: 'doc://report/CASE-A2',
      },
    },
    {
      agency: 'GSJ',
      uscc: A,
      occurredAt: t('03-20'),
      recordedAt: t('03-20', 12),
      recordId: 'CASE-A1-decided',
      type: 'penaltyDecided',
      payload: {
        caseId: 'CASE-A1',
        decisionNo: '工商罚〔2026〕1号',
        violationCode: 'V-001',
        legalBasisArticles: ['《产品质量法》第五十条'],
        amountFen: 500000,
      },
    },
    {
      agency: 'GSJ',
      uscc: A,
      occurredAt: t('03-22'),
      recordedAt: t('03-22', 12),
      recordId: 'CASE-A1-published',
      type: 'decisionPublished',
      payload: { caseId: 'CASE-A1', decisionNo: '工商罚〔2026〕1号' },
    },
    {
      agency: 'CGJ',
      uscc: A,
      occurredAt: t('04-01'),
      recordedAt: t('04-01', 12),
      recordId: 'INS-A2-fix',
      type: 'eventCorrected',
      eventId: IDS.correction,
      payload: {
        correctedEventId: IDS.cgjInspection,
        reason: '录入错误 (entry error)',
        replacement: {
          inspectionCompleted: {
            inspectionId: 'INS-A2',
            reason: 'INSPECTION_REASON_RANDOM_SELECTION',
            result: 'INSPECTION_RESULT_RECTIFICATION_ORDERED',
            matterCodes: ['D6-GSJ-001'],
            officers: OFFICERS,
          },
        },
      },
    },
    {
      agency: 'SYJ',
      uscc: A,
      occurredAt: t('04-02'),
      recordedAt: t('04-02', 12),
      recordId: 'INS-A3-retract',
      type: 'eventRetracted',
      eventId: IDS.retraction,
      payload: { retractedEventId: IDS.syjInspection, reason: '重复录入 (entered twice)' },
    },
  ];
  return specs.map(hubEvent);
}

export function datasetOthers(): HubEvent[] {
  return [
    {
      ...inspection('SYJ', B, 'INS-B1', t('03-08'), t('03-08', 12), { jointInspectionId: 'JI-1' }),
      name: '城南示例餐饮店',
    },
    { ...inspection('GSJ', C, 'INS-C1', t('03-09'), t('03-09', 12)), name: '示例物流有限公司' },
  ].map(hubEvent);
}

/** 60 events on P, three per day (ties broken by stream sequence), published newest first. */
export function datasetP(): HubEvent[] {
  const agencies = ['GSJ', 'SYJ', 'CGJ'];
  const events: EventSpec[] = [];
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2026, 1, 1 + Math.floor(i / 3), 2)).toISOString();
    events.push({
      ...inspection(agencies[i % 3] ?? 'GSJ', P, `INS-P${i}`, day, day),
      name: '批量测试企业',
    });
  }
  return events.reverse().map(hubEvent);
}
