import { describe, expect, it } from 'vitest';
import { createKeyRegistry, encodeEvent } from '@hub/platform';
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
