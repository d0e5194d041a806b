import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyRegistry,
  encodeEvent,
  loadOrCreateSigningKey,
  signatureClaim,
  signTogether,
  type KeyRegistry,
  type SigningKey,
} from '@hub/platform';
import { eventSubject } from '@hub/domain';
import type { BatchItem } from './batch.js';
import { createDecodeStage } from './decode-stage.js';
import type { StreamMessage } from './projection/decode.js';
import { sampleEvent } from './sample-stream.js';

const message = (seq: number): StreamMessage => {
  const e = sampleEvent(seq);
  return {
    seq,
    subject: eventSubject(e.agency, e.type, e.business.uscc),
    data: encodeEvent(e),
    time: '2026-03-01T00:00:00.000Z',
  };
};

describe('decode stage with signatures', () => {
  it('decides the slices that came while the key stream was being read in one round, in order', async () => {
    // given a key-stream look-up that answers only when the test lets it
    const answers: (() => void)[] = [];
    const sync = () => new Promise<boolean>((resolve) => answers.push(() => resolve(false)));
    const rounds: { seqs: number[]; more: boolean }[] = [];
    const stage = createDecodeStage({
      signatures: { check: { registry: createKeyRegistry(), allowUnsigned: true }, sync },
      onItems: (items: BatchItem[], more) => rounds.push({ seqs: items.map((i) => i.msg.seq), more }),
      onError: (err) => {
        throw err;
      },
    });
    // when a slice is out for its look-up and three more arrive meanwhile
    stage.push([message(1), message(2)], false);
    await expect.poll(() => answers.length).toBe(1);
    stage.push([message(3)], true);
    stage.push([message(4)], true);
    stage.push([message(5), message(6)], false);
    answers.shift()!();
    await expect.poll(() => answers.length).toBe(1);
    answers.shift()!();
    await stage.idle();
    // then the three are decided together after one look-up, with the last slice's `more`
    expect(rounds).toEqual([
      { seqs: [1, 2], more: false },
      { seqs: [3, 4, 5, 6], more: false },
    ]);
    expect(answers).toHaveLength(0);
    expect(stage.pending()).toBe(0);
    await stage.close();
  });
});

describe('decode stage: signatures against keys that change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-decode-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keys = new Map<string, SigningKey>();
  const keyOf = (agency: string) => {
    if (!keys.has(agency)) keys.set(agency, loadOrCreateSigningKey(dir, agency));
    return keys.get(agency)!;
  };
  /** Messages signed together, as the relay signs them. */
  const signed = (seqs: number[]): StreamMessage[] => {
    const msgs = seqs.map(message);
    const headers = signTogether(msgs.map((m) => ({ key: keyOf(m.subject.split('.')[2]!), body: m.data })));
    return msgs.map((m, i) => {
      const h = new Map(headers[i]);
      return { ...m, keyId: h.get('Hub-Key-Id'), sig: signatureClaim({ get: (n) => h.get(n) }) };
    });
  };
  const register = (registry: KeyRegistry) => {
    for (const k of keys.values())
      registry.apply(
        { action: 'registered', agency: k.agency, keyId: k.keyId, publicKey: k.publicKey, by: 'test' },
        '2026-01-01T00:00:00.000Z',
      );
  };

  it('decides again a slice decided before the keys changed, though its own look-up finds nothing new', async () => {
    // given no key known yet, and a key-stream look-up that registers the keys the first time
    const slices = [signed([1, 2]), signed([3, 4])];
    const registry = createKeyRegistry();
    let release: (() => void) | undefined;
    let calls = 0;
    const sync = () => {
      calls += 1;
      if (calls > 1) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        release = () => {
          register(registry);
          resolve(true);
        };
      });
    };
    const items: BatchItem[] = [];
    const stage = createDecodeStage({
      signatures: { check: { registry, allowUnsigned: false }, sync },
      onItems: (got) => items.push(...got),
      onError: (err) => {
        throw err;
      },
    });
    // when the second slice arrives (and is decided) while the first one's look-up is out
    stage.push(slices[0]!, false);
    await expect.poll(() => release).toBeDefined();
    stage.push(slices[1]!, false);
    release!();
    await stage.idle();
    await stage.close();
    // then both are decided with the keys the look-up brought
    expect(items.map((i) => [i.msg.seq, i.decoded?.ok])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ]);
  });
});
