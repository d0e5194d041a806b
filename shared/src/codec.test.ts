import { describe, expect, it } from 'vitest';
import { decodeEventJson, encodeEvent } from './codec.js';
import { parseHubEvent, parseSubmittedEvent, type HubEvent } from './domain/events.js';
import { sampleInspectionCompleted } from './testing/fixtures.js';

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
