/**
 * The signature headers of a JetStream message (Hub-Key-Id and the claim, signatureClaim), read
 * straight from its header bytes: the client's `msg.headers` builds a full header object per
 * message (every line validated, every key canonicalised), most of the cost of a signed
 * catch-up's reading. The answers are the client's: the same UTF-8 decoding and line split, the
 * first value of each exactly named header, trimmed. Whatever the client would treat otherwise
 * (a stray CR or LF or a name not printable ASCII, which it refuses; a message whose layout is
 * not the one expected) is read through `msg.headers`, as before.
 *
 * @example
 * const { keyId, sig } = readSignatureHeaders(m); // undefined each when absent
 */
import type { JsMsg } from '@nats-io/jetstream';
import {
  claimOfHeaders,
  KEY_ID_HEADER,
  PROOF_HEADER,
  SCHEME_HEADER,
  SIGNATURE_HEADER,
  signatureClaim,
} from '@hub/platform';

const decoder = new TextDecoder();

// The names read, in the order headerValues gives their values.
export const SIGNATURE_HEADER_NAMES = [KEY_ID_HEADER, SIGNATURE_HEADER, SCHEME_HEADER, PROOF_HEADER];
const LINE_STARTS = SIGNATURE_HEADER_NAMES.map((n) => `\r\n${n}:`);

/**
 * Header text the client reads without refusing it: the status line, then lines split by CRLF
 * only (no other CR or LF), each either without a colon or with a name of printable ASCII
 * (RFC 822 §3.1.2, the client's check) before its first colon.
 */
const ACCEPTED = /^[^\r\n]*(?:\r\n(?:[\x21-\x39\x3b-\x7e]*:[^\r\n]*|[^\r\n:]*))*$/;

/**
 * The value of each of SIGNATURE_HEADER_NAMES, as MsgHdrsImpl.decode then get() give it (the
 * first line named exactly so, trimmed; '' when there is none); undefined to fall back.
 */
export function headerValues(bytes: Uint8Array): string[] | undefined {
  const text = decoder.decode(bytes);
  if (!ACCEPTED.test(text)) return undefined;
  return LINE_STARTS.map((start) => {
    const at = text.indexOf(start);
    if (at < 0) return '';
    const from = at + start.length;
    const end = text.indexOf('\r\n', from);
    return text.slice(from, end < 0 ? text.length : end).trim();
  });
}

/** The client's message as its version 3 lays it out: header length (or -1) and raw bytes. */
interface RawMsg {
  _msg?: { hdr?: unknown };
  _rdata?: unknown;
  _headers?: unknown;
}

export function readSignatureHeaders(m: JsMsg): { keyId: string | undefined; sig: string | undefined } {
  const raw = (m as unknown as { msg?: RawMsg }).msg;
  const hdr = raw?._msg?.hdr;
  const data = raw?._rdata;
  if (raw?._headers === undefined && typeof hdr === 'number' && data instanceof Uint8Array) {
    if (hdr < 0) return { keyId: undefined, sig: undefined };
    const v = headerValues(data.subarray(0, hdr));
    if (v !== undefined) return { keyId: v[0] || undefined, sig: claimOfHeaders(v[1], v[2], v[3]) };
  }
  const h = m.headers;
  return { keyId: h?.get(KEY_ID_HEADER) || undefined, sig: signatureClaim(h) };
}
