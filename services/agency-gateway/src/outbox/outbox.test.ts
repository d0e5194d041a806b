import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '@hub/testing';
import { openOutbox, type Outbox, type OutboxEntry } from './outbox.js';

const entry = (recordId: string, content = 'a', eventId = `e-${recordId}-${content}`): OutboxEntry => ({
  eventId,
  agency: 'GSJ',
  recordId,
  revision: 0,
  contentSha256: content,
  subject: `enf.evt.GSJ.inspection_completed.x`,
  msgId: `GSJ/${recordId}/0`,
  body: new Uint8Array([1, 2, 3]),
  acceptedAt: '2026-03-02T00:00:00.000Z',
});

describe('outbox (real SQLite file)', () => {
  let dir: TempDir;
  let outbox: Outbox;
  beforeEach(() => {
    dir = tempDir('hub-outbox-');
    outbox = openOutbox(`${dir.path}/outbox.sqlite`);
  });
  afterEach(() => {
    outbox.close();
    dir.remove();
  });

  it('returns the first event id for a resubmission and stores nothing new', async () => {
    expect(await outbox.append([entry('R1')])).toEqual([{ status: 'accepted', eventId: 'e-R1-a' }]);
    expect(await outbox.append([entry('R1', 'a', 'other-id')])).toEqual([
      { status: 'duplicate', eventId: 'e-R1-a' },
    ]);
    expect(outbox.stats()).toMatchObject({ pending: 1, published: 0, total: 1 });
    expect(outbox.stats().oldestPendingAt).toMatch(/^\d{4}-/);
  });

  it('commits requests of one turn together, a conflicting request alone rolled back', async () => {
    await outbox.append([entry('R1')]);
    const [good, bad, dupInBatch] = await Promise.all([
      outbox.append([entry('R2'), entry('R3')]),
      outbox.append([entry('R4'), entry('R1', 'changed')]),
      outbox.append([entry('R5'), entry('R5')]),
    ]);
    expect(good.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(bad).toEqual([
      { status: 'accepted', eventId: 'e-R4-a' },
      { status: 'conflict', eventId: 'e-R1-a', index: 1 },
    ]);
    expect(dupInBatch.map((o) => o.status)).toEqual(['accepted', 'duplicate']);
    // R4 went with its request's conflict: R1, R2, R3, R5 are stored.
    expect(outbox.pending(0, 100).map((r) => r.msgId)).toEqual([
      'GSJ/R1/0',
      'GSJ/R2/0',
      'GSJ/R3/0',
      'GSJ/R5/0',
    ]);
  });

  it('hands out pending rows in order and forgets them once published', async () => {
    await outbox.append([entry('R1'), entry('R2'), entry('R3')]);
    const rows = outbox.pending(0, 2);
    expect(rows.map((r) => r.msgId)).toEqual(['GSJ/R1/0', 'GSJ/R2/0']);
    outbox.markPublished([{ seq: rows[0]!.seq, streamSeq: 7 }], '2026-03-02T00:00:01.000Z');
    expect(outbox.pending(0, 10).map((r) => r.msgId)).toEqual(['GSJ/R2/0', 'GSJ/R3/0']);
    expect(outbox.pending(rows[1]!.seq, 10).map((r) => r.msgId)).toEqual(['GSJ/R3/0']);
    expect(outbox.stats()).toMatchObject({ pending: 2, published: 1, total: 3 });
  });

  it('hands a row to the relay only once its commit is on disk', async () => {
    const appended = outbox.append([entry('R1')]);
    // The commit ran at the end of the previous turn; its sync cannot have ended before this one.
    await new Promise((r) => setImmediate(r));
    expect(outbox.pending(0, 10)).toEqual([]);
    await appended;
    expect(outbox.pending(0, 10).map((r) => r.msgId)).toEqual(['GSJ/R1/0']);
  });

  it('with one sync at a time, commits the appends that arrive during it together, after it', async () => {
    outbox.close();
    outbox = openOutbox(`${dir.path}/outbox.sqlite`, { overlappingSyncs: 1 });
    const synced: number[] = [];
    outbox.onAppend(() => synced.push(outbox.pending(0, 100).length));
    const first = outbox.append([entry('R1')]);
    await new Promise((r) => setImmediate(r));
    const later = [outbox.append([entry('R2')]), outbox.append([entry('R3'), entry('R4')])];
    await new Promise((r) => setImmediate(r));
    const last = outbox.append([entry('R5')]);
    await Promise.all([first, ...later, last]);
    // R1 alone, then R2–R5 in one commit and one sync.
    expect(synced).toEqual([1, 5]);
  });

  it('overlaps syncs: appends of later turns commit at once, each answered once on disk, in order', async () => {
    const synced: number[] = [];
    outbox.onAppend(() => synced.push(outbox.pending(0, 100).length));
    const answered: string[] = [];
    const append = (id: string) =>
      outbox.append([entry(id)]).then((o) => {
        // Its row is on disk, so the relay may have it, and every row committed before it too.
        expect(outbox.pending(0, 100).map((r) => r.msgId)).toContain(`GSJ/${id}/0`);
        answered.push(id);
        return o;
      });
    const all = [append('R1')];
    for (const id of ['R2', 'R3', 'R4', 'R5']) {
      await new Promise((r) => setImmediate(r));
      all.push(append(id));
    }
    await Promise.all(all);
    expect(answered).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
    // The relay never sees a later row before an earlier one: its view only grows, up to all five.
    expect(synced).toEqual([...synced].sort((a, b) => a - b));
    expect(synced.at(-1)).toBe(5);
  });

  it('survives reopening', async () => {
    await outbox.append([entry('R1')]);
    outbox.close();
    outbox = openOutbox(`${dir.path}/outbox.sqlite`);
    expect(await outbox.append([entry('R1', 'a', 'new')])).toEqual([
      { status: 'duplicate', eventId: 'e-R1-a' },
    ]);
  });
});
