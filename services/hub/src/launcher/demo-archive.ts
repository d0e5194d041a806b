/**
 * The demo's archive: one business's records as two departments' systems recorded them in March
 * and April 2026, published directly to JetStream with their original recorded times — as a
 * department that publishes from its own system does. It gives the demo a past to ask about:
 * what the hub showed on 1 April at 13:00 (after a correction, before a retraction) differs from
 * what it shows now. Fixed event ids: publishing it again changes nothing.
 */
import { parseHubEvent, type HubEvent } from '@hub/domain';

export const ARCHIVE_USCC = '91350100M000100Y43';
export const ARCHIVE_NAME = '示例商贸有限公司';

const id = (n: number) => `01958000-0000-7000-8000-${String(n).padStart(12, '0')}`;

const GSJ_OFFICERS = [
  { certificateNo: 'GSJ-0001', name: '张明' },
  { certificateNo: 'GSJ-0002', name: '李华' },
];
const SYJ_OFFICERS = [
  { certificateNo: 'SYJ-0001', name: '徐勇' },
  { certificateNo: 'SYJ-0002', name: '孙秀英' },
];

function event(
  n: number,
  agency: string,
  occurredAt: string,
  recordedAt: string,
  recordId: string,
  payload: Record<string, unknown>,
): HubEvent {
  const parsed = parseHubEvent({
    eventId: id(n),
    agency,
    business: { uscc: ARCHIVE_USCC, name: ARCHIVE_NAME },
    occurredAt,
    recordedAt,
    source: { system: `${agency.toLowerCase()}-case`, recordId, revision: 0 },
    ...payload,
  });
  if (!parsed.ok) throw new Error(`demo archive ${recordId}: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/** Five events: two inspections (a duplicate), a complaint, a correction, a retraction. */
export function demoArchive(): HubEvent[] {
  return [
    event(1, 'GSJ', '2026-03-02T10:00:00+08:00', '2026-03-02T12:00:00+08:00', 'INS-A1', {
      inspectionCompleted: {
        inspectionId: 'INS-A1',
        reason: 'INSPECTION_REASON_RANDOM_SELECTION',
        result: 'INSPECTION_RESULT_NO_ISSUES',
        matterCodes: ['D6-GSJ-001'],
        officers: GSJ_OFFICERS,
      },
    }),
    event(2, 'SYJ', '2026-03-12T10:00:00+08:00', '2026-03-12T12:00:00+08:00', 'INS-S1', {
      inspectionCompleted: {
        inspectionId: 'INS-S1',
        reason: 'INSPECTION_REASON_RANDOM_SELECTION',
        result: 'INSPECTION_RESULT_NO_ISSUES',
        matterCodes: ['D1-SYJ-001'],
        officers: SYJ_OFFICERS,
      },
    }),
    event(3, 'SYJ', '2026-03-20T09:00:00+08:00', '2026-03-20T09:30:00+08:00', 'CMP-A1', {
      complaintReceived: {
        complaintId: 'CMP-A1',
        channel: 'COMPLAINT_CHANNEL_HOTLINE',
        summary: '顾客反映所购食品已过保质期',
        matterCodes: ['D1-SYJ-001'],
        complainant: { name: '王女士', phone: '13800000000' },
      },
    }),
    event(4, 'GSJ', '2026-03-02T10:00:00+08:00', '2026-04-01T10:00:00+08:00', 'INS-A1-fix', {
      eventCorrected: {
        correctedEventId: id(1),
        reason: '检查结果录入有误 (result entered wrongly)',
        replacement: {
          inspectionCompleted: {
            inspectionId: 'INS-A1',
            reason: 'INSPECTION_REASON_RANDOM_SELECTION',
            result: 'INSPECTION_RESULT_RECTIFICATION_ORDERED',
            matterCodes: ['D6-GSJ-001'],
            officers: GSJ_OFFICERS,
          },
        },
      },
    }),
    event(5, 'SYJ', '2026-03-20T09:00:00+08:00', '2026-04-05T10:00:00+08:00', 'CMP-A1-retract', {
      eventRetracted: { retractedEventId: id(3), reason: '重复登记 (registered twice)' },
    }),
  ];
}
