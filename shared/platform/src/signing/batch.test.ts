import { generateKeyPairSync, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BATCH_SCHEME,
  buildProofs,
  buildTree,
  createBatchChecker,
  leafHash,
  leafHashB64,
  nodeHash,
  parseProof,
  PROOF_HEADER,
  createTreeProver,
  type BatchClaim,
  rootFromProof,
  SCHEME_HEADER,
} from './batch.js';
import {
  batchSignatureHeaders,
  createKeyRegistry,
  parseSignatureClaim,
  signatureClaim,
  signatureHeaders,
  signingKeyFromPem,
  SIGNATURE_HEADER,
  type SigningKey,
} from './signing.js';

const newKey = (agency: string): SigningKey =>
  signingKeyFromPem(
    agency,
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
const gsj = newKey('GSJ');
const other = newKey('GSJ');
const bodies = (n: number, tag = 'm') =>
  Array.from({ length: n }, (_, i) => Buffer.from(`${tag}-${i}-${'x'.repeat(i % 7)}`));

/** RFC 6962 §2.1, written out directly: MTH over the leaf inputs. */
function mth(items: readonly Buffer[]): Buffer {
  const sha = (b: Buffer) => hash('sha256', b, 'buffer') as unknown as Buffer;
  if (items.length === 1) return sha(Buffer.concat([Buffer.of(0), items[0]!]));
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return sha(Buffer.concat([Buffer.of(1), mth(items.slice(0, k)), mth(items.slice(k))]));
}

/** The headers of message i of a batch, as a map. */
const headersOf = (h: readonly (readonly [string, string])[]) => new Map(h);
const claimOf = (h: readonly (readonly [string, string])[]) => {
  const m = headersOf(h);
  return signatureClaim({ get: (k) => m.get(k) });
};
const proofOf = (h: readonly (readonly [string, string])[]) => {
  const p = parseProof(headersOf(h).get(PROOF_HEADER)!);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
const withProof = (claim: string, proof: { index: number; size: number; path: string[] }) => {
  const c = parseSignatureClaim(claim);
  return `${c.scheme} ${c.signature} ${[proof.index, proof.size, ...proof.path].join(' ')}`;
};

describe('batch trees (RFC 6962)', () => {
  it('gives the RFC 6962 roots of the certificate-transparency test leaves', () => {
    const inputs = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ].map((h) => Buffer.from(h, 'hex'));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    roots.forEach((root, n) => {
      expect(buildTree(inputs.slice(0, n + 1).map(leafHash)).root.toString('hex')).toBe(root);
    });
  });

  it('places every leaf of every size up to 40 under its root', () => {
    for (let n = 1; n <= 40; n++) {
      const items = bodies(n);
      const { root, paths } = buildTree(items.map(leafHash));
      expect(root.equals(mth(items))).toBe(true);
      const built = buildProofs(items.map(leafHashB64));
      expect(built.root).toBe(root.toString('base64'));
      expect(built.proofs).toEqual(
        paths.map((p, i) => [i, n, ...p.map((b) => b.toString('base64'))].join(' ')),
      );
      items.forEach((b, index) => {
        const r = rootFromProof(leafHash(b), { index, size: n, path: paths[index]! });
        expect(Buffer.isBuffer(r) && r.equals(root)).toBe(true);
      });
    }
  });

  it('refuses a proof of the wrong length for its place, and malformed proofs', () => {
    const { paths } = buildTree(bodies(5).map(leafHash));
    const leaf = leafHash(bodies(5)[4]!);
    expect(rootFromProof(leaf, { index: 4, size: 5, path: [...paths[4]!, paths[0]![0]!] })).toMatch(
      /证明长度不符/,
    );
    expect(rootFromProof(leaf, { index: 4, size: 5, path: [] })).toMatch(/证明长度不符/);
    expect(parseProof('5 5')).toMatch(/out of range/);
    expect(parseProof('0 0')).toMatch(/out of range/);
    expect(parseProof('-1 5')).toMatch(/out of range/);
    expect(parseProof('1e0 5')).toMatch(/integers/);
    expect(parseProof('01 5')).toMatch(/integers/);
    expect(parseProof('0 70000')).toMatch(/out of range/);
    expect(parseProof('0 2 abc')).toMatch(/32-byte base64/);
    // 44 characters that are not base64 of 32 bytes: refused when hashed, cold or warm.
    const c = parseSignatureClaim(claimOf(batchSignatureHeaders(gsj, bodies(2))[0]!)!);
    const bad = `0 2 ${'!'.repeat(43)}=`;
    expect(createBatchChecker().check(gsj.privateKey, gsj.keyId, bodies(2)[0]!, c.signature, bad)).toMatch(
      /32-byte base64/,
    );
  });
});

describe('batch signatures', () => {
  const items = bodies(13);
  const signed = batchSignatureHeaders(gsj, items);

  it('carries the key id, one root signature, the scheme and a proof per message', () => {
    expect(signed).toHaveLength(13);
    const sigs = new Set(signed.map((h) => headersOf(h).get(SIGNATURE_HEADER)));
    expect(sigs.size).toBe(1);
    expect(signed.every((h) => headersOf(h).get(SCHEME_HEADER) === BATCH_SCHEME)).toBe(true);
    expect(proofOf(signed[7]!)).toMatchObject({ index: 7, size: 13 });
    // A batch of one is signed alone: the message's bytes, no proof.
    expect(batchSignatureHeaders(gsj, [items[0]!])).toEqual([signatureHeaders(gsj, items[0]!)]);
  });

  it('accepts each message of the batch, cold or with what earlier messages left in the cache', () => {
    const warm = createBatchChecker();
    items.forEach((b, i) => {
      const c = parseSignatureClaim(claimOf(signed[i]!)!);
      expect(c.scheme).toBe(BATCH_SCHEME);
      expect(warm.check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof)).toBeUndefined();
      expect(createBatchChecker().check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof)).toBeUndefined();
    });
  });

  /** Each altered claim, checked by a warm checker and by a cold one: both refuse it. */
  function expectRefused(data: Buffer, claim: string, key: SigningKey = gsj, keyId = gsj.keyId) {
    const warm = createBatchChecker();
    items.forEach((b, i) => {
      const c = parseSignatureClaim(claimOf(signed[i]!)!);
      warm.check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof);
    });
    const c = parseSignatureClaim(claim);
    const w = warm.check(key.privateKey, keyId, data, c.signature, c.proof);
    const cold = createBatchChecker().check(key.privateKey, keyId, data, c.signature, c.proof);
    expect(w).toBeDefined();
    expect(cold).toBeDefined();
    return cold;
  }

  it('refuses altered bytes', () => {
    const altered = Buffer.from(items[3]!);
    altered[0] = altered[0]! ^ 1;
    expect(expectRefused(altered, claimOf(signed[3]!)!)).toMatch(/批次签名不符/);
  });

  it('refuses a wrong index, a wrong size and swapped siblings', () => {
    const claim = claimOf(signed[6]!)!;
    const p = proofOf(signed[6]!);
    const q = proofOf(signed[7]!);
    // Message 6 claiming message 7's place with its own path, and with message 7's path.
    expectRefused(items[6]!, withProof(claim, { ...p, index: 7 }));
    expectRefused(items[6]!, withProof(claim, { ...q, index: 7 }));
    // The same leaf and path under a tree of another size (12 and 16 share that path's shape).
    expectRefused(items[6]!, withProof(claim, { ...p, size: 12 }));
    expectRefused(items[6]!, withProof(claim, { ...p, size: 14 }));
    // Two siblings swapped.
    const swapped = [...p.path];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expectRefused(items[6]!, withProof(claim, { ...p, path: swapped }));
  });

  it('refuses an inner node passed off as a message (leaf/node confusion)', () => {
    const leaves = items.map(leafHash);
    const claim = claimOf(signed[0]!)!;
    const p = proofOf(signed[0]!);
    // Leaves 0 and 1 as one "message" at their parent's place, with the path from there up.
    const pair = Buffer.concat([leaves[0]!, leaves[1]!]);
    const upper = { index: 0, size: 13, path: p.path.slice(1) };
    expectRefused(pair, withProof(claim, upper));
    expectRefused(Buffer.concat([Buffer.of(1), pair]), withProof(claim, upper));
    // That pair is indeed an inner node of the tree (leaf 2's second sibling).
    expect(proofOf(signed[2]!).path[1]).toBe(nodeHash(leaves[0]!, leaves[1]!).toString('base64'));
  });

  it('refuses another key, even one whose trees are in the cache', () => {
    const claim = claimOf(signed[2]!)!;
    expect(expectRefused(items[2]!, claim, other, other.keyId)).toMatch(/批次签名不符/);
    // The right key object named by another id: a cache entry of the right id is not used.
    expectRefused(items[2]!, claim, other, gsj.keyId);
    const mine = batchSignatureHeaders(other, items);
    expectRefused(items[2]!, claimOf(mine[2]!)!);
  });

  it('gives the same answers with a warm cache as with an empty one, message by message', () => {
    const second = batchSignatureHeaders(gsj, bodies(9, 'second'));
    const cases: [Buffer, string][] = [];
    items.forEach((b, i) => cases.push([b, claimOf(signed[i]!)!]));
    bodies(9, 'second').forEach((b, i) => cases.push([b, claimOf(second[i]!)!]));
    // Every message paired with every other message's claim: a few pass (its own), most do not.
    const warm = createBatchChecker();
    // A cache so small that trees are dropped all the time.
    const tiny = createBatchChecker(3);
    for (const [b] of cases)
      for (const [, claim] of cases) {
        const c = parseSignatureClaim(claim);
        const w = warm.check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof);
        const t = tiny.check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof);
        const cold = createBatchChecker().check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof);
        expect(w).toEqual(cold);
        expect(t).toEqual(cold);
      }
    // Message by message in stream order, the two batches interleaved, through the tiny cache.
    const interleaved = items.flatMap((_, i) => [cases[i]!, ...(i < 9 ? [cases[items.length + i]!] : [])]);
    expect(interleaved).toHaveLength(cases.length);
    for (const [b, claim] of interleaved) {
      const c = parseSignatureClaim(claim);
      expect(tiny.check(gsj.privateKey, gsj.keyId, b, c.signature, c.proof)).toBeUndefined();
    }
  });
});

describe('the key registry with batch signatures', () => {
  const items = bodies(6);
  const signed = batchSignatureHeaders(gsj, items);
  const registry = () =>
    createKeyRegistry([
      {
        keyId: gsj.keyId,
        agency: 'GSJ',
        publicKey: gsj.publicKey,
        registeredAt: '2026-01-01T00:00:00.000Z',
        revokedAt: '2026-06-01T00:00:00.000Z',
      },
    ]);

  it('checks the key at each event’s stream time, whatever the cache holds', () => {
    const r = registry();
    for (const [i, b] of items.entries())
      expect(r.check('GSJ', b, gsj.keyId, claimOf(signed[i]!), '2026-03-01T00:00:00.000Z')).toBeUndefined();
    expect(r.check('GSJ', items[1]!, gsj.keyId, claimOf(signed[1]!), '2026-07-01T00:00:00.000Z')).toMatch(
      /吊销/,
    );
    expect(r.check('GSJ', items[1]!, gsj.keyId, claimOf(signed[1]!), '2025-07-01T00:00:00.000Z')).toMatch(
      /登记晚于/,
    );
    expect(r.check('SYJ', items[1]!, gsj.keyId, claimOf(signed[1]!), '2026-03-01T00:00:00.000Z')).toMatch(
      /不属于/,
    );
  });

  it('refuses an unknown scheme, and a batch signature with its scheme header stripped', () => {
    const h = headersOf(signed[2]!);
    const unknown = signatureClaim({ get: (k) => (k === SCHEME_HEADER ? 'rot13' : h.get(k)) });
    expect(registry().check('GSJ', items[2]!, gsj.keyId, unknown, '2026-03-01T00:00:00.000Z')).toMatch(
      /unknown signature scheme/,
    );
    const stripped = signatureClaim({ get: (k) => (k === SCHEME_HEADER ? undefined : h.get(k)) });
    expect(registry().check('GSJ', items[2]!, gsj.keyId, stripped, '2026-03-01T00:00:00.000Z')).toMatch(
      /签名不符/,
    );
  });
});

describe('proving messages a tree at a time', () => {
  const items = bodies(13);
  const signed = batchSignatureHeaders(gsj, items);
  const claimFor = (data: Buffer, claim: string, key: SigningKey = gsj): BatchClaim => {
    const c = parseSignatureClaim(claim);
    return { key: key.privateKey, data, signature: c.signature, proof: c.proof };
  };
  const whole = () => items.map((b, i) => claimFor(b, claimOf(signed[i]!)!));
  const prove = (claims: readonly (BatchClaim | undefined)[]) => createTreeProver().prove(claims);

  it('proves every message of a tree, whole or in parts, in any order, among others', () => {
    const second = bodies(5, 'second');
    const other = batchSignatureHeaders(gsj, second);
    const mixed = [
      ...whole().reverse(),
      undefined,
      ...second.slice(1, 4).map((b, i) => claimFor(b, claimOf(other[i + 1]!)!)),
    ];
    expect(prove(mixed)).toEqual([...items.map(() => true), false, true, true, true]);
    // Every split of the tree in two, proven part after part (the second part's root remembered).
    for (let cut = 1; cut < 13; cut++) {
      const prover = createTreeProver();
      expect(prover.prove(whole().slice(0, cut))).toEqual(Array(cut).fill(true));
      expect(prover.prove(whole().slice(cut))).toEqual(Array(13 - cut).fill(true));
    }
    // Any single message, and every other one.
    whole().forEach((c) => expect(prove([c])).toEqual([true]));
    expect(prove(whole().filter((_, i) => i % 2 === 1))).toEqual(Array(6).fill(true));
  });

  it('proves nothing of a tree with an altered message, another key or a duplicate', () => {
    const altered = whole();
    const bytes = Buffer.from(items[3]!);
    bytes[0] = bytes[0]! ^ 1;
    altered[3] = { ...altered[3]!, data: bytes };
    expect(prove(altered).some(Boolean)).toBe(false);
    const otherKey = whole();
    otherKey[5] = { ...otherKey[5]!, key: other.privateKey };
    expect(prove(otherKey).some(Boolean)).toBe(false);
    expect(prove(whole().map((c) => ({ ...c, key: other.privateKey }))).some(Boolean)).toBe(false);
    expect(prove([...whole(), whole()[4]!]).some(Boolean)).toBe(false);
  });

  it('proves only the messages whose proof text is the tree’s own', () => {
    // A message whose siblings are swapped: that one only.
    const swapped = whole();
    const p = proofOf(signed[6]!);
    [p.path[0], p.path[1]] = [p.path[1]!, p.path[0]!];
    swapped[6] = { ...swapped[6]!, proof: [p.index, p.size, ...p.path].join(' ') };
    expect(prove(swapped)).toEqual(items.map((_, i) => i !== 6));
    // A part whose absent subtree is read from a message's proof: a wrong node there makes a
    // root whose signature does not verify, and nothing of that part is proven.
    const part = whole().slice(8);
    const q = proofOf(signed[8]!);
    q.path[q.path.length - 1] = q.path[0]!;
    part[0] = { ...part[0]!, proof: [q.index, q.size, ...q.path].join(' ') };
    expect(prove(part).some(Boolean)).toBe(false);
  });

  it('gives the key registry the same answers with it as without it', () => {
    const registry = () =>
      createKeyRegistry([
        {
          keyId: gsj.keyId,
          agency: 'GSJ',
          publicKey: gsj.publicKey,
          registeredAt: '2026-01-01T00:00:00.000Z',
        },
      ]);
    const bytes = Buffer.from(items[2]!);
    bytes[1] = bytes[1]! ^ 1;
    const msgs = [
      ...items.map((data, i) => ({ data, keyId: gsj.keyId, sig: claimOf(signed[i]!) })),
      { data: bytes, keyId: gsj.keyId, sig: claimOf(signed[2]!) },
      { data: items[0]!, keyId: 'GSJ-unknown', sig: claimOf(signed[0]!) },
      { data: items[1]!, keyId: gsj.keyId, sig: undefined },
    ];
    const time = '2026-03-01T00:00:00.000Z';
    const r = registry();
    const proven = new Map([
      ...r.precheck(msgs.slice(0, 7)),
      ...r.precheck(msgs.slice(7, 13)),
      ...r.precheck(msgs.slice(13)),
    ]);
    expect(proven.size).toBe(13);
    // An altered message spoils the part of the tree it comes with: none of it is proven.
    expect(r.precheck(msgs.slice(7, 14)).size).toBe(0);
    const withProven = msgs.map((m) => r.check('GSJ', m.data, m.keyId, m.sig, time, proven));
    const fresh = registry();
    expect(withProven).toEqual(msgs.map((m) => fresh.check('GSJ', m.data, m.keyId, m.sig, time)));
    expect(withProven.filter((a) => a === undefined)).toHaveLength(13);
    // Proven bytes checked under another agency, or named with another key's id, are refused.
    expect(r.check('SYJ', items[0]!, gsj.keyId, claimOf(signed[0]!), time, proven)).toMatch(/不属于/);
    const withOther = createKeyRegistry([
      {
        keyId: other.keyId,
        agency: 'GSJ',
        publicKey: other.publicKey,
        registeredAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(withOther.check('GSJ', items[0]!, other.keyId, claimOf(signed[0]!), time, proven)).toMatch(
      /批次签名不符/,
    );
  });
});
