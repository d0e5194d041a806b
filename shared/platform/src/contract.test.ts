/**
 * One event contract: the zod schemas that validate events (`@hub/domain`) against the proto
 * descriptor (`@hub/proto`) — every payload message and the envelope header, field by field in
 * both directions, repeated fields as arrays. A field added to one and not the other fails here.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_TYPES, PAYLOAD_SCHEMAS, envelopeHeaderSchema } from '@hub/domain';

const require = createRequire(import.meta.url);
const root = protobuf.Root.fromJSON(require('@hub/proto/descriptor.json') as protobuf.INamespace);
root.resolveAll();
const envelope = root.lookupType('enforcement.v1.Envelope');

/** The zod type under optional/default wrappers. */
const inner = (t: z.ZodType): z.ZodType => {
  let cur = t as z.ZodType & { unwrap?: () => z.ZodType; def?: { innerType?: z.ZodType } };
  for (let i = 0; i < 5; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable) cur = cur.unwrap();
    else if (cur instanceof z.ZodDefault) cur = cur.def.innerType;
    else break;
  }
  return cur;
};

describe('the zod schemas and the proto contract', () => {
  it('every event type is a payload field of the envelope, and every payload field an event type', () => {
    const header = Object.keys(envelopeHeaderSchema.shape);
    const payloadFields = envelope.fieldsArray.map((f) => f.name).filter((n) => !header.includes(n));
    expect([...payloadFields].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('the envelope header has the same fields', () => {
    const protoHeader = envelope.fieldsArray.filter(
      (f) => f.resolvedType === null || !(EVENT_TYPES as readonly string[]).includes(f.name),
    );
    expect(protoHeader.map((f) => f.name).sort()).toEqual(Object.keys(envelopeHeaderSchema.shape).sort());
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: the same fields, repeated fields as arrays`, () => {
      const message = envelope.fields[type]!.resolvedType as protobuf.Type;
      const shape = (PAYLOAD_SCHEMAS[type] as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
      expect(Object.keys(shape).sort(), type).toEqual(message.fieldsArray.map((f) => f.name).sort());
      for (const f of message.fieldsArray) {
        const zodField = inner(shape[f.name]!);
        expect(zodField instanceof z.ZodArray, `${type}.${f.name} repeated`).toBe(f.repeated);
      }
    });
  }
});
