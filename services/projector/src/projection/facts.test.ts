import { describe, expect, it } from 'vitest';
import { encodeEvent } from '@hub/platform';
import { sampleEvent, subjectOf } from '../sample-stream.js';
import { decodeStreamMessage } from './decode.js';
import { entityKeys, shanghaiDay, subjectRef } from './facts.js';

describe('facts', () => {
  it('counts days in Asia/Shanghai', () => {
    expect(shanghaiDay('2026-03-01T15:59:59.000Z')).toBe('2026-03-01');
    expect(shanghaiDay('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
  });

  it('files a payment under the deciding agency (缴罚分离) and a transfer under case and transfer', () => {
    expect(
      entityKeys({
        type: 'paymentReceived',
        agency: 'CZJ',
        payload: { caseId: 'C1', decidingAgency: 'GSJ' },
      }),
    ).toEqual([{ family: 'penalty', ref: 'C1', agency: 'GSJ' }]);
    const transfer = entityKeys({
      type: 'caseTransferredToPolice',
      agency: 'GSJ',
      payload: { caseId: 'C1', transferNo: 'T1' },
    });
    expect(transfer.map((k) => k.family)).toEqual(['penalty', 'transfer']);
    expect(subjectRef('inspectionCompleted', { inspectionId: 'I1', jointInspectionId: 'J1' })).toBe('I1');
    expect(subjectRef('complaintReceived', { complaintId: 'TS1' })).toBe('TS1');
  });
});

describe('decodeStreamMessage', () => {
  const event = sampleEvent(1);
  const msg = (subject: string, data: Uint8Array) => ({
    seq: 1,
    subject,
    data,
    time: '2026-03-01T00:00:00.000Z',
  });

  it('accepts an event whose subject matches it', () => {
    expect(decodeStreamMessage(msg(subjectOf(event), encodeEvent(event))).ok).toBe(true);
  });

  it('rejects a subject naming another business or type', () => {
    const other = subjectOf(event).replace(/\.[^.]+$/, '.91350100M000100Y43');
    const r = decodeStreamMessage(msg(other, encodeEvent(event)));
    expect(r).toMatchObject({ ok: false, reason: 'subject_mismatch', eventId: event.eventId });
  });

  it('keeps what the subject says about an undecodable payload', () => {
    const r = decodeStreamMessage(
      msg('enf.evt.GSJ.inspection_completed.91350100M000100Y43', new Uint8Array([0xff])),
    );
    expect(r).toMatchObject({ ok: false, reason: 'undecodable', agency: 'GSJ', uscc: '91350100M000100Y43' });
  });
});
