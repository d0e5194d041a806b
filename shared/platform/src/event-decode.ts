/**
 * The projector's decode of an event: the same canonical JSON object as `decodeEventJson`
 * (codec.ts), without the cost protobufjs puts on every message with a `oneof`. Its generated
 * decoder sets the oneof's virtual field (`payload`) after reading the event's payload, and
 * that setter deletes each of the other 37 event-type fields from the message — 37 property
 * deletions per event, 1.4 % of a catch-up's CPU samples on their own. Here the message decodes
 * into an object whose setter deletes only a field the message actually holds: the same result
 * (a message carrying two event types keeps the last, as protobuf says), without the deletions.
 *
 * @example
 * const json = decodeEventObject(msg.data); // deep-equal to decodeEventJson(msg.data)
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
// codec.ts registers the Timestamp wrapper (RFC 3339 strings) this root's types use too.
import { TO_OBJECT } from './codec.js';

const require = createRequire(import.meta.url);
const root = protobuf.Root.fromJSON(require('@hub/proto/descriptor.json') as protobuf.INamespace);
root.resolveAll();
const Envelope = root.lookupType('enforcement.v1.Envelope');

// The message's prototype with the oneof's accessor shadowed by one that deletes only what is there.
const proto: object = Object.create(Envelope.ctor.prototype as object) as object;
for (const oneof of Envelope.oneofsArray) {
  const names = oneof.oneof;
  const member = new Set(names);
  Object.defineProperty(proto, oneof.name, {
    // As protobufjs's own getter: the last member set.
    get(this: Record<string, unknown>) {
      const keys = Object.keys(this);
      for (let i = keys.length - 1; i >= 0; --i) {
        const k = keys[i]!;
        if (member.has(k) && this[k] !== undefined && this[k] !== null) return k;
      }
      return undefined;
    },
    set(this: Record<string, unknown>, name: string) {
      for (const n of names) if (n !== name && Object.hasOwn(this, n)) delete this[n];
    },
  });
}

type GeneratedDecode = (
  reader: Uint8Array,
  length: undefined,
  endGroup: undefined,
  depth: number,
  target: object,
) => protobuf.Message;

/** Protobuf bytes → canonical JSON object (as `decodeEventJson`). Throws when the bytes do not decode. */
export function decodeEventObject(bytes: Uint8Array): Record<string, unknown> {
  // The generated decoder fills the message it is given (its fifth argument) when one is; a
  // protobufjs that does not take one makes its own message: slower, the same result.
  const message = (Envelope.decode as unknown as GeneratedDecode)(
    bytes,
    undefined,
    undefined,
    0,
    Object.create(proto) as object,
  );
  return Envelope.toObject(message, TO_OBJECT);
}
