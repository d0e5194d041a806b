import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { encodeEvent } from '@hub/platform';
import { tempDir } from '@hub/testing';
import { createReadModelStore, openReadModelFile } from '@hub/read-model';
import type { BatchItem, BatchResult } from './batch.js';
import { createCommitter } from './committer.js';
import { decodeStreamMessage } from './projection/decode.js';
import { sampleEvents, subjectOf } from './sample-stream.js';

const dir = tempDir('committer-');
afterAll(() => dir.remove());

const items = (from: number, n: number): BatchItem[] =>
  sampleEvents(n, { businesses: 10 }).map((e, i) => {
    const msg = {
      seq: from + i,
      subject: subjectOf(e),
      data: encodeEvent(e),
      time: '2026-03-01T00:00:00.000Z',
    };
    return { msg, decoded: decodeStreamMessage(msg) };
  });

async function committerOn(file: string, batchSize: number) {
  const { sqlite, db } = await openReadModelFile(join(dir.path, file));
  const store = createReadModelStore(sqlite, db);
  const commits: BatchResult[] = [];
  const committer = createCommitter({
    store,
    batchSize,
    maxWaitMs: 50,
    onCommitted: (r) => commits.push(r),
    onFailed: (err) => {
      throw err;
    },
  });
  return { store, sqlite, commits, committer };
}

describe('committer (real SQLite)', () => {
  it('commits at once when nothing more waits, holds while more does, and never exceeds the batch size', async () => {
    const { store, sqlite, commits, committer } = await committerOn('a.sqlite', 100);
    const all = items(1, 260);
    committer.add(all.slice(0, 1), false); // a quiet stream: one event, committed now
    expect(commits.map((c) => [c.firstSeq, c.lastSeq])).toEqual([[1, 1]]);
    committer.add(all.slice(1, 60), true); // catching up: more is on its way
    expect(commits).toHaveLength(1);
    expect(committer.held()).toBe(59);
    committer.add(all.slice(60, 180), true); // a full batch goes, the rest waits
    expect(commits.map((c) => [c.firstSeq, c.lastSeq])).toEqual([
      [1, 1],
      [2, 101],
    ]);
    committer.add(all.slice(180), false);
    expect(commits.map((c) => [c.firstSeq, c.lastSeq]).slice(2)).toEqual([
      [102, 201],
      [202, 260],
    ]);
    expect(store.position()).toBe(260);
    expect(committer.held()).toBe(0);
    sqlite.close();
  });

  it('commits what it holds when the promised next slice does not come', async () => {
    const { store, sqlite, commits, committer } = await committerOn('b.sqlite', 1000);
    committer.add(items(1, 10), true);
    expect(commits).toHaveLength(0);
    await expect.poll(() => commits.length).toBe(1);
    expect(store.position()).toBe(10);
    committer.close();
    sqlite.close();
  });
});
