/**
 * From submitted JSON to outbox rows: shape (400), rules (422), then the protobuf envelope
 * with the hub's event id and recorded-at. Pure apart from the event id generator.
 */
import * as crypto from 'node:crypto';
import { encodeCanonical, newEventId } from '@hub/platform';
import {
  eventSubject,
  parseSubmittedEvent,
  toCanonicalJson,
  type FieldIssue,
  type SubmittedEvent,
} from '@hub/domain';
import type { OutboxEntry } from './outbox/outbox.js';
import { checkEventRules, type RuleContext, type RuleIssue } from './rules/event-rules.js';

export type Issue = FieldIssue | RuleIssue;

export type Checked =
  | { ok: true; event: SubmittedEvent }
  | { ok: false; kind: 'shape' | 'rule'; issues: Issue[]; event?: SubmittedEvent };

/** Shape first; rules only for a well-formed event (their messages assume the fields exist). */
export function checkSubmission(input: unknown, ctx: RuleContext): Checked {
  const parsed = parseSubmittedEvent(input);
  if (!parsed.ok) return { ok: false, kind: 'shape', issues: parsed.issues };
  const broken = checkEventRules(parsed.value, ctx);
  if (broken.length > 0) return { ok: false, kind: 'rule', issues: broken, event: parsed.value };
  return { ok: true, event: parsed.value };
}

/** `<agency>/<source-record-id>/<revision>`: the JetStream dedup key. */
export const msgIdOf = (e: SubmittedEvent): string => `${e.agency}/${e.source.recordId}/${e.source.revision}`;

/** One-shot sha256 (Node ≥ 20.12 has `crypto.hash`, cheaper than a Hash object per event). */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The record's content as sent, without what the hub assigns: equal content, equal hash. */
export function contentHash(e: SubmittedEvent): string {
  // Submitted events carry neither field; skip the copy then (same keys, same order, same hash).
  if (!('eventId' in e) && !('recordedAt' in e)) return sha256Hex(JSON.stringify(toCanonicalJson(e)));
  const { eventId: _id, recordedAt: _at, ...content } = e;
  return sha256Hex(JSON.stringify(toCanonicalJson(content)));
}

/** The outbox row for an accepted event; `eventId` is new and used only if the key is new. */
export function toOutboxEntry(e: SubmittedEvent, now: Date, eventId: string = newEventId()): OutboxEntry {
  const recordedAt = now.toISOString();
  const plain = !('eventId' in e) && !('recordedAt' in e);
  // One canonical form for both the hash and the protobuf (field order does not matter to it).
  const canonical = toCanonicalJson(e);
  return {
    eventId,
    agency: e.agency,
    recordId: e.source.recordId,
    revision: e.source.revision,
    contentSha256: plain ? sha256Hex(JSON.stringify(canonical)) : contentHash(e),
    subject: eventSubject(e.agency, e.type, e.business.uscc),
    msgId: msgIdOf(e),
    body: encodeCanonical({ ...canonical, eventId, recordedAt }),
    acceptedAt: recordedAt,
  };
}
