/**
 * Compaction on a real outbox file: only records reconciliation confirmed, and only beyond the
 * retention, lose their body; published-but-unconfirmed and pending records keep theirs however
 * old; a compacted record keeps its key (a resubmission gets its event id back) and what
 * `hub reconcile` compares.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from '@hub/testing';
import { openOutbox, openReconcileLedger, readAccepted, type OutboxEntry } from '@hub/agency-gateway';

const dir = tempDir('hub-reconcile-compact-');
afterAll(() => dir.remove());

const entry = (n: number): OutboxEntry => ({
  eventId: `01950000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  agency: 'GSJ',
  recordId: `REC-${n}`,
  revision: 0,
  contentSha256: `sha-${n}`,
  subject: `enf.evt.GSJ.inspection_completed.91350100M000100Y43`,
  msgId: `GSJ/REC-${n}/0`,
  body: new Uint8Array([n, n, n]),
  acceptedAt: '2026-01-01T00:00:00.000Z',
});

it('never drops the body of a record reconciliation has not confirmed', async () => {
  const path = join(dir.path, 'outbox.sqlite');
  const outbox = openOutbox(path);
  const ledger = openReconcileLedger(path);
  try {
    await outbox.append([1, 2, 3, 4, 5, 6].map(entry));
    // 1–4 published long ago, 5–6 still pending.
    outbox.markPublished(
      [1, 2, 3, 4].map((seq) => ({ seq, streamSeq: seq })),
      '2026-01-01T00:00:01.000Z',
    );
    ledger.confirm(
      [1, 2].map((seq) => ({ seq, streamSeq: seq })),
      '2026-01-02T00:00:00.000Z',
    );
    ledger.confirm([{ seq: 3, streamSeq: 3 }], '2026-06-01T00:00:00.000Z');
    expect(ledger.counts()).toEqual({ unconfirmed: 1, confirmed: 3, compacted: 0 });

    // Retention ends 2026-03-01: 1 and 2 only.
    expect(ledger.compact('2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 100)).toBe(2);
    // Any cutoff, however late: 3 as well, never 4 (unconfirmed) nor 5–6 (pending).
    expect(ledger.compact('9999-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', 100)).toBe(1);
    expect(ledger.compact('9999-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', 100)).toBe(0);
    expect(ledger.counts()).toEqual({ unconfirmed: 1, confirmed: 0, compacted: 3 });

    const db = new Database(path, { readonly: true });
    const bodies = db.prepare('select seq, length(body) as n from outbox order by seq').all();
    db.close();
    expect(bodies).toEqual([
      { seq: 1, n: 0 },
      { seq: 2, n: 0 },
      { seq: 3, n: 0 },
      { seq: 4, n: 3 },
      { seq: 5, n: 3 },
      { seq: 6, n: 3 },
    ]);
    // The relay still sees the pending ones, with their bodies.
    expect(outbox.pending(0, 10).map((r) => [r.seq, r.body.length])).toEqual([
      [5, 3],
      [6, 3],
    ]);

    // The key survives compaction: the same record again is a duplicate of its first event id.
    expect(await outbox.append([entry(1)])).toEqual([{ status: 'duplicate', eventId: entry(1).eventId }]);
    expect(outbox.stats().total).toBe(6);
    // And `hub reconcile` still knows where each compacted record is in the stream.
    expect(readAccepted(path).map((r) => [r.eventId, r.streamSeq])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [entry(n).eventId, n <= 4 ? n : null]),
    );
  } finally {
    ledger.close();
    outbox.close();
  }
});
