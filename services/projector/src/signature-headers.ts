/**
 * The signature headers of a JetStream message (Hub-Key-Id and the claim, signatureClaim), read
 * straight from its header bytes: the client's `msg.headers` builds a full header object per
 * message (every line validated, every key canonicalised), most of the cost of a signed
 * catch-up's reading. The answers are the client's: the same UTF-8 decoding and line split, the
 * first value of each exactly named header, trimmed. Whatever the client would treat otherwise
 * (a stray CR or LF or a name not printable ASCII, which it refuses; a message whose layout is not the one expected) is read
 * through `msg.headers`, as before.
 *
 * @example
 * const { keyId, sig } = readSignatureHeaders(m); // undefined each when absent
 */
import type { JsMsg } from '@nats-io/jetstream';
import { KEY_ID_HEADER, PROOF_HEADER, SCHEME_HEADER, SIGNATURE_HEADER, signatureClaim } from '@hub/platform';

const decoder = new TextDecoder();
// A header name: printable ASCII (the client's check, RFC 822 §3.1.2).
const PRINTABLE = /^[\x21-\x7e]*$/;

/** The client's message as its version 3 lays it out: header length (or -1) and raw bytes. */
interface RawMsg {
  _msg?: { hdr?: unknown };
  _rdata?: unknown;
  _headers?: unknown;
}

/** First value of each header exactly named, as MsgHdrsImpl.decode then get() give it; undefined to fall back. */
export function headerValues(bytes: Uint8Array): Map<string, string> | undefined {
  const lines = decoder.decode(bytes).split('\r\n');
  const values = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const s = lines[i]!;
    if (s.includes('\r') || s.includes('\n')) return undefined; // the client refuses these
    const idx = s.indexOf(':');
    if (idx < 0) continue;
    const k = s.slice(0, idx);
    if (!PRINTABLE.test(k)) return undefined; // a header name the client refuses
    if (!values.has(k)) values.set(k, s.slice(idx + 1).trim());
  }
  return values;
}

export function readSignatureHeaders(m: JsMsg): { keyId: string | undefined; sig: string | undefined } {
  const raw = (m as unknown as { msg?: RawMsg }).msg;
  const hdr = raw?._msg?.hdr;
  const data = raw?._rdata;
  let h: { get(name: string): string | null | undefined } | undefined;
  if (raw?._headers === undefined && typeof hdr === 'number' && data instanceof Uint8Array) {
    const values = hdr > -1 ? headerValues(data.subarray(0, hdr)) : new Map<string, string>();
    if (values !== undefined) h = { get: (name) => values.get(name) ?? '' };
  }
  if (h === undefined) h = m.headers;
  return { keyId: h?.get(KEY_ID_HEADER) || undefined, sig: signatureClaim(h) };
}

// The names read, for the equivalence test.
export const SIGNATURE_HEADER_NAMES = [KEY_ID_HEADER, SIGNATURE_HEADER, SCHEME_HEADER, PROOF_HEADER];
