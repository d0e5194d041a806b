/**
 * Batch signatures: one Ed25519 signature over the root of a Merkle tree of many messages, each
 * message carrying its inclusion proof. The tree is RFC 6962's (RFC 9162 §2.1): leaf =
 * SHA-256(0x00 ‖ message bytes), node = SHA-256(0x01 ‖ left ‖ right), the left subtree holding
 * the largest power of two of leaves below the size. The signature covers the text
 * `enf-batch-v1\n<size>\n<root hex>\n` (a context no event's protobuf bytes can be taken for,
 * and the size, which the root alone does not fix).
 *
 * A message's headers: `Hub-Key-Id`, `Hub-Signature` (the root's signature, base64),
 * `Hub-Signature-Scheme: ed25519-merkle-v1` and `Hub-Signature-Proof: <index> <size> <sibling>…`
 * (siblings base64, from the leaf up). A message without the scheme header is signed alone
 * (`ed25519`: the signature covers its bytes).
 *
 * @example
 * const perMessage = batchSignatureHeaders(key, bodies); // one header list per body
 * const root = rootFromProof(leafHash(bytes), proof);   // Buffer, or a reason it is not one
 * const proven = createTreeProver().prove(claims);     // true: proven by its tree
 */
import { hash, verify, type KeyObject } from 'node:crypto';

export const SCHEME_HEADER = 'Hub-Signature-Scheme';
export const PROOF_HEADER = 'Hub-Signature-Proof';
/** The signature covers the message's bytes (the default: no scheme header). */
export const SINGLE_SCHEME = 'ed25519';
/** The signature covers a batch root; the proof places the message under it. */
export const BATCH_SCHEME = 'ed25519-merkle-v1';
export const BATCH_ROOT_FORMAT = 'enf-batch-v1';
/** Larger trees are refused: 16 siblings at most in a proof. */
export const MAX_BATCH_SIZE = 65_536;

// One buffer per kind of input, reused: hashing is the verifier's hot path.
let leafBuf = Buffer.alloc(1024);
const nodeBuf = Buffer.alloc(65);
nodeBuf[0] = 1;

function leafInput(data: Uint8Array): Buffer {
  if (leafBuf.length < data.byteLength + 1) leafBuf = Buffer.alloc(data.byteLength * 2 + 1);
  leafBuf[0] = 0;
  leafBuf.set(data, 1);
  return leafBuf.subarray(0, data.byteLength + 1);
}

/** SHA-256(0x00 ‖ bytes). */
export const leafHash = (data: Uint8Array): Buffer => hash('sha256', leafInput(data), 'buffer');

/** The same, base64 (no Buffer made: cheaper where many are hashed). */
export const leafHashB64 = (data: Uint8Array): string => hash('sha256', leafInput(data), 'base64');

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) throw new RangeError('node hashes are 32 bytes');
  nodeBuf.set(left, 1);
  nodeBuf.set(right, 33);
  return hash('sha256', nodeBuf, 'buffer');
}

/**
 * The same over base64 hashes (as proofs carry them), base64; undefined when one is not 32
 * bytes of base64 (what is written must fill the buffer, or old bytes would be hashed).
 */
function nodeHashB64(left: string, right: string): string | undefined {
  if (nodeBuf.write(left, 1, 'base64') !== 32 || nodeBuf.write(right, 33, 'base64') !== 32) return undefined;
  return hash('sha256', nodeBuf, 'base64');
}

/** The exact bytes the batch signature covers. */
export const batchRootMessage = (size: number, root: Uint8Array): Buffer =>
  Buffer.from(`${BATCH_ROOT_FORMAT}\n${size}\n${Buffer.from(root).toString('hex')}\n`);

/** A message's place in its batch. */
export interface BatchProof {
  index: number;
  size: number;
  /** Sibling hashes from the leaf up. */
  path: Buffer[];
}

/** The root and each leaf's proof path, for the leaves given in order. */
export function buildTree(leaves: readonly Buffer[]): { root: Buffer; paths: Buffer[][] } {
  const paths: Buffer[][] = leaves.map(() => []);
  const build = (lo: number, hi: number): Buffer => {
    if (hi - lo === 1) return leaves[lo]!;
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const left = build(lo, lo + k);
    const right = build(lo + k, hi);
    for (let i = lo; i < lo + k; i++) paths[i]!.push(right);
    for (let i = lo + k; i < hi; i++) paths[i]!.push(left);
    return nodeHash(left, right);
  };
  if (leaves.length === 0 || leaves.length > MAX_BATCH_SIZE)
    throw new RangeError(`batch size ${leaves.length} outside 1…${MAX_BATCH_SIZE}`);
  return { root: build(0, leaves.length), paths };
}

/**
 * A tree of `size` leaves rebuilt from the leaves present (`leafAt`: base64, undefined when
 * absent) and, for each subtree with no leaf present, its node as `absent(depth, beside)` gives
 * it: the node at that depth (the root's is 0) that is the sibling of a subtree holding leaf
 * `beside`, which is present (undefined: the tree cannot be rebuilt). The root, and the proof text
 * of each leaf present, `<index> <size> <sibling base64>…`, grown in place.
 */
function rebuildTree(
  size: number,
  leafAt: (i: number) => string | undefined,
  absent: (depth: number, beside: number) => string | undefined,
): { root: string; proofs: (string | undefined)[] } | undefined {
  // present[i]: how many leaves before i are present, so a range is tested in constant time.
  const present = new Uint32Array(size + 1);
  const proofs = new Array<string | undefined>(size);
  for (let i = 0; i < size; i++) {
    const here = leafAt(i) !== undefined;
    present[i + 1] = present[i]! + (here ? 1 : 0);
    if (here) proofs[i] = `${i} ${size}`;
  }
  const firstPresent = (lo: number, hi: number): number => {
    while (lo < hi && leafAt(lo) === undefined) lo += 1;
    return lo;
  };
  // [lo, hi) holds a leaf present (the root always does: called with one at least).
  const build = (lo: number, hi: number, depth: number): string | undefined => {
    if (hi - lo === 1) return leafAt(lo);
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const mid = lo + k;
    const leftHere = present[mid] !== present[lo];
    const rightHere = present[hi] !== present[mid];
    const left = leftHere ? build(lo, mid, depth + 1) : absent(depth + 1, firstPresent(mid, hi));
    const right =
      left === undefined
        ? undefined
        : rightHere
          ? build(mid, hi, depth + 1)
          : absent(depth + 1, firstPresent(lo, mid));
    if (left === undefined || right === undefined) return undefined;
    for (let i = lo; i < mid; i++) if (proofs[i] !== undefined) proofs[i] += ` ${right}`;
    for (let i = mid; i < hi; i++) if (proofs[i] !== undefined) proofs[i] += ` ${left}`;
    return nodeHashB64(left, right);
  };
  if (present[size] === 0) return undefined;
  const root = build(0, size, 0);
  return root === undefined ? undefined : { root, proofs };
}

/**
 * The root of the leaves given in order (base64, as leafHashB64 gives them) and each leaf's proof
 * as the proof header carries it, `<index> <size> <sibling base64>…`.
 */
export function buildProofs(leaves: readonly string[]): { root: string; proofs: string[] } {
  const n = leaves.length;
  if (n === 0 || n > MAX_BATCH_SIZE) throw new RangeError(`batch size ${n} outside 1…${MAX_BATCH_SIZE}`);
  const tree = rebuildTree(
    n,
    (i) => leaves[i],
    () => undefined,
  );
  if (tree === undefined) throw new RangeError('leaves are 32-byte hashes, base64');
  return { root: tree.root, proofs: tree.proofs as string[] };
}

/** A batch-signed message as a TreeProver takes it: the claim's parts and the key named. */
export interface BatchClaim {
  key: KeyObject;
  data: Uint8Array;
  signature: string;
  proof: string;
}

/**
 * Proves batch-signed messages a tree at a time. The messages given that share a root signature
 * (one key, one size, one message per leaf index) are put back in their tree: the leaves present
 * hashed from the messages' bytes, each subtree with none of them present taken from the proof of
 * a message beside it. The root's signature is verified (once per tree: the roots verified are
 * remembered), and each message whose proof text is exactly the rebuilt tree's is proven — its
 * own proof, walked from its own bytes, leads to that verified root, so `BatchChecker.check` would
 * accept it. Everything else is left (false) to that check: the answers never differ. A catch-up
 * reads trees whole or in two parts, so a message costs a leaf hash, about one node hash and a
 * string comparison, against parsing and walking its proof.
 */
export interface TreeProver {
  prove(claims: readonly (BatchClaim | undefined)[]): boolean[];
}

export function createTreeProver(maxRoots = 10_000): TreeProver {
  // Root signature → the key and the root it was verified for (the size is in the text signed).
  const verified = new Map<string, { key: KeyObject; size: number; root: string }>();
  const isVerified = (signature: string, key: KeyObject, size: number, root: string): boolean => {
    const v = verified.get(signature);
    if (v !== undefined && v.key === key && v.size === size && v.root === root) return true;
    let ok = false;
    try {
      ok = verify(
        null,
        batchRootMessage(size, Buffer.from(root, 'base64')),
        key,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      ok = false;
    }
    if (!ok) return false;
    verified.set(signature, { key, size, root });
    if (verified.size > maxRoots) verified.delete(verified.keys().next().value!);
    return true;
  };
  return {
    prove(claims) {
      const proven = claims.map(() => false);
      // Per root signature: the message at each leaf index, or null when they are not one tree.
      const trees = new Map<string, { key: KeyObject; at: (number | undefined)[] } | null>();
      claims.forEach((c, i) => {
        if (c === undefined) return;
        const a = c.proof.indexOf(' ');
        const b = c.proof.indexOf(' ', a + 1);
        const index = Number(c.proof.slice(0, a));
        const size = Number(b < 0 ? c.proof.slice(a + 1) : c.proof.slice(a + 1, b));
        if (a < 0 || !Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) return;
        if (!Number.isInteger(index) || index < 0 || index >= size) return;
        let t = trees.get(c.signature);
        if (t === undefined) trees.set(c.signature, (t = { key: c.key, at: new Array<undefined>(size) }));
        if (t === null) return;
        if (t.key !== c.key || t.at.length !== size || t.at[index] !== undefined)
          trees.set(c.signature, null);
        else t.at[index] = i;
      });
      for (const [signature, t] of trees) {
        if (t === null) continue;
        const size = t.at.length;
        const leaves = t.at.map((i) => (i === undefined ? undefined : leafHashB64(claims[i]!.data)));
        // A subtree none of whose leaves is here: the node as the proof of a message beside it
        // states it (its siblings run from the leaf up: the one at depth d is d from the end).
        const absent = (depth: number, beside: number): string | undefined => {
          const path = claims[t.at[beside]!]!.proof.split(' ');
          const node = path[path.length - depth];
          return depth >= 1 && path.length - depth >= 2 && node?.length === 44 ? node : undefined;
        };
        const tree = rebuildTree(size, (i) => leaves[i], absent);
        if (tree === undefined || !isVerified(signature, t.key, size, tree.root)) continue;
        t.at.forEach((i, leaf) => {
          if (i !== undefined) proven[i] = claims[i]!.proof === tree.proofs[leaf];
        });
      }
      return proven;
    },
  };
}

/** Parses `<index> <size> <sibling>…`; a string saying what is wrong when it is not one. */
export function parseProof(text: string): { index: number; size: number; path: string[] } | string {
  const path = text.split(' ');
  const i = path.shift() ?? '';
  const n = path.shift() ?? '';
  const index = Number(i);
  const size = Number(n);
  // Plain decimal integers only: String(Number(x)) === x refuses '', '01', '1e3', '-0', ' 1'.
  if (String(index) !== i || String(size) !== n || !Number.isInteger(index) || !Number.isInteger(size))
    return '证明格式错误 (malformed proof: index and size must be integers)';
  if (size < 1 || size > MAX_BATCH_SIZE || index < 0 || index >= size)
    return `证明的位置无效 (proof index ${index} / size ${size} out of range)`;
  for (const p of path)
    if (p.length !== 44 || p.charCodeAt(43) !== 61 /* = */)
      return '证明格式错误 (malformed proof: siblings must be 32-byte base64)';
  return { index, size, path };
}

// The positions of a proof's steps, for the check in progress (at most 16 steps).
const LEFT = new Uint8Array(17);
const NODE = new Float64Array(17);
const SIBLING = new Float64Array(17);

/**
 * RFC 9162's inclusion check as positions only: for each sibling, whether it lies to the left
 * (LEFT), and the leaf ranges [start, end) of the node so far (NODE) and of the sibling
 * (SIBLING), as start × 65 537 + end. False when a path of this length cannot place the leaf.
 */
function placeSteps(index: number, size: number, length: number): boolean {
  if (length > 16) return false;
  let fn = index;
  let sn = size - 1;
  let width = 1;
  const id = (f: number) => f * width * (MAX_BATCH_SIZE + 1) + Math.min(f * width + width, size);
  for (let k = 0; k < length; k++) {
    if (sn === 0) return false;
    NODE[k] = id(fn);
    if (fn % 2 === 1 || fn === sn) {
      // The last node of its level has no right sibling: it rises until it is a right child.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
        width *= 2;
      }
      LEFT[k] = 1;
      SIBLING[k] = id(fn - 1);
    } else {
      LEFT[k] = 0;
      SIBLING[k] = id(fn + 1);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    width *= 2;
  }
  return sn === 0;
}

const misplaced = (length: number, index: number, size: number) =>
  `证明长度不符 (a proof of ${length} siblings cannot place leaf ${index} of ${size})`;

/** The root a leaf and its proof lead to (RFC 9162 §2.1.3.2), or why there is none. */
export function rootFromProof(leaf: Buffer, proof: BatchProof): Buffer | string {
  const { index, size, path } = proof;
  if (!placeSteps(index, size, path.length)) return misplaced(path.length, index, size);
  if (leaf.length !== 32 || path.some((p) => p.length !== 32))
    return '证明格式错误 (malformed proof: hashes must be 32 bytes)';
  let r = leaf;
  path.forEach((p, k) => {
    r = LEFT[k] ? nodeHash(p, r) : nodeHash(r, p);
  });
  return r;
}

/**
 * Checks batch signatures. It keeps, per signed tree (key, size, root signature), the nodes
 * already shown to lie under that root, so that the messages of a batch cost a leaf hash or two
 * and the root's signature is verified once. The cache only saves work: a message is accepted
 * from it only when its own leaf and proof recompute, node for node, a path already verified —
 * exactly when the full check (recompute the root, verify its signature) accepts, short of a
 * SHA-256 collision. Anything else takes the full check, so an empty cache gives the same answers.
 */
export interface BatchChecker {
  /** Undefined when the signature and proof place `data` under a root signed by `key`. */
  check(
    key: KeyObject,
    keyId: string,
    data: Uint8Array,
    signature: string,
    proof: string,
  ): string | undefined;
}

export function createBatchChecker(maxNodes = 200_000): BatchChecker {
  const trees = new Map<string, Map<number, string>>();
  // Trees belong to the key object that verified their root, not to a name for it.
  const keyNumbers = new WeakMap<KeyObject, number>();
  let cached = 0;
  let keys = 0;
  const remember = (tree: Map<number, string>, id: number, value: string) => {
    if (tree.has(id)) return;
    tree.set(id, value);
    cached += 1;
  };
  const evict = () => {
    for (const [k, t] of trees) {
      if (cached <= maxNodes) return;
      cached -= t.size;
      trees.delete(k);
    }
  };
  const nodes: (string | undefined)[] = [];
  const record = (tree: Map<number, string>, path: readonly string[], upTo: number) => {
    for (let k = 0; k < upTo; k++) {
      remember(tree, NODE[k]!, nodes[k]!);
      remember(tree, SIBLING[k]!, path[k]!);
    }
  };
  return {
    check(key, keyId, data, signature, proofText) {
      const proof = parseProof(proofText);
      if (typeof proof === 'string') return proof;
      const { index, size, path } = proof;
      const last = path.length;
      if (!placeSteps(index, size, last)) return misplaced(last, index, size);
      let kn = keyNumbers.get(key);
      if (kn === undefined) keyNumbers.set(key, (kn = ++keys));
      const name = `${kn} ${size} ${signature}`;
      const tree = trees.get(name);
      nodes.length = 0;
      nodes.push(leafHashB64(data));
      // From `from` up, every sibling is the tree's own: a node matching there settles it.
      let from = last;
      if (tree !== undefined) while (from > 0 && tree.get(SIBLING[from - 1]!) === path[from - 1]) from -= 1;
      for (let k = 0; k <= last; k++) {
        const r = nodes[k];
        if (r === undefined) return '证明格式错误 (malformed proof: siblings must be 32-byte base64)';
        if (tree !== undefined && k >= from && tree.get(k < last ? NODE[k]! : size) === r) {
          record(tree, path, k);
          return undefined;
        }
        if (k < last) nodes.push(LEFT[k] ? nodeHashB64(path[k]!, r) : nodeHashB64(r, path[k]!));
      }
      const root = nodes[last]!;
      let ok = false;
      try {
        const message = batchRootMessage(size, Buffer.from(root, 'base64'));
        ok = verify(null, message, key, Buffer.from(signature, 'base64'));
      } catch {
        ok = false;
      }
      if (!ok) return `批次签名不符 (the batch root's signature does not match) key ${keyId}`;
      if (tree === undefined) {
        const t = new Map<number, string>([[size, root]]);
        cached += 1;
        record(t, path, last);
        trees.set(name, t);
        evict();
      } else if (tree.get(size) === root) record(tree, path, last);
      return undefined;
    },
  };
}
