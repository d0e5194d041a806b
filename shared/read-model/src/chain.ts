/**
 * The hash chain over the stream as the projector consumed it: one link per stream sequence
 * (applied, duplicate and dead-lettered messages alike), each naming the previous link's hash,
 * the SHA-256 of the message's exact bytes (the signed protobuf envelope) and its sequence.
 *
 * A link's hash is the SHA-256 of one line of text per field, so anyone can recompute it with
 * standard tools:
 *
 *     printf 'enf-chain-v1\n%s\n%s\n%s\n' "$prev_hash" "$seq" "$event_hash" | sha256sum
 *
 * @example
 * const link = nextChainLink(store.chainHead(), msg.seq, msg.data);
 * store.putChainLink(link);
 */
import { hash } from 'node:crypto';
import type { ChainLinksTable } from './schema.js';

/** The `prev_hash` of the first link. */
export const CHAIN_GENESIS = '0'.repeat(64);
/** The first line of every link's preimage: names the formula. */
export const CHAIN_FORMAT = 'enf-chain-v1';

// One-shot `hash` (Node ≥ 20.12): half the cost of a createHash object per call, and the
// projector takes two per message it consumes.

/** SHA-256 (hex) of a message's exact bytes. */
export const eventHash = (bytes: Uint8Array): string => hash('sha256', bytes, 'hex');

/** The text a link's hash is taken over. */
export const chainLinkPreimage = (prevHash: string, seq: number, evHash: string): string =>
  `${CHAIN_FORMAT}\n${prevHash}\n${seq}\n${evHash}\n`;

export const chainLinkHash = (prevHash: string, seq: number, evHash: string): string =>
  hash('sha256', chainLinkPreimage(prevHash, seq, evHash), 'hex');

/** The link for the message at `seq` after `prev` (the genesis when there is none). */
export function nextChainLink(
  prev: Pick<ChainLinksTable, 'hash'> | undefined,
  seq: number,
  bytes: Uint8Array,
): ChainLinksTable {
  const prevHash = prev?.hash ?? CHAIN_GENESIS;
  const ev = eventHash(bytes);
  return { seq, prev_hash: prevHash, event_hash: ev, hash: chainLinkHash(prevHash, seq, ev) };
}

/** Why a link is not what its own fields say (its hash does not recompute), or undefined. */
export function linkSelfCheck(link: ChainLinksTable): string | undefined {
  const expected = chainLinkHash(link.prev_hash, link.seq, link.event_hash);
  return expected === link.hash ? undefined : `hash ${link.hash} ≠ ${expected}`;
}
