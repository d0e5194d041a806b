import { describe, expect, it } from 'vitest';
import { parseSubmittedEvent, type SubmittedEvent } from '@hub/domain';
import { sampleInspectionCompleted } from '@hub/testing';
import { checkEventRules } from './event-rules.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const MARKET = ['GSJ', 'ZJJ', 'SYJ', 'JMZX'];
const SAFETY = ['GAJ', 'XFDD', 'AJJ', 'JTJ'];

const parsed = (input: Record<string, unknown>): SubmittedEvent => {
  const r = parseSubmittedEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const base = sampleInspectionCompleted(1);
const { inspectionCompleted: _payload, ...header } = base;
const rulesOf = (input: Record<string, unknown>, agencies = MARKET) =>
  checkEventRules(parsed(input), { agencies, now: NOW }).map((i) => [i.rule, i.field]);

describe('event rules', () => {
  it('accepts a sound inspection', () => {
    expect(rulesOf(base)).toEqual([]);
  });

  it('checks officers against the registry at the time of the act', () => {
    const officers = [
      { certificateNo: 'GSJ-0001', name: '李华' },
      { certificateNo: 'GSJ-0002', name: '李华' },
    ];
    const payload = { ...(base.inspectionCompleted as object), officers };
    expect(rulesOf({ ...base, inspectionCompleted: payload })).toEqual([
      ['OFFICER_NAME_MISMATCH', 'inspectionCompleted.officers.0'],
    ]);
    const early = { ...base, occurredAt: '2023-06-01T00:00:00+08:00' };
    expect(rulesOf(early).map(([r]) => r)).toEqual([
      'OFFICER_CERTIFICATE_NOT_YET_VALID',
      'OFFICER_CERTIFICATE_NOT_YET_VALID',
    ]);
  });

  it('keeps transfers between enforcement agencies and the police', () => {
    const transfer = {
      ...header,
      caseTransferredToPolice: {
        caseId: 'C1',
        transferNo: 'T1',
        policeAgency: 'AJJ',
        transferLetterRef: 'doc://1',
        investigationReportRef: 'doc://2',
      },
    };
    expect(rulesOf(transfer)).toEqual([['NOT_A_POLICE_AGENCY', 'caseTransferredToPolice.policeAgency']]);
    const accepted = {
      ...header,
      agency: 'XFDD',
      policeAcceptedTransfer: { caseId: 'C1', transferNo: 'T1' },
    };
    expect(rulesOf(accepted, SAFETY)).toEqual([['NOT_A_POLICE_AGENCY', 'agency']]);
    expect(rulesOf({ ...accepted, agency: 'GAJ' }, SAFETY)).toEqual([]);
  });

  it('lets the finance bureau report payments only', () => {
    expect(rulesOf({ ...base, agency: 'CZJ' })).toContainEqual([
      'FINANCE_REPORTS_ONLY_PAYMENTS',
      'inspectionCompleted',
    ]);
  });
});
