/**
 * Signed events: each agency has an Ed25519 key. A signature covers the exact bytes published
 * (the canonical protobuf envelope), either of the message alone or, for a batch, of the root of a
 * Merkle tree over the batch's messages with the message's inclusion proof beside it (batch.ts).
 * They travel in headers with the key id. Signatures, proofs and key ids carry no personal data.
 *
 * Public keys are registered and revoked by the committee office as messages on the ENF_KEYS
 * stream (`enf.key.<AGENCY>.<fingerprint>`), kept forever like events: a replay knows which key
 * was valid when, by comparing the stream times.
 *
 * @example
 * const key = loadOrCreateSigningKey(dataDir, 'GSJ');
 * const headers = signatureHeaders(key, bytes); // Hub-Key-Id, Hub-Signature
 * const perMessage = batchSignatureHeaders(key, bodies); // + Hub-Signature-Scheme, -Proof
 * registry.check('GSJ', bytes, keyId, signatureClaim(msg.headers), streamTime); // undefined: valid
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BATCH_SCHEME,
  batchRootMessage,
  buildProofs,
  createBatchChecker,
  leafHashB64,
  PROOF_HEADER,
  createTreeProver,
  type BatchClaim,
  SCHEME_HEADER,
  SINGLE_SCHEME,
} from './batch.js';

export const SIGNATURE_HEADER = 'Hub-Signature';
export const KEY_ID_HEADER = 'Hub-Key-Id';
export const KEYS_STREAM = 'ENF_KEYS';
export const KEYS_SUBJECTS = 'enf.key.>';

export interface SigningKey {
  readonly agency: string;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo, DER, base64. */
  readonly publicKey: string;
}

export const signingDir = (dataDir: string): string => join(dataDir, 'signing');

/** `<AGENCY>-<16 hex of sha256(SPKI)>`: names the agency and the key. */
export function keyIdOf(agency: string, publicKeyDerB64: string): string {
  const fp = createHash('sha256').update(Buffer.from(publicKeyDerB64, 'base64')).digest('hex').slice(0, 16);
  return `${agency}-${fp}`;
}

export const keySubject = (keyId: string): string => {
  const dash = keyId.lastIndexOf('-');
  return `enf.key.${keyId.slice(0, dash)}.${keyId.slice(dash + 1)}`;
};

function fromPrivate(agency: string, privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { agency, keyId: keyIdOf(agency, publicKey), privateKey, publicKey };
}

/** A private key PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes). */
export function signingKeyFromPem(agency: string, pem: string): SigningKey {
  return fromPrivate(agency, createPrivateKey(pem));
}

/** The agency's key in `<dataDir>/signing/<AGENCY>.pem` (mode 600), created on first use. */
export function loadOrCreateSigningKey(dataDir: string, agency: string): SigningKey {
  const file = join(signingDir(dataDir), `${agency}.pem`);
  if (existsSync(file)) return signingKeyFromPem(agency, readFileSync(file, 'utf8'));
  mkdirSync(signingDir(dataDir), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return fromPrivate(agency, privateKey);
}

/** Ed25519 over the exact message bytes, base64. */
export const signBytes = (key: SigningKey, data: Uint8Array): string =>
  sign(null, data, key.privateKey).toString('base64');

export const signatureHeaders = (key: SigningKey, data: Uint8Array): [string, string][] => [
  [KEY_ID_HEADER, key.keyId],
  [SIGNATURE_HEADER, signBytes(key, data)],
];

/** Leaves per tree: a proof of 6 siblings, a signature shared by up to 64 messages. */
export const BATCH_LEAVES = 64;

/**
 * The signature headers for messages signed together by one key, in order: one root signature
 * per run of up to `maxLeaves` messages, each message its own proof. A run of one is signed
 * alone, as a message by itself (no proof to carry).
 */
export function batchSignatureHeaders(
  key: SigningKey,
  bodies: readonly Uint8Array[],
  maxLeaves = BATCH_LEAVES,
): [string, string][][] {
  const out: [string, string][][] = [];
  for (let at = 0; at < bodies.length; at += maxLeaves) {
    const run = bodies.slice(at, at + maxLeaves);
    if (run.length === 1) {
      out.push(signatureHeaders(key, run[0]!));
      continue;
    }
    const { root, proofs } = buildProofs(run.map(leafHashB64));
    const signature = signBytes(key, batchRootMessage(run.length, Buffer.from(root, 'base64')));
    for (const proof of proofs)
      out.push([
        [KEY_ID_HEADER, key.keyId],
        [SIGNATURE_HEADER, signature],
        [SCHEME_HEADER, BATCH_SCHEME],
        [PROOF_HEADER, proof],
      ]);
  }
  return out;
}

/**
 * Messages sent together, each with the key to sign it: grouped by key, each group signed as a
 * batch (batchSignatureHeaders). The headers of each message, in the order given.
 */
export function signTogether(
  messages: readonly { key: SigningKey; body: Uint8Array }[],
  maxLeaves = BATCH_LEAVES,
): [string, string][][] {
  const groups = new Map<SigningKey, number[]>();
  messages.forEach((m, i) => {
    const at = groups.get(m.key);
    if (at) at.push(i);
    else groups.set(m.key, [i]);
  });
  const out = new Array<[string, string][]>(messages.length);
  for (const [key, at] of groups) {
    const headers = batchSignatureHeaders(
      key,
      at.map((i) => messages[i]!.body),
      maxLeaves,
    );
    at.forEach((i, j) => (out[i] = headers[j]!));
  }
  return out;
}

/**
 * The signature as a message's headers state it, in one string the pipeline carries as it is
 * (threads, retries): the `Hub-Signature` value for a message signed alone, else
 * `<scheme> <signature> <proof>`. Undefined when there is no signature.
 */
export function signatureClaim(
  h: { get(name: string): string | null | undefined } | undefined,
): string | undefined {
  return claimOfHeaders(h?.get(SIGNATURE_HEADER), h?.get(SCHEME_HEADER), h?.get(PROOF_HEADER));
}

/** The same from the three header values (absent: null, undefined or ''). */
export function claimOfHeaders(
  signature: string | null | undefined,
  scheme: string | null | undefined,
  proof: string | null | undefined,
): string | undefined {
  if (!signature) return undefined;
  if (!scheme || scheme === SINGLE_SCHEME) return signature;
  return `${scheme} ${signature} ${proof ?? ''}`;
}

/** A claim split into its parts: the scheme, the signature and (batch) the proof text. */
export function parseSignatureClaim(claim: string): { scheme: string; signature: string; proof: string } {
  const a = claim.indexOf(' ');
  if (a < 0) return { scheme: SINGLE_SCHEME, signature: claim, proof: '' };
  const b = claim.indexOf(' ', a + 1);
  return {
    scheme: claim.slice(0, a),
    signature: b < 0 ? claim.slice(a + 1) : claim.slice(a + 1, b),
    proof: b < 0 ? '' : claim.slice(b + 1),
  };
}

/** A registration or revocation, the body of a message on `enf.key.<AGENCY>.<fp>`. */
export interface KeyEvent {
  action: 'registered' | 'revoked';
  agency: string;
  keyId: string;
  /** SPKI DER base64 (registration). */
  publicKey?: string | undefined;
  /** Who decided it (the committee office). */
  by: string;
  reason?: string | undefined;
}

interface KnownKey {
  agency: string;
  key: KeyObject;
  publicKey: string;
  registeredAt: string;
  revokedAt?: string | undefined;
}

export interface KeyRegistryEntry {
  keyId: string;
  agency: string;
  publicKey: string;
  registeredAt: string;
  revokedAt?: string | undefined;
}

/**
 * The keys as the ENF_KEYS stream says, in stream order. `check` answers why a signature is
 * not acceptable, or undefined when it is: the key was registered for that agency before the
 * event's stream time and not revoked before it.
 */
export interface KeyRegistry {
  apply(event: KeyEvent, streamTime: string): void;
  has(keyId: string): boolean;
  /** Bumped on every change: a copy elsewhere (a worker thread) knows when to refresh. */
  version(): number;
  /** `proven`: what `precheck` proved of the messages this one came with (saves work only). */
  check(
    agency: string,
    data: Uint8Array,
    keyId: string | undefined,
    signature: string | undefined,
    streamTime: string,
    proven?: ProvenSignatures,
  ): string | undefined;
  /**
   * Proves the batch-signed messages among `msgs` a tree at a time (TreeProver): given to `check`
   * with any of them, the signature costs a look-up (the key's agency and times are still checked
   * per message). Saves work only: `check` answers the same without it.
   */
  precheck(msgs: readonly SignedBytes[]): ProvenSignatures;
  entries(): KeyRegistryEntry[];
}

/** The messages `precheck` proved: their bytes → the key that signed them and the claim proved. */
export type ProvenSignatures = ReadonlyMap<Uint8Array, { readonly key: KeyObject; readonly claim: string }>;

/** A message's bytes with its Hub-Key-Id and claim (signatureClaim), as `precheck` takes them. */
export interface SignedBytes {
  readonly data: Uint8Array;
  readonly keyId?: string | undefined;
  readonly sig?: string | undefined;
}

export function createKeyRegistry(initial: readonly KeyRegistryEntry[] = []): KeyRegistry {
  const keys = new Map<string, KnownKey>();
  // Saves work only (see createBatchChecker): answers are the same with it empty.
  const batches = createBatchChecker();
  const trees = createTreeProver();
  let version = 0;
  const add = (e: KeyRegistryEntry) => {
    const key = createPublicKey({ key: Buffer.from(e.publicKey, 'base64'), format: 'der', type: 'spki' });
    keys.set(e.keyId, { ...e, key });
    version += 1;
  };
  for (const e of initial) add(e);
  return {
    apply(event, streamTime) {
      if (event.action === 'registered') {
        if (keys.has(event.keyId) || !event.publicKey) return; // first registration wins
        if (keyIdOf(event.agency, event.publicKey) !== event.keyId) return;
        add({
          keyId: event.keyId,
          agency: event.agency,
          publicKey: event.publicKey,
          registeredAt: streamTime,
        });
      } else {
        const k = keys.get(event.keyId);
        if (k && k.revokedAt === undefined) {
          k.revokedAt = streamTime;
          version += 1;
        }
      }
    },
    has: (keyId) => keys.has(keyId),
    version: () => version,
    check(agency, data, keyId, signature, streamTime, proven) {
      if (keyId === undefined || signature === undefined)
        return '缺少签名 (unsigned: no Hub-Key-Id / Hub-Signature header)';
      const k = keys.get(keyId);
      if (k === undefined) return `未登记的密钥 (unknown key) ${keyId}`;
      if (k.agency !== agency) return `密钥 ${keyId} 不属于 ${agency} (the key belongs to ${k.agency})`;
      if (k.registeredAt > streamTime) return `密钥 ${keyId} 登记晚于事件 (key registered after the event)`;
      if (k.revokedAt !== undefined && k.revokedAt <= streamTime)
        return `密钥 ${keyId} 已于 ${k.revokedAt} 吊销 (key revoked before the event)`;
      const p = proven?.get(data);
      if (p !== undefined && p.key === k.key && p.claim === signature) return undefined;
      const claim = parseSignatureClaim(signature);
      if (claim.scheme === BATCH_SCHEME)
        return batches.check(k.key, keyId, data, claim.signature, claim.proof);
      if (claim.scheme !== SINGLE_SCHEME) return `未知的签名方案 (unknown signature scheme) ${claim.scheme}`;
      let ok = false;
      try {
        ok = verify(null, data, k.key, Buffer.from(signature, 'base64'));
      } catch {
        ok = false;
      }
      return ok ? undefined : `签名不符 (the signature does not match the bytes) key ${keyId}`;
    },
    precheck(msgs) {
      const claims = msgs.map((m): BatchClaim | undefined => {
        const k = m.keyId === undefined ? undefined : keys.get(m.keyId);
        if (k === undefined || m.sig === undefined || !m.sig.startsWith(BATCH_SCHEME)) return undefined;
        const c = parseSignatureClaim(m.sig);
        if (c.scheme !== BATCH_SCHEME) return undefined;
        return { key: k.key, data: m.data, signature: c.signature, proof: c.proof };
      });
      const proven = new Map<Uint8Array, { key: KeyObject; claim: string }>();
      trees.prove(claims).forEach((ok, i) => {
        if (ok) proven.set(msgs[i]!.data, { key: claims[i]!.key, claim: msgs[i]!.sig! });
      });
      return proven;
    },
    entries: () =>
      [...keys].map(([keyId, k]) => ({
        keyId,
        agency: k.agency,
        publicKey: k.publicKey,
        registeredAt: k.registeredAt,
        ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
      })),
  };
}

/** Parses a key message body; undefined when it is not one. */
export function parseKeyEvent(data: Uint8Array): KeyEvent | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(data)) as Partial<KeyEvent>;
    if (
      (v.action === 'registered' || v.action === 'revoked') &&
      typeof v.agency === 'string' &&
      typeof v.keyId === 'string'
    )
      return {
        action: v.action,
        agency: v.agency,
        keyId: v.keyId,
        publicKey: v.publicKey,
        by: String(v.by ?? ''),
        reason: v.reason,
      };
  } catch {
    // not JSON
  }
  return undefined;
}
