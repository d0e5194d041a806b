/**
 * The evidence bundle (docs/evidence.md): one JSON file with a business's events as the stream
 * holds them (protobuf bytes, base64, and their canonical JSON), each event's signature and key
 * id (and, for a batch signature, its inclusion proof), its hash-chain link, the public keys of the agencies concerned and the matter catalogue
 * version in force. `verifyBundle` checks it offline: nothing but the file and node:crypto.
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { HubError } from '@hub/domain';
import {
  BATCH_SCHEME,
  batchRootMessage,
  decodeEventJson,
  keyIdOf,
  leafHash,
  MAX_BATCH_SIZE,
  rootFromProof,
  SINGLE_SCHEME,
} from '@hub/platform';
import type { CHAIN_FORMAT } from '@hub/read-model';
import { CHAIN_GENESIS, chainLinkHash } from '@hub/read-model';

export const BUNDLE_FORMAT = 'enf-evidence-v1';

/** Ed25519 SubjectPublicKeyInfo DER = this 12-byte prefix + the 32-byte raw key. */
export const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

export interface BundleLink {
  seq: number;
  prevHash: string;
  eventHash: string;
  hash: string;
}

export interface BundleEvent {
  seq: number;
  /** JetStream's timestamp of the message. */
  streamTime: string;
  subject: string;
  eventId: string;
  eventType: string;
  keyId: string | null;
  /**
   * Ed25519 signature, base64: of the protobuf bytes (scheme `ed25519`, or none stated), or of
   * the batch root message `enf-batch-v1\n<treeSize>\n<root hex>\n` (`ed25519-merkle-v1`).
   */
  signature: string | null;
  signatureScheme?: string | undefined;
  /** The event's place in its signed batch (scheme `ed25519-merkle-v1`). */
  batch?: BundleBatch | null | undefined;
  /** The message's exact bytes (the canonical protobuf envelope), base64. */
  protobuf: string;
  /** SHA-256 of those bytes, hex. */
  sha256: string;
  /** The same event in canonical protobuf JSON. */
  canonicalJson: Record<string, unknown>;
  link: BundleLink | null;
}

/** An RFC 6962 inclusion proof: the leaf is SHA-256(0x00 ‖ the protobuf bytes). */
export interface BundleBatch {
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes from the leaf up, hex. */
  path: string[];
  /** The root they lead to, hex (recomputed by `verify`, not taken on trust). */
  root: string;
}

export interface BundleKey {
  keyId: string;
  agency: string;
  /** SubjectPublicKeyInfo DER, base64 (PEM without its header lines). */
  publicKeySpki: string;
  /** The raw 32-byte Ed25519 public key, hex. */
  publicKeyRaw: string;
  /** Stream times of the registration and of the revocation, if any (ENF_KEYS). */
  registeredAt: string;
  revokedAt?: string | undefined;
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  business: string;
  /** Events whose stream time is at or before this instant; null: everything up to the export. */
  asOf: string | null;
  exportedAt: string;
  readModelPosition: number;
  chain: {
    format: typeof CHAIN_FORMAT;
    genesis: string;
    /** The chain's last link when exported: `hub verify --chain` recomputes it from the stream. */
    head: { seq: number; hash: string } | null;
  };
  /** The latest catalogue version published on the stream by then (checked like an event), if any. */
  catalogue: (BundleEvent & { version: string }) | null;
  /** The matter catalogue the exporting hub carries (its checks of new records use it). */
  catalogueShipped: { version: string; sha256: string; matterCount: number };
  keys: BundleKey[];
  events: BundleEvent[];
  /**
   * Messages about the business the projector refused (their reason): the history may be
   * incomplete where there are any. For information: not among the checked events.
   */
  deadLetters?: BundleDeadLetter[];
}

export interface BundleDeadLetter {
  seq: number;
  streamTime: string;
  reason: string;
  detail: string;
  eventId: string | null;
}

const text = z.string();
const LinkSchema = z.looseObject({ seq: z.number().int(), prevHash: text, eventHash: text, hash: text });
const EventSchema = z.looseObject({
  seq: z.number().int(),
  streamTime: text,
  subject: text,
  eventId: text,
  eventType: text,
  keyId: text.nullable(),
  signature: text.nullable(),
  signatureScheme: text.optional(),
  batch: z
    .looseObject({
      leafIndex: z.number().int(),
      treeSize: z.number().int(),
      path: z.array(text),
      root: text,
    })
    .nullable()
    .optional(),
  protobuf: text,
  sha256: text,
  canonicalJson: z.record(z.string(), z.unknown()),
  link: LinkSchema.nullable(),
});
/** What `verify` reads of a bundle: a file of another shape is refused, never "verified". */
const BundleSchema = z.looseObject({
  format: z.literal(BUNDLE_FORMAT),
  business: text,
  chain: z.looseObject({
    genesis: text,
    head: z.looseObject({ seq: z.number().int(), hash: text }).nullable(),
  }),
  catalogue: EventSchema.extend({ version: text }).nullable(),
  keys: z.array(
    z.looseObject({
      keyId: text,
      agency: text,
      publicKeySpki: text,
      publicKeyRaw: text,
      registeredAt: text,
      revokedAt: text.optional(),
    }),
  ),
  events: z.array(EventSchema),
});

/** Parses a bundle file's JSON; a wrong shape is a VALIDATION_FAILED naming each field. */
export function parseBundle(json: unknown): EvidenceBundle {
  const r = BundleSchema.safeParse(json);
  if (r.success) return r.data as unknown as EvidenceBundle;
  throw new HubError('VALIDATION_FAILED', '证据包格式不符 (not an evidence bundle)', {
    issues: r.error.issues.map((i) => ({ field: i.path.join('.') || '(bundle)', message: i.message })),
  });
}

const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** JSON with object keys sorted: equal for equal values, whatever the key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What is wrong with an event's signature (its key already checked), or undefined. */
function signatureProblem(e: BundleEvent, bytes: Buffer, key: KeyObject): string | undefined {
  const scheme = e.signatureScheme ?? SINGLE_SCHEME;
  let signed: Buffer = bytes;
  if (scheme === BATCH_SCHEME) {
    const b = e.batch;
    if (!b) return '缺少批次证明 (batch scheme without a proof)';
    const path = b.path.map((h) => Buffer.from(h, 'hex'));
    if (b.treeSize < 1 || b.treeSize > MAX_BATCH_SIZE || b.leafIndex < 0 || b.leafIndex >= b.treeSize)
      return `证明的位置无效 (leaf ${b.leafIndex} of ${b.treeSize})`;
    if (path.some((p, i) => p.length !== 32 || p.toString('hex') !== b.path[i]!.toLowerCase()))
      return '证明格式错误 (each path entry must be 32 bytes of hex)';
    const root = rootFromProof(leafHash(bytes), { index: b.leafIndex, size: b.treeSize, path });
    if (typeof root === 'string') return root;
    if (root.toString('hex') !== b.root)
      return `证明得出的根 ${root.toString('hex')} ≠ 包中的根 (the proof leads to another root than the bundle's ${b.root})`;
    signed = batchRootMessage(b.treeSize, root);
  } else if (scheme !== SINGLE_SCHEME) return `未知的签名方案 (unknown signature scheme) ${scheme}`;
  let ok = false;
  try {
    ok = verifySignature(null, signed, key, Buffer.from(e.signature ?? '', 'base64'));
  } catch {
    ok = false;
  }
  if (ok) return undefined;
  return scheme === BATCH_SCHEME
    ? '批次根的签名不符 (the signature does not match the batch root)'
    : '签名与字节不符 (the signature does not match the bytes)';
}

export type CheckName = 'hash' | 'link' | 'continuity' | 'signature' | 'canonical_json' | 'business';

export const CHECK_LABELS: Record<CheckName, string> = {
  hash: '字节哈希 (sha256 of the protobuf bytes = the link’s event hash)',
  link: '链接哈希 (each link’s hash recomputes from its previous hash, sequence and event hash)',
  continuity: '链接连续 (links in order; adjacent links join; the head is not before them)',
  signature:
    '签名 (Ed25519 of the bytes, or of the root of the batch that includes them, by a key of the event’s agency, valid at its stream time)',
  canonical_json: '规范 JSON (the canonical JSON is what the protobuf bytes decode to)',
  business: '企业 (every event is about the bundle’s business)',
};

export interface BundleFailure {
  check: CheckName;
  seq: number | null;
  detail: string;
}

export interface BundleReport {
  ok: boolean;
  events: number;
  /** Per check: how many items passed and the failures. */
  checks: Record<CheckName, { passed: number; failed: number }>;
  failures: BundleFailure[];
}

/** Checks a bundle offline. Never throws for a bad bundle: every problem is a failure. */
export function verifyBundle(bundle: EvidenceBundle): BundleReport {
  const checks = Object.fromEntries(
    (Object.keys(CHECK_LABELS) as CheckName[]).map((c) => [c, { passed: 0, failed: 0 }]),
  ) as BundleReport['checks'];
  const failures: BundleFailure[] = [];
  const result = (check: CheckName, seq: number | null, problem: string | undefined) => {
    if (problem === undefined) checks[check].passed += 1;
    else {
      checks[check].failed += 1;
      failures.push({ check, seq, detail: problem });
    }
  };
  if (bundle.format !== BUNDLE_FORMAT) {
    result('continuity', null, `未知格式 (unknown format) ${String(bundle.format)}`);
  }
  const keys = new Map<string, { k: BundleKey; key: ReturnType<typeof createPublicKey> | undefined }>();
  for (const k of bundle.keys ?? []) {
    let key;
    try {
      if (
        `${ED25519_SPKI_PREFIX}${k.publicKeyRaw}` !== Buffer.from(k.publicKeySpki, 'base64').toString('hex')
      )
        throw new Error('raw ≠ spki');
      if (keyIdOf(k.agency, k.publicKeySpki) !== k.keyId) throw new Error('key id');
      key = createPublicKey({ key: Buffer.from(k.publicKeySpki, 'base64'), format: 'der', type: 'spki' });
    } catch {
      key = undefined;
    }
    keys.set(k.keyId, { k, key });
  }

  const all = [...(bundle.catalogue ? [bundle.catalogue] : []), ...(bundle.events ?? [])];
  for (const e of all) {
    const bytes = Buffer.from(e.protobuf ?? '', 'base64');
    const digest = sha256Hex(bytes);
    result(
      'hash',
      e.seq,
      digest !== e.sha256
        ? `sha256 ${digest} ≠ ${e.sha256}`
        : e.link && e.link.eventHash !== digest
          ? `链接的事件哈希不符 (link event hash ${e.link.eventHash} ≠ ${digest})`
          : !e.link
            ? '缺少链接 (no chain link)'
            : undefined,
    );
    if (e.link) {
      const expected = chainLinkHash(e.link.prevHash, e.link.seq, e.link.eventHash);
      result(
        'link',
        e.seq,
        e.link.seq !== e.seq
          ? `链接序号 ${e.link.seq} ≠ 事件序号 (link seq ≠ event seq)`
          : expected !== e.link.hash
            ? `hash ${e.link.hash} ≠ ${expected}`
            : undefined,
      );
    }
    let decoded: Record<string, unknown> | undefined;
    try {
      decoded = decodeEventJson(bytes);
    } catch (err) {
      result('canonical_json', e.seq, `protobuf 解码失败 (does not decode): ${String(err)}`);
    }
    if (decoded) {
      result(
        'canonical_json',
        e.seq,
        stableJson(decoded) === stableJson(e.canonicalJson)
          ? undefined
          : '规范 JSON 与 protobuf 字节不符 (the canonical JSON differs from what the bytes decode to)',
      );
    }
    const agency = typeof decoded?.agency === 'string' ? decoded.agency : undefined;
    const entry = e.keyId ? keys.get(e.keyId) : undefined;
    let why: string | undefined;
    if (!e.keyId || !e.signature) why = '缺少签名 (unsigned)';
    else if (!entry) why = `包中没有密钥 (key not in the bundle) ${e.keyId}`;
    else if (!entry.key) why = `密钥无效 (the key's fields do not agree) ${e.keyId}`;
    else if (entry.k.agency !== agency)
      why = `密钥属于 ${entry.k.agency} (the key is not the event agency's ${agency})`;
    else if (entry.k.registeredAt > e.streamTime) why = `密钥登记晚于事件 (key registered after the event)`;
    else if (entry.k.revokedAt !== undefined && entry.k.revokedAt <= e.streamTime)
      why = `密钥已于 ${entry.k.revokedAt} 吊销 (key revoked before the event)`;
    else why = signatureProblem(e, bytes, entry.key);
    result('signature', e.seq, why);
  }
  for (const e of bundle.events ?? []) {
    const uscc = (e.canonicalJson?.business as { uscc?: unknown } | undefined)?.uscc;
    result(
      'business',
      e.seq,
      uscc === bundle.business ? undefined : `事件属于 ${String(uscc)} (event is about another business)`,
    );
  }

  // Continuity of the covered links: increasing sequences, adjacent ones joined, the first link
  // of the stream starting from the genesis, and none past the head.
  const links = all
    .map((e) => e.link)
    .filter((l): l is BundleLink => l !== null && l !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const head = bundle.chain?.head;
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    const p = links[i - 1];
    result(
      'continuity',
      l.seq,
      p && p.seq === l.seq
        ? '同一序号出现两次 (the same sequence twice)'
        : p && p.seq + 1 === l.seq && l.prevHash !== p.hash
          ? `与序号 ${p.seq} 的链接不相连 (prev hash ≠ the hash of link ${p.seq})`
          : l.seq === 1 && l.prevHash !== CHAIN_GENESIS
            ? '第一个链接应从创世哈希开始 (the first link must start from the genesis hash)'
            : !head || head.seq < l.seq
              ? '链接在链头之后 (a link past the chain head)'
              : head.seq === l.seq && head.hash !== l.hash
                ? '链头与链接不符 (the head differs from this link)'
                : undefined,
    );
  }
  return { ok: failures.length === 0, events: bundle.events?.length ?? 0, checks, failures };
}
