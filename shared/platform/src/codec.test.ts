import { describe, expect, it } from 'vitest';
import { decodeEventJson, encodeEvent } from './codec.js';
import { parseHubEvent, parseSubmittedEvent, type HubEvent } from '@hub/domain';
import { sampleInspectionCompleted } from '@hub/testing';

const stamp = (e: Record<string, unknown>): Record<string, unknown> => ({
  ...e,
  eventId: '0190f2a4-1d2b-7c3e-8f00-000000000001',
  recordedAt: '2026-03-02T03:00:00.000Z',
});

describe('event codec', () => {
  it('round-trips canonical JSON through protobuf', () => {
    const parsed = parseHubEvent(stamp(sampleInspectionCompleted(1)));
    expect(parsed.ok).toBe(true);
    const event = (parsed as { value: HubEvent }).value;
    const back = parseHubEvent(decodeEventJson(encodeEvent(event)));
    expect(back).toEqual({ ok: true, value: event });
  });

  it('names the field and the reason for bad input', () => {
    const bad = sampleInspectionCompleted(1) as { business: { uscc: string } };
    bad.business.uscc = '91350100M000100Y44';
    const r = parseSubmittedEvent(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([
      { field: 'business.uscc', message: expect.stringContaining('校验位') },
    ]);
  });

  it('rejects an unknown event type and a missing payload', () => {
    const { inspectionCompleted, ...header } = sampleInspectionCompleted(1);
    expect(parseSubmittedEvent({ ...header, inspectionExploded: inspectionCompleted })).toMatchObject({
      ok: false,
      issues: [{ field: 'inspectionExploded' }],
    });
    expect(parseSubmittedEvent(header)).toMatchObject({ ok: false, issues: [{ field: '(payload)' }] });
  });
});

describe('timestamps', () => {
  it('accepts RFC 3339 with any offset and refuses impossible instants without throwing', async () => {
    const { isRfc3339 } = await import('@hub/domain');
    expect(isRfc3339('2026-03-01T09:30:00+08:00')).toBe(true);
    expect(isRfc3339('2024-02-29T00:00:00.123456789Z')).toBe(true);
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-04-01T24:00:00Z',
      '2026-04-01',
      '2026-04-01T10:00:00',
    ]) {
      expect(isRfc3339(bad), bad).toBe(false);
      const r = parseSubmittedEvent({ ...sampleInspectionCompleted(1), occurredAt: bad });
      expect(r).toMatchObject({ ok: false, issues: [{ field: 'occurredAt' }] });
    }
  });
});
