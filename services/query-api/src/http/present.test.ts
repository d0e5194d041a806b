import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/roles.js';
import type { HistoryRow } from '../store/history.js';
import { presentEvent, presentEventJson } from './present.js';

const as = (...roles: Principal['roles']): Principal => ({ tokenId: 'tok_test', roles });

const row = (payload: Record<string, unknown>): HistoryRow => ({
  seq: 7,
  eventId: '0193a5d0-0000-7000-8000-000000000007',
  agency: 'GSJ',
  eventType: 'complaintReceived',
  occurredAt: '2026-03-01T02:00:00.000Z',
  recordedAt: '2026-03-01T03:00:00.000Z',
  correlationId: null,
  source: { system: 'gsj-case', recordId: 'R-7', revision: 0 },
  subjectRef: 'CMP-7',
  targetEventId: null,
  businessName: '示例商贸有限公司',
  status: 'active',
  supersededByEventId: null,
  supersededAt: null,
  payloadJson: JSON.stringify(payload),
});

const PAYLOADS: Record<string, unknown>[] = [
  { complaintId: 'CMP-7', summary: '反映 "phone" 一词 (a quoted word)', matterCodes: ['D6-GSJ-001'] },
  { complaintId: 'CMP-7', complainant: { name: '王五', phone: '13812345678' } },
  { partyPerson: { name: '张三', idNumber: '350102199001011234' }, amount: 1.5e21 },
  {},
];

const READERS: (Principal | undefined)[] = [
  as('committee'),
  as('supervision'),
  as('agency:GSJ'),
  as('agency:SYJ'),
  undefined,
];

describe('presentEventJson', () => {
  it('gives the same JSON as serialising the presented event, masked or not, for every reader', () => {
    for (const payload of PAYLOADS) {
      for (const reader of READERS) {
        const r = row(payload);
        const { payloadJson: _text, ...event } = r;
        const expected = JSON.stringify(presentEvent(reader, { ...event, payload }));
        expect(presentEventJson(reader, r)).toBe(expected);
      }
    }
  });

  it('masks a complainant for a reader of another agency, and shows it to the recording one', () => {
    const r = row(PAYLOADS[1]!);
    const other = JSON.parse(presentEventJson(as('agency:SYJ'), r)) as {
      masked: boolean;
      payload: { complainant: { phone: string } };
    };
    expect(other.masked).toBe(true);
    expect(other.payload.complainant.phone).toBe('***');
    const own = JSON.parse(presentEventJson(as('agency:GSJ'), r)) as typeof other;
    expect(own.masked).toBe(false);
    expect(own.payload.complainant.phone).toBe('13812345678');
  });
});
