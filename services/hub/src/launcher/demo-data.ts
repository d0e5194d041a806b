/**
 * Demo data for a local hub: a few dozen businesses inspected and penalised by several
 * agencies over 2026, posted through the agency services like any department would — so the
 * demo also exercises validation, the outbox and the relay; plus an archive with recorded times
 * in the past (demo-archive.ts). Deterministic: loading twice creates nothing new (same source
 * record ids, same archive event ids).
 */
import { AGENCIES, mattersOfAgency, officersOfAgency, withUsccCheck, type ServiceName } from '@hub/domain';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_USER,
  connectNats,
  credentialsDir,
  loadOrCreateSigningKey,
  publishEvents,
  signatureHeaders,
} from '@hub/platform';
import { demoArchive } from './demo-archive.js';
import type { HubServiceName, LocalHub } from './local-hub.js';

const NAMES = [
  '鑫源商贸',
  '恒达建材',
  '福满楼餐饮',
  '康宁药房',
  '顺风物流',
  '金穗粮油',
  '华美装饰',
  '安居物业',
];
const REASONS = [
  'INSPECTION_REASON_RANDOM_SELECTION',
  'INSPECTION_REASON_ANNUAL_PLAN',
  'INSPECTION_REASON_COMPLAINT',
  'INSPECTION_REASON_SPECIAL_CAMPAIGN',
] as const;
const DEMO_AGENCIES = ['GSJ', 'SYJ', 'ZJJ', 'CGJ', 'XFDD', 'AJJ'] as const;

export const demoUscc = (n: number): string => withUsccCheck(`91350100D${String(n).padStart(8, '0')}`);

const at = (day: number, hour = 10): string => new Date(Date.UTC(2026, 0, 5 + day, hour - 8)).toISOString();

function officers(agency: string) {
  return officersOfAgency(agency)
    .filter((o) => o.validTo >= '2026-12-31')
    .slice(0, 2)
    .map((o) => ({ certificateNo: o.certificateNo, name: o.name }));
}

/** The demo events, grouped by the agency service that takes them. */
export function demoEvents(businesses = 24): Map<ServiceName, Record<string, unknown>[]> {
  const out = new Map<ServiceName, Record<string, unknown>[]>();
  // Payments come from the finance bureau, through the service of the deciding agency.
  const push = (agency: string, event: Record<string, unknown>) => {
    const service = AGENCIES[agency]?.service;
    if (!service) return;
    out.set(service, [...(out.get(service) ?? []), event]);
  };
  for (let b = 1; b <= businesses; b++) {
    const uscc = demoUscc(b);
    const business = { uscc, name: `示范县${NAMES[b % NAMES.length]}有限公司${b}` };
    // Two or three agencies each inspect the business; close dates make duplicate alerts.
    for (let k = 0; k < 2 + (b % 2); k++) {
      const agency = DEMO_AGENCIES[(b + k * 2) % DEMO_AGENCIES.length] ?? 'GSJ';
      const matter = mattersOfAgency(agency).find((m) => m.leadAgency === agency);
      if (!matter) continue;
      const id = `DEMO-${agency}-${b}-${k}`;
      const day = (b * 11 + k * 9) % 300;
      push(agency, {
        agency,
        business,
        occurredAt: at(day),
        source: { system: `${agency.toLowerCase()}-demo`, recordId: id, revision: 0 },
        inspectionCompleted: {
          inspectionId: id,
          reason: REASONS[(b + k) % REASONS.length],
          result: b % 5 === 0 && k === 0 ? 'INSPECTION_RESULT_CASE_OPENED' : 'INSPECTION_RESULT_NO_ISSUES',
          matterCodes: [matter.code],
          officers: officers(agency),
          startedAt: at(day, 9),
        },
      });
      if (b % 5 === 0 && k === 0) {
        const caseId = `CASE-${id}`;
        const common = { agency, business, source: { system: `${agency.toLowerCase()}-demo`, revision: 0 } };
        push(agency, {
          ...common,
          occurredAt: at(day + 1),
          source: { ...common.source, recordId: `${caseId}-open` },
          penaltyCaseOpened: {
            caseId,
            matterCodes: [matter.code],
            facts: '检查中发现违法行为',
            officers: officers(agency),
          },
        });
        push(agency, {
          ...common,
          occurredAt: at(day + 20),
          source: { ...common.source, recordId: `${caseId}-decided` },
          penaltyDecided: {
            caseId,
            decisionNo: `${AGENCIES[agency]?.name ?? agency}罚决字〔2026〕${b}号`,
            violationCode: matter.code,
            legalBasisArticles: [matter.legalBasis],
            amountFen: 500_000 + b * 10_000,
          },
        });
        const decisionNo = `${AGENCIES[agency]?.name ?? agency}罚决字〔2026〕${b}号`;
        const later = (days: number, recordId: string, payload: Record<string, unknown>) =>
          push(agency, {
            ...common,
            occurredAt: at(day + days),
            source: { ...common.source, recordId },
            ...payload,
          });
        later(21, `${caseId}-served`, { decisionServed: { caseId, decisionNo } });
        later(24, `${caseId}-published`, { decisionPublished: { caseId, decisionNo } });
        push(agency, {
          agency: 'CZJ',
          business,
          occurredAt: at(day + 30),
          source: { system: 'czj-nontax', recordId: `PAY-${caseId}`, revision: 0 },
          paymentReceived: {
            caseId,
            decisionNo,
            decidingAgency: agency,
            amountFen: 500_000 + b * 10_000,
            bank: '县农商银行',
            receiptNo: `PAY-${b}`,
          },
        });
      }
      if (b % 7 === 0 && k === 0) {
        push(agency, {
          agency,
          business,
          occurredAt: at(day - 3),
          source: { system: `${agency.toLowerCase()}-12345`, recordId: `CMP-${id}`, revision: 0 },
          complaintReceived: {
            complaintId: `CMP-${id}`,
            channel: 'COMPLAINT_CHANNEL_HOTLINE',
            summary: '群众来电反映经营场所存在安全隐患',
            matterCodes: [matter.code],
            complainant: { name: '王女士', phone: '13800000000' },
          },
        });
      }
    }
  }
  for (const event of coordinationDemo()) push(event.agency as string, event);
  return out;
}

const leadMatter = (agency: string) => mattersOfAgency(agency).find((m) => m.leadAgency === agency);

/**
 * A few records that show the coordination side: transfers to police (两法衔接, one accepted,
 * others waiting past the 3-day deadline), a second fine for the same violation (一事不再罚), and
 * a joint inspection whose quiet period is still running.
 */
function coordinationDemo(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const business = (b: number) => ({
    uscc: demoUscc(b),
    name: `示范县${NAMES[b % NAMES.length]}有限公司${b}`,
  });
  const event = (
    agency: string,
    b: number,
    day: number,
    recordId: string,
    payload: Record<string, unknown>,
  ) =>
    out.push({
      agency,
      business: business(b),
      occurredAt: at(day),
      source: { system: `${agency.toLowerCase()}-demo`, recordId, revision: 0 },
      ...payload,
    });
  // 两法衔接: the urban management bureau transfers three cases; the police accepted one.
  for (const [b, day] of [
    [3, 250],
    [9, 318],
    [15, 322],
  ] as const) {
    const matter = leadMatter('CGJ');
    if (!matter) break;
    const caseId = `CASE-CGJ-T${b}`;
    const transferNo = `城管移〔2026〕${b}号`;
    event('CGJ', b, day, `${caseId}-open`, {
      penaltyCaseOpened: {
        caseId,
        matterCodes: [matter.code],
        facts: '违法建设涉嫌犯罪',
        officers: officers('CGJ'),
      },
    });
    event('CGJ', b, day + 2, `${caseId}-transfer`, {
      caseTransferredToPolice: {
        caseId,
        transferNo,
        policeAgency: 'GAJ',
        transferLetterRef: `${transferNo} 移送函`,
        investigationReportRef: `${caseId} 调查报告`,
        seizedItems: [{ name: '施工机具', quantity: '2台', location: '县城管局暂扣仓库' }],
        testReports: [],
        evidence: [{ kind: '现场照片', reference: `${caseId}-P1` }],
        suspectedOffence: '非法占用农用地罪',
      },
    });
    if (b === 3) {
      event('GAJ', b, day + 4, `${caseId}-accepted`, {
        policeAcceptedTransfer: { caseId, transferNo, policeCaseNo: `公刑〔2026〕${b}号` },
      });
    }
  }
  // 一事不再罚: the market regulator fines business 10 under the article the fire brigade already used.
  const fire = leadMatter('XFDD');
  if (fire) {
    const caseId = 'CASE-GSJ-R10';
    event('GSJ', 10, 140, `${caseId}-open`, {
      penaltyCaseOpened: {
        caseId,
        matterCodes: ['D5-XFDD-004'],
        facts: '消防通道堵塞',
        officers: officers('GSJ'),
      },
    });
    event('GSJ', 10, 150, `${caseId}-decided`, {
      penaltyDecided: {
        caseId,
        decisionNo: '县工商局罚决字〔2026〕R10号',
        violationCode: 'D5-XFDD-004',
        legalBasisArticles: [fire.legalBasis],
        amountFen: 300_000,
      },
    });
  }
  // 联合检查: the market regulator and the fire brigade visit business 4 together in November.
  for (const agency of ['GSJ', 'XFDD']) {
    const matter = leadMatter(agency);
    if (!matter) continue;
    event(agency, 4, 318, `JOINT-4-${agency}`, {
      inspectionCompleted: {
        inspectionId: `JOINT-4-${agency}`,
        reason: 'INSPECTION_REASON_ANNUAL_PLAN',
        result: 'INSPECTION_RESULT_NO_ISSUES',
        matterCodes: [matter.code],
        officers: officers(agency),
        startedAt: at(318, 9),
        jointInspectionId: 'JI-DEMO-4',
      },
    });
  }
  return out;
}

/**
 * Posts the demo events through the agency services with the local demo token, and publishes
 * the archive (demo-archive.ts) directly to JetStream.
 */
export async function loadDemoData(
  hub: LocalHub,
  token: string,
): Promise<{ accepted: number; failed: number }> {
  let accepted = 0;
  let failed = 0;
  for (const [service, events] of demoEvents()) {
    const url = `${hub.urls[service as HubServiceName]}/v1/events`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ events }),
    });
    if (res.status === 202) accepted += events.length;
    else {
      failed += events.length;
      console.error(`演示数据被拒绝 (demo data refused) by ${service}: ${res.status} ${await res.text()}`);
    }
  }
  // The local hub's admin identity, as a department's own system would use its own.
  const admin = join(credentialsDir(hub.dataDir), `${ADMIN_USER}.nk`);
  const nc = await connectNats({
    servers: hub.natsUrl,
    name: 'hub-demo',
    waitOnFirstConnect: false,
    ...(existsSync(admin) ? { creds: admin } : {}),
  });
  try {
    const archive = demoArchive();
    // Signed with the department's key, as its own system would (the projector requires it).
    await publishEvents(nc, archive, {
      sign: (body, e) => signatureHeaders(loadOrCreateSigningKey(hub.dataDir, e.agency), body),
    });
    accepted += archive.length;
  } finally {
    await nc.close();
  }
  return { accepted, failed };
}
