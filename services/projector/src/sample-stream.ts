/**
 * Sample event streams for tests and benchmarks: a deterministic mix of every projected
 * event family over a set of businesses, and a pipelined publisher.
 *
 * @example
 * const events = sampleEvents(10_000, { businesses: 500 });
 * await publishEvents(nc, events); // resolves when every publish is acknowledged
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { TOOL_ACK_TIMEOUT_MS, encodeEvent, newEventId } from '@hub/platform';
import { eventSubject, withUsccCheck, type HubEvent } from '@hub/domain';

const OFFICERS = [
  { certificateNo: 'GSJ-0001', name: '张明' },
  { certificateNo: 'GSJ-0002', name: '李华' },
];

export const sampleBusiness = (n: number): string => withUsccCheck(`913501007${String(n).padStart(8, '0')}`);

/** The i-th event of a sample stream: inspections, penalty cases, transfers, complaints. */
export function sampleEvent(i: number, opts: { businesses?: number; agency?: string } = {}): HubEvent {
  const b = i % (opts.businesses ?? 500);
  const agency = opts.agency ?? (['GSJ', 'SYJ', 'ZJJ'] as const)[i % 3]!;
  const day = 1 + (i % 28);
  const occurredAt = `2026-03-${String(day).padStart(2, '0')}T0${i % 10}:00:00.000Z`;
  const base = {
    eventId: newEventId(),
    agency,
    business: { uscc: sampleBusiness(b), name: `示例商贸有限公司${b}`, address: `城关镇${b}号` },
    occurredAt,
    recordedAt: occurredAt,
    source: { system: 'sample', recordId: `R-${i}`, revision: 0 },
    schemaVersion: 1,
    correlationId: `C-${Math.floor(i / 8)}`,
  };
  const caseId = `CASE-${Math.floor(i / 8)}`;
  const inspectionId = `INS-${Math.floor(i / 8)}`;
  const kind = i % 8;
  const payload: Pick<HubEvent, 'type' | 'payload'> =
    kind === 0
      ? {
          type: 'inspectionPlanned',
          payload: {
            inspectionId,
            reason: 'INSPECTION_REASON_RANDOM_SELECTION',
            matterCodes: ['D6-GSJ-001'],
            plannedFor: occurredAt,
          },
        }
      : kind === 1
        ? {
            type: 'inspectionCompleted',
            payload: {
              inspectionId: `INS-${Math.floor((i - 1) / 8)}`,
              reason: 'INSPECTION_REASON_RANDOM_SELECTION',
              result: 'INSPECTION_RESULT_CASE_OPENED',
              matterCodes: ['D6-GSJ-001'],
              findings: [{ matterCode: 'D6-GSJ-001', description: '无照经营', violation: true }],
              officers: OFFICERS,
            },
          }
        : kind === 2
          ? {
              type: 'penaltyCaseOpened',
              payload: { caseId, matterCodes: ['D6-GSJ-001'], officers: OFFICERS },
            }
          : kind === 3
            ? {
                type: 'penaltyDecided',
                payload: {
                  caseId,
                  decisionNo: `罚字〔2026〕${i}号`,
                  violationCode: 'V-001',
                  legalBasisArticles: ['《行政处罚法》第二十八条'],
                  amountFen: 100_000 + i,
                  otherSanctions: [],
                },
              }
            : kind === 4
              ? { type: 'decisionServed', payload: { caseId, decisionNo: `罚字〔2026〕${i - 1}号` } }
              : kind === 5
                ? {
                    type: 'caseTransferredToPolice',
                    payload: {
                      caseId,
                      transferNo: `YS-${i}`,
                      policeAgency: 'GAJ',
                      transferLetterRef: 'doc://letter',
                      investigationReportRef: 'doc://report',
                      seizedItems: [],
                      testReports: [],
                      evidence: [],
                    },
                  }
                : kind === 6
                  ? {
                      type: 'complaintReceived',
                      payload: { complaintId: `TS-${i}`, summary: '群众举报无证经营', matterCodes: [] },
                    }
                  : {
                      type: 'inspectionStarted',
                      payload: { inspectionId: `INS-X-${i}`, officers: OFFICERS },
                    };
  return { ...base, ...payload } as HubEvent;
}

export const sampleEvents = (count: number, opts: { businesses?: number; from?: number } = {}): HubEvent[] =>
  Array.from({ length: count }, (_, k) => sampleEvent((opts.from ?? 0) + k, opts));

export const subjectOf = (e: HubEvent): string => eventSubject(e.agency, e.type, e.business.uscc);

/** Publishes raw messages with a window of unacknowledged publishes. */
export async function publishRaw(
  nc: NatsConnection,
  messages: Iterable<{ subject: string; data: Uint8Array; msgID?: string }>,
  window = 2000,
  // A window of acks outstanding: on a loaded machine the last of them can take seconds.
  ackTimeoutMs = TOOL_ACK_TIMEOUT_MS,
): Promise<number> {
  const js = jetstream(nc, { timeout: ackTimeoutMs });
  let inFlight: Promise<unknown>[] = [];
  let last = 0;
  for (const m of messages) {
    inFlight.push(
      js
        .publish(m.subject, m.data, m.msgID ? { msgID: m.msgID } : {})
        .then((ack) => (last = Math.max(last, ack.seq))),
    );
    if (inFlight.length >= window) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return last;
}

/** Publishes events to their subjects; resolves with the last stream sequence. */
export const publishEvents = (
  nc: NatsConnection,
  events: Iterable<HubEvent>,
  window?: number,
  ackTimeoutMs?: number,
): Promise<number> =>
  publishRaw(
    nc,
    (function* () {
      for (const e of events) yield { subject: subjectOf(e), data: encodeEvent(e) };
    })(),
    window,
    ackTimeoutMs,
  );
