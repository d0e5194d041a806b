/**
 * Builds canonical JSON events (the HTTP form, valid per `parseSubmittedEvent`, with the hub's
 * event id and recorded-at already set) and keeps them in arrival order.
 */
import type { Random } from './random.js';

export type CanonicalEvent = Record<string, unknown> & {
  eventId: string;
  recordedAt: string;
  occurredAt: string;
};

const OFFICER_NAMES = ['张明', '李华', '王芳', '陈刚', '刘洋', '赵丽', '孙伟', '周敏'];
const MIN = 60_000;

export type Reason =
  'RANDOM_SELECTION' | 'ANNUAL_PLAN' | 'SPECIAL_CAMPAIGN' | 'COMPLAINT' | 'FOLLOW_UP' | 'REFERRAL';

export interface Visit {
  id: string;
  at: number;
  reason: Reason;
  matters: string[];
  joint?: string;
  quietReason?: string;
  result?: 'NO_ISSUES' | 'RECTIFICATION_ORDERED' | 'CASE_OPENED';
  /** When the hub receives the completion, if long after the visit (records loaded late). */
  loadedAt?: number;
}

export function createEmitter(rng: Random) {
  const out: { seq: number; at: number; event: CanonicalEvent }[] = [];
  let seq = 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const uuid7 = (ms: number) => {
    const t = ms.toString(16).padStart(12, '0');
    return `${t.slice(0, 8)}-${t.slice(8)}-7${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
  };
  const officers = (agency: string) => {
    const a = rng.int(1, 40);
    return [
      { certificateNo: `${agency}-${String(a).padStart(4, '0')}`, name: rng.pick(OFFICER_NAMES) },
      { certificateNo: `${agency}-${String(a + 1).padStart(4, '0')}`, name: rng.pick(OFFICER_NAMES) },
    ];
  };

  /** Emits one event; it arrives at the hub a few minutes after it occurred (or at `loadedAt`). */
  function emit(
    agency: string,
    uscc: string,
    name: string,
    occurredAt: number,
    body: Record<string, unknown>,
    loadedAt?: number,
  ) {
    const recorded = loadedAt ?? occurredAt + rng.int(1, 30) * MIN;
    const eventId = uuid7(recorded);
    const event: CanonicalEvent = {
      eventId,
      agency,
      business: name ? { uscc, name } : { uscc },
      occurredAt: iso(occurredAt),
      recordedAt: iso(recorded),
      source: { system: `${agency.toLowerCase()}-case`, recordId: `${agency}-${++seq}`, revision: 0 },
      // As a direct publisher must (the projector refuses an event without it).
      schemaVersion: 1,
      ...body,
    };
    out.push({ seq, at: recorded, event });
    return event;
  }

  /** An event built elsewhere (office events: calendar versions, clock ticks), arriving at `at`. */
  const raw = (event: CanonicalEvent, at: number) => void out.push({ seq: ++seq, at, event });

  return {
    emit,
    raw,
    planned: (agency: string, uscc: string, name: string, occurredAt: number, v: Visit) =>
      emit(agency, uscc, name, occurredAt, {
        inspectionPlanned: {
          inspectionId: v.id,
          reason: `INSPECTION_REASON_${v.reason}`,
          matterCodes: v.matters,
          plannedFor: iso(v.at),
          ...(v.joint ? { jointInspectionId: v.joint } : {}),
        },
      }),
    /** Completed two hours after the visit started; the rules date it by its start. */
    completed: (agency: string, uscc: string, name: string, v: Visit) =>
      emit(
        agency,
        uscc,
        name,
        v.at + 120 * MIN,
        {
          inspectionCompleted: {
            inspectionId: v.id,
            reason: `INSPECTION_REASON_${v.reason}`,
            result: `INSPECTION_RESULT_${v.result ?? 'NO_ISSUES'}`,
            matterCodes: v.matters,
            findings: v.matters.map((m) => ({ matterCode: m, violation: v.result === 'CASE_OPENED' })),
            officers: officers(agency),
            startedAt: iso(v.at),
            ...(v.joint ? { jointInspectionId: v.joint } : {}),
            ...(v.quietReason ? { quietPeriodReason: v.quietReason } : {}),
          },
        },
        v.loadedAt,
      ),
    cancelled: (agency: string, uscc: string, name: string, occurredAt: number, inspectionId: string) =>
      emit(agency, uscc, name, occurredAt, {
        inspectionCancelled: { inspectionId, reason: '并入联合检查或计划调整' },
      }),
    retracted: (e: CanonicalEvent, occurredAt: number) =>
      emit(e.agency as string, (e.business as { uscc: string }).uscc, '', occurredAt, {
        eventRetracted: { retractedEventId: e.eventId, reason: '误报，撤回' },
      }),
    corrected: (e: CanonicalEvent, occurredAt: number, type: string, payload: Record<string, unknown>) =>
      emit(e.agency as string, (e.business as { uscc: string }).uscc, '', occurredAt, {
        eventCorrected: {
          correctedEventId: e.eventId,
          reason: '检查日期录入错误',
          replacement: { [type]: payload },
        },
      }),
    officers,
    iso,
    /** Events in the order the hub records them. */
    events: (): CanonicalEvent[] => out.sort((a, b) => a.at - b.at || a.seq - b.seq).map((x) => x.event),
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
