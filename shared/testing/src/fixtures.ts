/** Valid sample events for tests, benches and the demo data. */
import { withUsccCheck, type HubEvent } from '@hub/domain';

/** The n-th sample business code: valid check character, deterministic. */
export const sampleUscc = (n: number): string => withUsccCheck(`913501007${String(n).padStart(8, '0')}`);

/** Officers registered in the sample officer registry (see agency-gateway's registry). */
export const SAMPLE_OFFICERS = [
  { certificateNo: 'GSJ-0001', name: '张明' },
  { certificateNo: 'GSJ-0002', name: '李华' },
];

export function sampleInspectionCompleted(
  n: number,
  overrides: { agency?: string; uscc?: string; occurredAt?: string; recordId?: string } = {},
): Record<string, unknown> {
  return {
    agency: overrides.agency ?? 'GSJ',
    business: { uscc: overrides.uscc ?? sampleUscc(n % 1000), name: `示例商贸有限公司${n % 1000}` },
    occurredAt: overrides.occurredAt ?? '2026-03-02T10:00:00+08:00',
    source: { system: 'gsj-case', recordId: overrides.recordId ?? `INS-${n}`, revision: 0 },
    inspectionCompleted: {
      inspectionId: `INS-${n}`,
      reason: 'INSPECTION_REASON_RANDOM_SELECTION',
      result: 'INSPECTION_RESULT_NO_ISSUES',
      matterCodes: ['D6-GSJ-001'],
      officers: SAMPLE_OFFICERS,
    },
  };
}

export type { HubEvent };
