/**
 * The encoder's fast path (shared/platform/src/codec.ts: canonical JSON walked into what the
 * generated encoder takes) gives the same bytes as protobufjs' `fromObject` then `encode`, on
 * every sample event of every type, on a generated scenario, as submitted and as the gateway
 * builds them (parsed, back to canonical JSON, with id and recorded-at), and on enums given by
 * number and timestamps with offsets.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, parseSubmittedEvent, toCanonicalJson } from '@hub/domain';
import { encodeCanonical, encodeCanonicalViaFromObject } from '@hub/platform';
import { generateScenario } from '@hub/testing';
import { sampleEvent } from './agency-fixtures.js';

type Json = Record<string, unknown>;

const stamped = (e: Json): Json => ({
  ...e,
  eventId: '01a234b9-6ff1-7f5c-9a07-e0a80a7bacb8',
  recordedAt: '2026-03-02T03:00:00.000Z',
});

const same = (json: Json) =>
  expect(Buffer.from(encodeCanonical(json)).toString('hex')).toBe(
    Buffer.from(encodeCanonicalViaFromObject(json)).toString('hex'),
  );

describe('encodeCanonical fast path = fromObject + encode', () => {
  const samples = EVENT_TYPES.map((t, n) => sampleEvent(t, n) as Json);
  const scenario = generateScenario({ seed: 11, businesses: 60 }).events.slice(0, 1500) as Json[];

  it('the same bytes for every sample and scenario event, as sent and as the gateway builds it', () => {
    for (const e of [...samples, ...scenario]) {
      same(stamped(e));
      const parsed = parseSubmittedEvent(e);
      if (parsed.ok) same(stamped(toCanonicalJson(parsed.value)));
    }
  });

  it('the same bytes for enums by number, timestamps with offsets and nanoseconds, unknown enum names', () => {
    const e = stamped(samples[EVENT_TYPES.indexOf('inspectionCompleted')]!);
    const payload = e.inspectionCompleted as Json;
    same({ ...e, inspectionCompleted: { ...payload, result: 2 } });
    same({ ...e, inspectionCompleted: { ...payload, result: 'INSPECTION_RESULT_NO_SUCH' } });
    same({ ...e, occurredAt: '2026-03-01T09:30:00.123456789+08:00' });
    same({ ...e, occurredAt: null, correlationId: undefined });
  });

  it('throws where fromObject throws: a message field that is not an object', () => {
    const e = stamped(samples[0]!);
    expect(() => encodeCanonicalViaFromObject({ ...e, business: 'x' })).toThrow(TypeError);
    expect(() => encodeCanonical({ ...e, business: 'x' })).toThrow(TypeError);
  });
});
