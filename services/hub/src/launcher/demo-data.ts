/**
 * Demo data for a local hub: a few dozen businesses inspected and penalised by several
 * agencies over 2026, posted through the agency services like any department would — so the
 * demo also exercises validation, the outbox and the relay; plus an archive with recorded times
 * in the past (demo-archive.ts). Deterministic: loading twice creates nothing new (same source
 * record ids, same archive event ids).
 */
import { AGENCIES, mattersOfAgency, officersOfAgency, withUsccCheck, type ServiceName } from '@hub/domain';
import { connectNats, publishEvents } from '@hub/platform';
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
  const nc = await connectNats({ servers: hub.natsUrl, name: 'hub-demo', waitOnFirstConnect: false });
  try {
    const archive = demoArchive();
    await publishEvents(nc, archive);
    accepted += archive.length;
  } finally {
    await nc.close();
  }
  return { accepted, failed };
}
