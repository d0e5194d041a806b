/**
 * Builds an evidence bundle (evidence-bundle.ts) for one business from the live read model (which
 * events, their chain links, the catalogue version) and the stream (their exact bytes and
 * signatures, the keys). Read-only on both.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { catalogueVersionPublishedPayload, EVENTS_STREAM, HubError, isEventType } from '@hub/domain';
import {
  BATCH_SCHEME,
  decodeEventJson,
  KEY_ID_HEADER,
  leafHash,
  loadKeyRegistry,
  parseProof,
  PROOF_HEADER,
  rootFromProof,
  SCHEME_HEADER,
  SIGNATURE_HEADER,
  SINGLE_SCHEME,
} from '@hub/platform';
import { CHAIN_FORMAT, CHAIN_GENESIS, openSqlite, type ChainLinksTable } from '@hub/read-model';
import { createHash } from 'node:crypto';
import {
  BUNDLE_FORMAT,
  ED25519_SPKI_PREFIX,
  type BundleDeadLetter,
  type BundleEvent,
  type BundleKey,
  type EvidenceBundle,
} from './evidence-bundle.js';

/**
 * The scheme and, for a batch signature, the proof in the bundle's form (hex, the root it leads
 * to). A proof that does not parse is kept as it came, for `verify` to fail.
 */
function batchOf(
  data: Uint8Array,
  scheme: string | undefined,
  proofText: string | undefined,
): Pick<BundleEvent, 'signatureScheme' | 'batch'> {
  if (!scheme || scheme === SINGLE_SCHEME) return { signatureScheme: SINGLE_SCHEME };
  if (scheme !== BATCH_SCHEME) return { signatureScheme: scheme };
  const proof = parseProof(proofText ?? '');
  if (typeof proof === 'string') return { signatureScheme: scheme, batch: null };
  const path = proof.path.map((p) => Buffer.from(p, 'base64'));
  const root = rootFromProof(leafHash(data), { index: proof.index, size: proof.size, path });
  return {
    signatureScheme: scheme,
    batch: {
      leafIndex: proof.index,
      treeSize: proof.size,
      path: path.map((p) => p.toString('hex')),
      root: typeof root === 'string' ? '' : root.toString('hex'),
    },
  };
}

export async function exportEvidence(opts: {
  nc: NatsConnection;
  livePath: string;
  uscc: string;
  /** Only events JetStream stored at or before this instant (ISO 8601). */
  asOf?: string | undefined;
  now?: () => Date;
}): Promise<EvidenceBundle> {
  const db = openSqlite(opts.livePath, true);
  const jsm = await jetstreamManager(opts.nc);
  const asOf = opts.asOf ? new Date(opts.asOf).toISOString() : undefined;
  try {
    // One read snapshot: rows, links and position agree with one another.
    db.prepare('BEGIN').run();
    const position =
      (
        db.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
          { last_seq: number } | undefined
      )?.last_seq ?? 0;
    const seqs = (
      db.prepare('SELECT seq FROM timeline WHERE uscc = ? ORDER BY seq').all(opts.uscc) as { seq: number }[]
    ).map((r) => r.seq);
    const catalogueSeqs = (
      db
        .prepare("SELECT seq FROM timeline WHERE event_type = 'catalogueVersionPublished' ORDER BY seq DESC")
        .all() as { seq: number }[]
    ).map((r) => r.seq);
    const linkAt = db.prepare('SELECT * FROM chain_links WHERE seq = ?');
    const head = db.prepare('SELECT seq, hash FROM chain_links ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;

    const load = async (seq: number): Promise<BundleEvent> => {
      const msg = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
      if (!msg)
        throw new HubError('NOT_FOUND', `流中没有序号 ${seq} 的消息 (no message at stream sequence ${seq})`);
      const json = decodeEventJson(msg.data);
      const link = linkAt.get(seq) as ChainLinksTable | undefined;
      const type = Object.keys(json).find(isEventType);
      return {
        seq,
        streamTime: msg.time.toISOString(),
        subject: msg.subject,
        eventId: String(json.eventId),
        eventType: type ?? '',
        keyId: msg.header?.get(KEY_ID_HEADER) || null,
        signature: msg.header?.get(SIGNATURE_HEADER) || null,
        ...batchOf(msg.data, msg.header?.get(SCHEME_HEADER), msg.header?.get(PROOF_HEADER)),
        protobuf: Buffer.from(msg.data).toString('base64'),
        sha256: createHash('sha256').update(msg.data).digest('hex'),
        canonicalJson: json,
        link: link ? { seq, prevHash: link.prev_hash, eventHash: link.event_hash, hash: link.hash } : null,
      };
    };

    const events: BundleEvent[] = [];
    for (const seq of seqs) {
      const e = await load(seq);
      if (asOf === undefined || e.streamTime <= asOf) events.push(e);
    }
    let catalogue: EvidenceBundle['catalogue'] = null;
    for (const seq of catalogueSeqs) {
      const e = await load(seq);
      if (asOf !== undefined && e.streamTime > asOf) continue;
      const payload = e.canonicalJson.catalogueVersionPublished as { version?: string } | undefined;
      catalogue = { ...e, version: String(payload?.version ?? '') };
      break;
    }
    const deadLetters = (
      db
        .prepare(
          'SELECT seq, stream_time AS streamTime, reason, detail, event_id AS eventId FROM dead_letters WHERE uscc = ? ORDER BY seq',
        )
        .all(opts.uscc) as BundleDeadLetter[]
    ).filter((d) => asOf === undefined || d.streamTime <= asOf);
    db.prepare('COMMIT').run();

    const agencies = new Set(
      [...events, ...(catalogue ? [catalogue] : [])].map((e) => String(e.canonicalJson.agency)),
    );
    const used = new Set(events.map((e) => e.keyId).concat(catalogue?.keyId ?? null));
    const registry = await loadKeyRegistry(opts.nc);
    const keys: BundleKey[] = registry
      .entries()
      .filter((k) => agencies.has(k.agency) || used.has(k.keyId))
      .map((k) => ({
        keyId: k.keyId,
        agency: k.agency,
        publicKeySpki: k.publicKey,
        publicKeyRaw: Buffer.from(k.publicKey, 'base64').toString('hex').replace(ED25519_SPKI_PREFIX, ''),
        registeredAt: k.registeredAt,
        ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
      }));
    return {
      format: BUNDLE_FORMAT,
      business: opts.uscc,
      asOf: asOf ?? null,
      exportedAt: (opts.now ?? (() => new Date()))().toISOString(),
      readModelPosition: position,
      chain: { format: CHAIN_FORMAT, genesis: CHAIN_GENESIS, head: head ?? null },
      catalogue,
      catalogueShipped: catalogueVersionPublishedPayload(),
      keys,
      events,
      deadLetters,
    };
  } finally {
    db.close();
  }
}
