/**
 * Trust nothing read from the stream: departments may publish directly. A message becomes a
 * HubEvent only when it decodes, has a known type, passes the schema, and its subject names
 * the same agency, type and business as the event itself.
 */
import {
  checkStreamedEventRules,
  checkUscc,
  EVENT_TYPES,
  eventTypeToken,
  isEventType,
  parseEventSubject,
  parseHubEvent,
  type HubEvent,
} from '@hub/domain';
import { decodeEventObject, type KeyRegistry, type ProvenSignatures } from '@hub/platform';

/** A message as read from ENF_EVENTS. */
export interface StreamMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  /** JetStream's timestamp of the message, ISO 8601. */
  readonly time: string;
  /** The Hub-Key-Id header and the signature as the headers state it (signatureClaim), when signed. */
  readonly keyId?: string | undefined;
  readonly sig?: string | undefined;
}

/** How the decode stage checks signatures: against the registered keys of the event's agency. */
export interface SignatureCheck {
  readonly registry: KeyRegistry;
  /** Migration switch: accept a message with no signature at all (a bad one is still refused). */
  readonly allowUnsigned: boolean;
}

export type DeadLetterReason =
  | 'undecodable'
  | 'unknown_type'
  | 'schema_violation'
  | 'agency_mismatch'
  | 'subject_mismatch'
  | 'invalid_correction'
  | 'correction_target_unknown'
  | 'rule_violation'
  | 'conflicting_duplicate'
  | 'bad_signature'
  | 'projection_failed';

export interface Rejection {
  readonly reason: DeadLetterReason;
  readonly detail: string;
  readonly eventId?: string | undefined;
  readonly uscc?: string | undefined;
  readonly agency?: string | undefined;
  /** A signature by a key not (yet) known here: worth checking again once the keys are re-read. */
  readonly unknownKey?: boolean | undefined;
}

export type Decoded = { ok: true; event: HubEvent } | ({ ok: false } & Rejection);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

// Per message, these were a regex replace and 28 `in` checks; now a map lookup and a key scan.
const TOKENS: ReadonlyMap<string, string> = new Map(EVENT_TYPES.map((t) => [t, eventTypeToken(t)]));
const hasEventType = (json: Record<string, unknown>): boolean => {
  for (const key in json) if (isEventType(key)) return true;
  return false;
};

/** `proven`: what the registry's precheck proved of the slice this message came in (saves work only). */
export function decodeStreamMessage(
  msg: StreamMessage,
  signatures?: SignatureCheck,
  proven?: ProvenSignatures,
): Decoded {
  const subject = parseEventSubject(msg.subject);
  // What the subject says, kept on the dead letter when the payload tells us nothing.
  // Computed only on failure: the hot path pays for nothing it does not use.
  const hint = () => ({
    agency: subject?.agency,
    uscc: subject && checkUscc(subject.uscc).ok ? subject.uscc : undefined,
  });
  let json: Record<string, unknown>;
  try {
    json = decodeEventObject(msg.data);
  } catch (err) {
    const detail = `protobuf 解码失败 (does not decode): ${String(err)}`;
    return { ok: false, reason: 'undecodable', detail, ...hint() };
  }
  const known = () => {
    const uscc = str((json.business as { uscc?: unknown } | undefined)?.uscc);
    return {
      eventId: str(json.eventId),
      agency: str(json.agency) ?? hint().agency,
      uscc: (uscc && checkUscc(uscc).ok ? uscc : undefined) ?? hint().uscc,
    };
  };
  if (!hasEventType(json)) {
    const detail = '未知或缺少事件类型 (unknown or missing event type)';
    return { ok: false, reason: 'unknown_type', detail, ...known() };
  }
  // proto3 leaves a zero out: a publisher that never set the version sent none.
  if (json.schemaVersion === undefined) {
    const detail = 'schemaVersion: 必填字段缺失 (required field is missing)';
    return { ok: false, reason: 'schema_violation', detail, ...known() };
  }
  const parsed = parseHubEvent(json);
  if (!parsed.ok) {
    const detail = parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return { ok: false, reason: 'schema_violation', detail, ...known() };
  }
  const event = parsed.value;
  const ids = { eventId: event.eventId, agency: event.agency, uscc: event.business.uscc };
  if (!subject) {
    return {
      ok: false,
      reason: 'subject_mismatch',
      detail: `主题格式错误 (malformed subject): ${msg.subject}`,
      ...ids,
    };
  }
  if (subject.agency !== event.agency) {
    const detail = `主题部门 ${subject.agency} 与事件部门 ${event.agency} 不一致 (subject agency differs from event agency)`;
    return { ok: false, reason: 'agency_mismatch', detail, ...ids };
  }
  if (subject.typeToken !== TOKENS.get(event.type) || subject.uscc !== event.business.uscc) {
    const detail = `主题与事件内容不一致 (subject ${msg.subject} does not match the event's type or business)`;
    return { ok: false, reason: 'subject_mismatch', detail, ...ids };
  }
  if (signatures) {
    const unsigned = msg.keyId === undefined && msg.sig === undefined;
    if (!(unsigned && signatures.allowUnsigned)) {
      const why = signatures.registry.check(event.agency, msg.data, msg.keyId, msg.sig, msg.time, proven);
      if (why !== undefined) {
        const unknownKey = msg.keyId !== undefined && !signatures.registry.has(msg.keyId);
        return {
          ok: false,
          reason: 'bad_signature',
          detail: why,
          ...ids,
          ...(unknownKey ? { unknownKey } : {}),
        };
      }
    }
  }
  // The one call site of the gateway's rules here: direct publishers never met the gateway.
  const broken = checkStreamedEventRules(event, { streamTime: msg.time });
  if (broken.length > 0) {
    const detail = broken.map((i) => `${i.field}: [${i.rule}] ${i.message}`).join('; ');
    return { ok: false, reason: 'rule_violation', detail, ...ids };
  }
  return { ok: true, event };
}
