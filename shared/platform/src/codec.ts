/**
 * Protobuf encoding of events, through the reflection types of the generated descriptor
 * (the TypeScript shapes are the zod schemas', checked against the descriptor in contract.test.ts). google.protobuf.Timestamp
 * is mapped to and from RFC 3339 strings, as in canonical JSON.
 *
 * @example
 * const bytes = encodeEvent(event);
 * const back = decodeEventJson(bytes); // canonical JSON object, ready for parseHubEvent
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { toCanonicalJson, type HubEvent } from '@hub/domain';

const require = createRequire(import.meta.url);

// Timestamps leave protobuf as RFC 3339 strings (canonical JSON). On the way in, the
// generated fromObject insists on an object before any wrapper runs, so strings are turned
// into {seconds, nanos} by `timestampsToObjects` below.
protobuf.wrappers['.google.protobuf.Timestamp'] = {
  fromObject(this: protobuf.Type, object: { [k: string]: unknown }) {
    return this.fromObject(object);
  },
  toObject(this: protobuf.Type, message: protobuf.Message) {
    const m = message as unknown as { seconds: number | { toNumber(): number }; nanos: number };
    const seconds = typeof m.seconds === 'number' ? m.seconds : m.seconds.toNumber();
    return new Date(seconds * 1000 + Math.floor(m.nanos / 1e6)).toISOString() as unknown as {
      [k: string]: unknown;
    };
  },
};

const TIMESTAMP = '.google.protobuf.Timestamp';

function timestampToObject(value: string): { seconds: number; nanos: number } {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`invalid timestamp: ${value}`);
  const frac = /\.(\d{1,9})/.exec(value)?.[1] ?? '';
  return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0')) };
}

/** Per message type, its message-typed fields (the only ones the walk below looks into). */
type FieldPlan = ReadonlyMap<string, { target: protobuf.Type; repeated: boolean; timestamp: boolean }>;
const plans = new WeakMap<protobuf.Type, FieldPlan>();

function planOf(type: protobuf.Type): FieldPlan {
  let plan = plans.get(type);
  if (plan === undefined) {
    const m = new Map<string, { target: protobuf.Type; repeated: boolean; timestamp: boolean }>();
    for (const [key, field] of Object.entries(type.fields)) {
      const target = field.resolvedType;
      if (target instanceof protobuf.Type)
        m.set(key, { target, repeated: field.repeated, timestamp: target.fullName === TIMESTAMP });
    }
    plans.set(type, (plan = m));
  }
  return plan;
}

function timestampsToObjects(type: protobuf.Type, json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const plan = planOf(type);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const field = plan.get(key);
    if (field === undefined || value === null || value === undefined) {
      out[key] = value;
    } else if (field.timestamp) {
      out[key] = typeof value === 'string' ? timestampToObject(value) : value;
    } else if (field.repeated && Array.isArray(value)) {
      out[key] = value.map((v) => timestampsToObjects(field.target, v));
    } else {
      out[key] = timestampsToObjects(field.target, value);
    }
  }
  return out;
}

const root = protobuf.Root.fromJSON(require('@hub/proto/descriptor.json') as protobuf.INamespace);
root.resolveAll();
const Envelope = root.lookupType('enforcement.v1.Envelope');

/** protobuf → canonical JSON object: enum names, numbers for longs, no defaults. */
export const TO_OBJECT: protobuf.IConversionOptions = {
  enums: String,
  longs: Number,
  defaults: false,
  arrays: true,
};

/** Canonical JSON object → protobuf bytes. Throws on input that does not fit the contract. */
export function encodeCanonical(json: Record<string, unknown>): Uint8Array {
  return Envelope.encode(
    Envelope.fromObject(timestampsToObjects(Envelope, json) as Record<string, unknown>),
  ).finish();
}

export const encodeEvent = (event: HubEvent): Uint8Array => encodeCanonical(toCanonicalJson(event));

/** Protobuf bytes → canonical JSON object. Throws when the bytes do not decode. */
export function decodeEventJson(bytes: Uint8Array): Record<string, unknown> {
  const message = Envelope.decode(bytes);
  return Envelope.toObject(message, TO_OBJECT);
}
