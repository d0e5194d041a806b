/**
 * The event schemas' fast path (shared/domain/src/fast-parse.ts) against zod itself: on every
 * sample event of every type, as submitted and as read back from protobuf, and on thousands of
 * mutated ones (fields removed, emptied, too long, of the wrong type, unknown fields, lone
 * surrogates), `parseSubmittedEvent` gives exactly what zod alone gives — the same value with
 * its keys in the same order, or the same issues — and the fast path accepts every valid sample.
 */
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  OFFICE_EVENT_TYPES,
  fastSubmittedEvent,
  parseHubEvent,
  parseSubmittedEvent,
  parseSubmittedEventWithZod,
} from '@hub/domain';
import { decodeEventJson, encodeCanonical } from '@hub/platform';
import { generateScenario } from '@hub/testing';
import { sampleEvent } from './agency-fixtures.js';

type Json = Record<string, unknown>;

const clone = <T>(v: T): T => structuredClone(v);

/** Every path to an object field in a JSON value (arrays by index). */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...at, i], ...paths(x, [...at, i])]);
  if (typeof v === 'object' && v !== null)
    return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
  return [];
}

function setAt(root: Json, path: (string | number)[], value: unknown, remove = false): Json {
  const out = clone(root);
  let o = out as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = value;
  return out;
}

const REPLACEMENTS: unknown[] = [
  '',
  '   ',
  ' padded ',
  'x'.repeat(5001),
  'bad\uD800text',
  '2026-02-30T10:00:00+08:00',
  '2026-03-02T10:00:00+08:00',
  '12345',
  '-1',
  0,
  -1,
  1.5,
  2 ** 60,
  100,
  null,
  true,
  [],
  {},
  { unexpected: 1 },
];

function mutations(e: Json): Json[] {
  const out: Json[] = [];
  for (const p of paths(e)) {
    out.push(setAt(e, p, undefined, true));
    for (const r of REPLACEMENTS) out.push(setAt(e, p, r));
    out.push(setAt(e, [...p.slice(0, -1), 'unknownField'], 'x'));
  }
  out.push({ ...e, penaltyDecided: {} });
  return out;
}

const sameAsZod = (input: unknown) => {
  const fast = parseSubmittedEvent(input);
  const zod = parseSubmittedEventWithZod(input);
  expect(fast).toEqual(zod);
  // Key order too: payloads are stored and hashed as JSON text.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
};

describe('fast path of the event schemas = zod', () => {
  const submitted = EVENT_TYPES.filter((t) => !OFFICE_EVENT_TYPES.has(t)).map((t, n) => sampleEvent(t, n));
  const scenario = generateScenario({ seed: 7, businesses: 80 }).events.slice(0, 1500) as Json[];
  const streamed = [...submitted, ...scenario].map((e) => {
    const parsed = parseSubmittedEventWithZod(e);
    if (!parsed.ok) throw new Error(`invalid sample ${JSON.stringify(parsed.issues)}`);
    const json: Json = {
      ...JSON.parse(JSON.stringify(e)),
      eventId: '01a234b9-6ff1-7f5c-9a07-e0a80a7bacb8',
      recordedAt: '2026-03-02T03:00:00.000Z',
      schemaVersion: 1,
    };
    return decodeEventJson(encodeCanonical(json));
  });

  it('every valid sample: the same event, and the fast path vouches for every type but corrections', () => {
    const types = new Set<string>();
    for (const e of [...submitted, ...scenario, ...streamed]) {
      sameAsZod(e);
      const fast = fastSubmittedEvent(e);
      const type = Object.keys(e).find((k) => (EVENT_TYPES as readonly string[]).includes(k))!;
      if (type !== 'eventCorrected') expect(fast, type).toBeDefined();
      if (fast) types.add(fast.type);
    }
    expect(types.size).toBeGreaterThan(EVENT_TYPES.length - 6);
    for (const e of streamed) expect(parseHubEvent(e).ok).toBe(true);
  });

  it('mutated events: the same value or the same issues as zod', () => {
    let refused = 0;
    let checked = 0;
    for (const e of [...submitted, ...streamed.slice(submitted.length, submitted.length + 12)]) {
      for (const m of mutations(e)) {
        sameAsZod(m);
        checked++;
        if (!parseSubmittedEvent(m).ok) refused++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(refused).toBeGreaterThan(checked / 3);
  });

  it('not an object, two payloads, an unknown payload: as zod says', () => {
    for (const input of [
      null,
      1,
      'x',
      [],
      {},
      { ...submitted[0], ...submitted[1] },
      { agency: 'GSJ', foo: {} },
    ])
      sameAsZod(input);
  });
});
