import { describe, expect, it } from 'vitest';
import { generateScenario } from '@hub/testing';
import { decodeEventJson, encodeCanonical } from './codec.js';
import { decodeEventObject } from './event-decode.js';

const scenario = generateScenario({ seed: 11, businesses: 200 });
const stamped = scenario.events.map((e, i) => ({
  ...e,
  eventId: `0190f2a4-1d2b-7c3e-8f00-${String(i).padStart(12, '0')}`,
  recordedAt: '2026-12-31T03:00:00.000Z',
}));

const outcome = (decode: (b: Uint8Array) => unknown, bytes: Uint8Array) => {
  try {
    return { value: decode(bytes) };
  } catch (err) {
    return { error: String(err) };
  }
};

describe('decodeEventObject', () => {
  it('gives what decodeEventJson gives for every event of a scenario, key order included', () => {
    const types = new Set<string>();
    for (const event of stamped) {
      const bytes = encodeCanonical(event);
      const fast = decodeEventObject(bytes);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(decodeEventJson(bytes)));
      for (const k of Object.keys(fast)) types.add(k);
    }
    expect(types.size).toBeGreaterThan(15);
  });

  it('keeps the last event type of a message that carries two, as protobuf does', () => {
    const a = encodeCanonical(stamped[0]!);
    const other = stamped.find(
      (e) => Object.keys(e).sort().join() !== Object.keys(stamped[0]!).sort().join(),
    )!;
    const b = encodeCanonical(other);
    const both = new Uint8Array([...a, ...b]); // concatenated messages merge
    expect(JSON.stringify(decodeEventObject(both))).toBe(JSON.stringify(decodeEventJson(both)));
  });

  it('refuses what decodeEventJson refuses', () => {
    const bytes = encodeCanonical(stamped[1]!);
    for (const broken of [
      bytes.slice(0, bytes.length - 3),
      new Uint8Array([0xff, 0xff, 0xff]),
      bytes.slice(1),
    ]) {
      expect(outcome(decodeEventObject, broken)).toEqual(outcome(decodeEventJson, broken));
    }
  });
});
