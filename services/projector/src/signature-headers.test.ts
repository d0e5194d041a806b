import { MsgHdrsImpl } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { signatureClaim } from '@hub/platform';
import { headerValues, readSignatureHeaders, SIGNATURE_HEADER_NAMES } from './signature-headers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const batch =
  'NATS/1.0\r\nNats-Msg-Id: x1\r\nHub-Key-Id: GSJ-0123456789abcdef\r\nHub-Signature: c2ln\r\n' +
  'Hub-Signature-Scheme: ed25519-merkle-v1\r\nHub-Signature-Proof: 3 64 QUFB\r\n\r\n';
const cases = [
  batch,
  'NATS/1.0\r\nHub-Key-Id: K\r\nHub-Signature: abc\r\n\r\n',
  'NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n',
  'NATS/1.0\r\n\r\n',
  // Repeated, lower-cased, spaced, empty and colon-less lines; non-ASCII and bad UTF-8.
  'NATS/1.0\r\nHub-Key-Id:  A \r\nHub-Key-Id: B\r\nhub-signature: low\r\nHub-Signature:\r\nnoise\r\n\r\n',
  'NATS/1.0 503\r\nHub-Signature:x:y\r\nHub-Key-Id: 键\r\n\r\n',
  'NATS/1.0\r\nHub-Signature-Scheme: other\r\nHub-Signature: s\r\nHub-Key-Id: \uFFFD\r\n\r\n',
];

/** A message shaped as the client lays it out, its `headers` the client's own decoding. */
function shaped(text: string): JsMsg {
  const bytes = enc(text);
  const rdata = new Uint8Array([...bytes, 1, 2, 3]);
  return {
    msg: { _msg: { hdr: bytes.length }, _rdata: rdata },
    get headers() {
      return MsgHdrsImpl.decode(rdata.subarray(0, bytes.length));
    },
  } as unknown as JsMsg;
}

describe('readSignatureHeaders', () => {
  it('reads each signature header as the client does', () => {
    for (const text of cases) {
      const client = MsgHdrsImpl.decode(enc(text));
      const values = headerValues(enc(text));
      SIGNATURE_HEADER_NAMES.forEach((name, i) => expect(values?.[i]).toBe(client.get(name)));
      expect(readSignatureHeaders(shaped(text))).toEqual({
        keyId: client.get('Hub-Key-Id') || undefined,
        sig: signatureClaim(client),
      });
    }
    expect(readSignatureHeaders(shaped(batch)).sig).toBe('ed25519-merkle-v1 c2ln 3 64 QUFB');
  });

  it('leaves to the client what it refuses, and reads messages without headers as unsigned', () => {
    for (const refused of [
      'NATS/1.0\r\nHub-Key-Id: a\nb\r\n\r\n',
      'NATS/1.0\r\nHub-Signature : spaced name\r\n\r\n',
      'NATS/1.0\r\n键: v\r\n\r\n',
    ]) {
      expect(headerValues(enc(refused))).toBeUndefined();
      expect(() => readSignatureHeaders(shaped(refused))).toThrow();
    }
    const none = { msg: { _msg: { hdr: -1 }, _rdata: new Uint8Array(3) }, headers: undefined };
    expect(readSignatureHeaders(none as unknown as JsMsg)).toEqual({ keyId: undefined, sig: undefined });
  });

  it('falls back to msg.headers when the layout is not the expected one', () => {
    const other = { msg: {}, headers: MsgHdrsImpl.decode(enc(batch)) } as unknown as JsMsg;
    expect(readSignatureHeaders(other)).toEqual(readSignatureHeaders(shaped(batch)));
  });
});
