/**
 * An event id re-published with other content, every way it can happen on a real nats-server:
 *
 * - the same `Nats-Msg-Id` within JetStream's duplicate window: the server drops it (the
 *   publisher is told "duplicate"), so the stream — the record — never holds it;
 * - another `Nats-Msg-Id` (a new revision, a direct publisher's bug), or the same one after the
 *   window: it is stored, and the projector dead-letters it as `conflicting_duplicate`, naming the
 *   first sequence and both byte hashes — also when only a field the timeline does not keep
 *   changed (the address); the first event's rows and link stay as they were;
 * - the same bytes again under another message id: a plain duplicate, ignored.
 *
 * The chain links every one of these messages and still matches the stream.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, type HubEvent } from '@hub/domain';
import { connectNats, encodeEvent, ensureStreams } from '@hub/platform';
import { eventHash, openSqlite } from '@hub/read-model';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { createProjector, sampleEvent, subjectOf, verifyChain, type Projector } from '@hub/projector';

let nats: TestNats;
let nc: NatsConnection;
let projector: Projector;
const dir = tempDir('hub-chain-republish-');
const path = join(dir.path, 'live.sqlite');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'chain-republish-test' });
  await ensureStreams(nc);
  projector = createProjector({ nc, readModelPath: path });
  await projector.start();
});
afterAll(async () => {
  await projector?.stop();
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

const publish = async (e: HubEvent, msgID: string) =>
  jetstream(nc, { timeout: 30_000 }).publish(subjectOf(e), encodeEvent(e), { msgID });

const deadLetter = (seq: number) => {
  const db = openSqlite(path, true);
  try {
    return db.prepare('SELECT reason, detail, event_id FROM dead_letters WHERE seq = ?').get(seq) as
      { reason: string; detail: string; event_id: string } | undefined;
  } finally {
    db.close();
  }
};

it('drops, dead-letters or ignores a re-published event id as the case may be, and the chain still matches the stream', async () => {
  const original = sampleEvent(1, { agency: 'GSJ' });
  const first = await publish(original, 'GSJ/R-1/0');
  await projector.waitForSeq(first.seq);

  // 1. Same message id within the window, other content: JetStream drops it.
  const otherPayload = { ...original, correlationId: 'C-other' } as HubEvent;
  const dropped = await publish(otherPayload, 'GSJ/R-1/0');
  expect(dropped.duplicate).toBe(true);
  expect(dropped.seq).toBe(first.seq);

  // 2. Another message id, other content the timeline keeps: conflicting duplicate.
  const second = await publish(otherPayload, 'GSJ/R-1/1');
  // 3. Another message id, only the address differs (the timeline does not keep it).
  const moved = { ...original, business: { ...original.business, address: '另一个地址 1 号' } } as HubEvent;
  const third = await publish(moved, 'GSJ/R-1/2');
  // 4. The very same bytes under another message id: a plain duplicate.
  const same = await publish(original, 'GSJ/R-1/3');
  await projector.waitForSeq(same.seq);

  expect(deadLetter(second.seq)?.reason).toBe('conflicting_duplicate');
  const d3 = deadLetter(third.seq);
  expect(d3?.reason).toBe('conflicting_duplicate');
  expect(d3?.detail).toContain(`first at stream sequence ${first.seq}`);
  expect(d3?.detail).toContain(eventHash(encodeEvent(original)));
  expect(d3?.detail).toContain(eventHash(encodeEvent(moved)));
  expect(deadLetter(same.seq)).toBeUndefined();
  expect(projector.stats().duplicates).toBe(1);

  // 5. The same message id after the duplicate window (shortened here to one second).
  const jsm = await jetstreamManager(nc, { timeout: 30_000 });
  const info = await jsm.streams.info(EVENTS_STREAM);
  await jsm.streams.update(EVENTS_STREAM, { ...info.config, duplicate_window: 1e9 });
  const late = await waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, 1100));
      const ack = await publish(otherPayload, 'GSJ/R-1/0');
      return ack.duplicate ? undefined : ack;
    },
    { what: 'a publish past the duplicate window', timeoutMs: 60_000 },
  );
  await projector.waitForSeq(late.seq);
  expect(deadLetter(late.seq)?.reason).toBe('conflicting_duplicate');

  // The first event is what the read model shows; every message has its link.
  const db = openSqlite(path, true);
  const row = db.prepare('SELECT seq, occurred_at FROM timeline WHERE event_id = ?').get(original.eventId);
  const links = (db.prepare('SELECT COUNT(*) AS n FROM chain_links').get() as { n: number }).n;
  db.close();
  expect(row).toEqual({ seq: first.seq, occurred_at: original.occurredAt });
  expect(links).toBe(late.seq);
  const report = await verifyChain({ nc, livePath: path });
  expect(report).toMatchObject({ ok: true, position: late.seq, checked: late.seq });
});
