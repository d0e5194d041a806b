/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Fixtures for the agency service tests: a valid sample of every event type a department may
 * submit, the services in-process, and a reader of the whole events stream.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectNats, decodeEventJson } from '@hub/platform';
import { EVENTS_STREAM, type EventType } from '@hub/domain';
import { sampleUscc } from '@hub/testing';
import type { AgencyServiceDefinition } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from '@hub/market-supervision';
import { URBAN_CONSTRUCTION } from '@hub/urban-construction';
import { PUBLIC_SAFETY } from '@hub/public-safety';

export { MARKET_SUPERVISION, URBAN_CONSTRUCTION, PUBLIC_SAFETY };

export const OCCURRED = '2026-03-02T10:00:00+08:00';
const T1 = '2026-03-02T09:00:00+08:00';
export const GSJ_OFFICERS = [
  { certificateNo: 'GSJ-0001', name: '张明' },
  { certificateNo: 'GSJ-0002', name: '李华' },
];

const UUID = '01950000-0000-7000-8000-000000000001';

/** Payloads of every type a department may submit (OFFICE_EVENT_TYPES are the offices' own). */
export const PAYLOADS: Partial<Record<EventType, Record<string, unknown>>> = {
  inspectionPlanned: {
    inspectionId: 'INS-1',
    reason: 'INSPECTION_REASON_ANNUAL_PLAN',
    matterCodes: ['D6-GSJ-001'],
    plannedFor: '2026-04-01T09:00:00+08:00',
    jointInspectionId: 'JI-1',
  },
  inspectionStarted: { inspectionId: 'INS-1', officers: GSJ_OFFICERS },
  inspectionCompleted: {
    inspectionId: 'INS-1',
    reason: 'INSPECTION_REASON_COMPLAINT',
    result: 'INSPECTION_RESULT_RECTIFICATION_ORDERED',
    matterCodes: ['D6-GSJ-001', 'D6-GSJ-002'],
    findings: [{ matterCode: 'D6-GSJ-002', description: '店招宣传"全县第一"', violation: true }],
    officers: GSJ_OFFICERS,
    startedAt: T1,
    jointInspectionId: 'JI-1',
    quietPeriodReason: '投诉核查',
  },
  inspectionCancelled: { inspectionId: 'INS-2', reason: '企业已注销' },
  penaltyCaseOpened: {
    caseId: 'CASE-1',
    matterCodes: ['D6-GSJ-002'],
    facts: '发布虚假广告',
    violationFrom: '2026-01-01T00:00:00+08:00',
    violationTo: '2026-02-01T00:00:00+08:00',
    officers: GSJ_OFFICERS,
    partyPerson: { name: '王五', idNumber: '35010019800101123X', phone: '13800000000' },
    inspectionId: 'INS-1',
  },
  penaltyNoticeServed: { caseId: 'CASE-1', proposedAmountFen: '500000', hearingRightsNotified: true },
  statementRequested: { caseId: 'CASE-1', hearingRequested: true },
  hearingHeld: { caseId: 'CASE-1', presidingOfficer: '赵六', summary: '当事人陈述' },
  legalReviewCompleted: { caseId: 'CASE-1', approved: true, reviewer: '法制科', opinion: '同意' },
  collectiveDiscussionHeld: { caseId: 'CASE-1', conclusion: '同意处罚' },
  penaltyDecided: {
    caseId: 'CASE-1',
    decisionNo: '工商罚〔2026〕1号',
    violationCode: 'D6-GSJ-002',
    legalBasisArticles: ['《反不正当竞争法》第二十条'],
    amountFen: 500000,
    otherSanctions: ['警告'],
    violationFrom: '2026-01-01T00:00:00+08:00',
    violationTo: '2026-02-01T00:00:00+08:00',
    major: true,
  },
  decisionServed: { caseId: 'CASE-1', decisionNo: '工商罚〔2026〕1号' },
  decisionPublished: {
    caseId: 'CASE-1',
    decisionNo: '工商罚〔2026〕1号',
    url: 'https://example.gov.cn/gs/1',
  },
  decisionRevoked: { caseId: 'CASE-1', decisionNo: '工商罚〔2026〕1号', reason: '复议撤销' },
  decisionChanged: {
    caseId: 'CASE-1',
    decisionNo: '工商罚〔2026〕1号',
    newAmountFen: 300000,
    otherSanctions: ['警告'],
    reason: '复议变更',
  },
  caseTransferredToPolice: {
    caseId: 'CASE-1',
    transferNo: 'YS-2026-1',
    policeAgency: 'GAJ',
    transferLetterRef: 'doc://yisong/1',
    investigationReportRef: 'doc://diaocha/1',
    seizedItems: [{ name: '假冒商品', quantity: '200件', location: '仓库' }],
    testReports: [{ kind: '检验报告', reference: 'doc://jy/1', description: '假冒' }],
    evidence: [{ kind: '照片', reference: 'doc://zp/1' }],
    suspectedOffence: '销售伪劣产品罪',
  },
  complaintReceived: {
    complaintId: 'TS-1',
    channel: 'COMPLAINT_CHANNEL_HOTLINE',
    summary: '商品质量问题',
    matterCodes: ['D6-GSJ-002'],
    complainant: { name: '钱七', phone: '13900000000' },
    anonymous: true,
  },
  eventCorrected: {
    correctedEventId: UUID,
    reason: '结果录入错误',
    replacement: {
      occurredAt: '2026-03-02T02:00:00.000Z',
      inspectionCancelled: { inspectionId: 'INS-2', reason: '更正' },
    },
  },
  eventRetracted: { retractedEventId: UUID, reason: '重复录入' },
  jointInspectionProposed: {
    jointInspectionId: 'JI-1',
    leadAgency: 'GSJ',
    cooperatingAgencies: ['ZJJ', 'SYJ'],
    matterCodes: ['D6-GSJ-001'],
    inspectionIds: ['INS-1', 'INS-3'],
    proposedFor: '2026-04-01T09:00:00+08:00',
    alertId: 'AL-1',
  },
  jointInspectionAccepted: { jointInspectionId: 'JI-1' },
  jointInspectionDeclined: { jointInspectionId: 'JI-2', reason: '已检查' },
  alertAcknowledged: { alertId: 'AL-1', by: '张明' },
  alertResolved: { alertId: 'AL-1', by: '张明', reason: '已联合检查' },
  paymentReceived: {
    caseId: 'CASE-1',
    decisionNo: '工商罚〔2026〕1号',
    decidingAgency: 'GSJ',
    amountFen: 500000,
    bank: '农业银行县支行',
    receiptNo: 'PJ-1',
  },
  policeAcceptedTransfer: { caseId: 'CASE-1', transferNo: 'YS-2026-1', policeCaseNo: 'GA-2026-9' },
  policeDeclinedTransfer: { caseId: 'CASE-2', transferNo: 'YS-2026-2', reason: '不构成犯罪' },
  decisionReviewConcluded: {
    caseId: 'CASE-1',
    decisionNo: '工商罚〔2026〕1号',
    route: 'REVIEW_ROUTE_RECONSIDERATION',
    outcome: 'REVIEW_OUTCOME_CHANGED',
    reviewBody: '县人民政府',
    reason: '处罚畸重',
    newAmountFen: 300000,
  },
  transferReportMade: {
    caseId: 'CASE-1',
    transferNo: 'YS-2026-1',
    suspectedOffence: '销售伪劣产品罪',
    reportedBy: '张明',
  },
  transferApproved: { caseId: 'CASE-1', transferNo: 'YS-2026-1', approvedBy: '局长' },
  transferRefused: { caseId: 'CASE-2', transferNo: 'YS-2026-2', reason: '情节轻微' },
  policeCaseFiled: { caseId: 'CASE-1', transferNo: 'YS-2026-1', policeCaseNo: 'GA-2026-9' },
};

/** Which agency reports each type in the samples, and so which service takes it. */
export function reporterOf(type: EventType): { agency: string; definition: AgencyServiceDefinition } {
  if (type === 'paymentReceived') return { agency: 'CZJ', definition: MARKET_SUPERVISION };
  if (type === 'policeAcceptedTransfer' || type === 'policeDeclinedTransfer' || type === 'policeCaseFiled')
    return { agency: 'GAJ', definition: PUBLIC_SAFETY };
  return { agency: 'GSJ', definition: MARKET_SUPERVISION };
}

/** One event in canonical JSON. */
export function sampleEvent(
  type: EventType,
  n: number,
  overrides: {
    agency?: string;
    recordId?: string;
    revision?: number;
    occurredAt?: string;
    payload?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const agency = overrides.agency ?? reporterOf(type).agency;
  return {
    agency,
    business: {
      uscc: sampleUscc(n % 1000),
      name: `示例商贸有限公司${n % 1000}`,
      address: '县城关镇人民路1号',
    },
    occurredAt: overrides.occurredAt ?? OCCURRED,
    source: {
      system: 'test-system',
      recordId: overrides.recordId ?? `${type}-${n}`,
      revision: overrides.revision ?? 0,
    },
    correlationId: 'CASE-1',
    [type]: overrides.payload ?? PAYLOADS[type],
  };
}

/** An inspection completed by the given agency with its own registered officers and matter. */
export function inspectionBy(
  agency: string,
  matter: string,
  n: number,
  officers: { certificateNo: string; name: string }[],
) {
  return sampleEvent('inspectionCompleted', n, {
    agency,
    payload: {
      inspectionId: `INS-${agency}-${n}`,
      reason: 'INSPECTION_REASON_RANDOM_SELECTION',
      result: 'INSPECTION_RESULT_NO_ISSUES',
      matterCodes: [matter],
      officers,
    },
  });
}

export interface StreamedEvent {
  subject: string;
  msgId: string | undefined;
  json: Record<string, unknown>;
}

/** Every message of the events stream, decoded, in stream order. */
export async function readEventsStream(natsUrl: string): Promise<StreamedEvent[]> {
  const nc = await connectNats({ servers: natsUrl, name: 'test-reader' });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const total = (await jsm.streams.info(EVENTS_STREAM)).state.messages;
    const out: StreamedEvent[] = [];
    if (total === 0) return out;
    const consumer = await jetstream(nc, { timeout: 30_000 }).consumers.get(EVENTS_STREAM);
    while (out.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(total - out.length, 1000), expires: 2000 });
      for await (const m of batch) {
        out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), json: decodeEventJson(m.data) });
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Number of messages in the events stream. */
export async function streamCount(natsUrl: string): Promise<number> {
  const nc = await connectNats({ servers: natsUrl, name: 'test-count' });
  try {
    return (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state
      .messages;
  } finally {
    await nc.close();
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function postJson(url: string, body: unknown, token: string, contentType = 'application/json') {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...bearer(token) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
