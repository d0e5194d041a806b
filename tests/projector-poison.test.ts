/**
 * Direct publishers bypass the agency services, so the projector checks the gateway's rules
 * that need no clock of its own (times against the stream's timestamp, officers, reporters,
 * the schema version) and dead-letters what breaks them; an event id seen before with other
 * content is a `conflicting_duplicate`, not a silent duplicate. Real nats-server and SQLite.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventSubject, toCanonicalJson, type HubEvent } from '@hub/domain';
import { connectNats, encodeCanonical, encodeEvent, ensureStreams, newEventId } from '@hub/platform';
import { openSqlite } from '@hub/read-model';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector, publishRaw, sampleEvent, subjectOf } from '@hub/projector';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-poison-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'poison-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

/** sampleEvent(1) is an inspectionCompleted with two officers; (2) a penaltyCaseOpened. */
const inspection = (n: number): HubEvent => {
  const e = sampleEvent(8 * n + 1, { businesses: 50 });
  expect(e.type).toBe('inspectionCompleted');
  return { ...e, eventId: newEventId() };
};
const withPayload = (e: HubEvent, patch: Record<string, unknown>): HubEvent =>
  ({ ...e, payload: { ...e.payload, ...patch } }) as HubEvent;

it('dead-letters what the gateway would refuse, and a reused event id with other content', async () => {
  const good = inspection(0);
  const cases: { name: string; json: Record<string, unknown>; reason?: string; detail?: RegExp }[] = [
    { name: 'good', json: toCanonicalJson(good) },
    {
      name: 'occurred in 2099',
      json: toCanonicalJson({ ...inspection(1), occurredAt: '2099-01-01T00:00:00.000Z' }),
      reason: 'rule_violation',
      detail: /occurredAt.*TIME_IN_FUTURE|TIME_IN_FUTURE.*occurredAt/,
    },
    {
      name: 'recorded in 2099',
      json: toCanonicalJson({ ...inspection(2), recordedAt: '2099-01-01T00:00:00.000Z' }),
      reason: 'rule_violation',
      detail: /recordedAt/,
    },
    {
      name: 'no officers',
      json: toCanonicalJson(withPayload(inspection(3), { officers: [] })),
      reason: 'rule_violation',
      detail: /TOO_FEW_OFFICERS/,
    },
    {
      name: 'no schema version',
      json: (() => {
        const { schemaVersion: _v, ...rest } = toCanonicalJson(inspection(4));
        return rest;
      })(),
      reason: 'schema_violation',
      detail: /schemaVersion/,
    },
    {
      name: 'payment reported by an enforcement agency',
      json: toCanonicalJson({
        ...inspection(5),
        type: 'paymentReceived',
        payload: { caseId: 'C-1', decisionNo: 'D-1', decidingAgency: 'GSJ', amountFen: 100 },
      }),
      reason: 'rule_violation',
      detail: /PAYMENT_REPORTER_NOT_FINANCE/,
    },
    { name: 'same id, same content, again', json: toCanonicalJson(good) },
    {
      name: 'same id, other content',
      json: toCanonicalJson(withPayload(good, { result: 'INSPECTION_RESULT_NO_ISSUES', findings: [] })),
      reason: 'conflicting_duplicate',
      detail: new RegExp(good.eventId),
    },
  ];
  await publishRaw(
    nc,
    cases.map((c, i) => {
      const json = c.json as { agency: string; business: { uscc: string } };
      const type = c.name.startsWith('payment') ? 'paymentReceived' : good.type;
      const subject = eventSubject(json.agency, type, json.business.uscc);
      return { subject, data: encodeCanonical(c.json), msgID: `poison-${i}` };
    }),
  );
  // The same event applied once more beyond any dedup (a new Nats-Msg-Id): still a duplicate.
  await publishRaw(nc, [{ subject: subjectOf(good), data: encodeEvent(good), msgID: 'again' }]);

  const path = join(dir.path, 'read-model.sqlite');
  const projector = createProjector({ nc, readModelPath: path });
  await projector.start();
  await projector.catchUp();
  const stats = projector.stats();
  await projector.stop();

  const db = openSqlite(path, true);
  const dead = db.prepare('SELECT seq, reason, detail FROM dead_letters ORDER BY seq').all() as {
    seq: number;
    reason: string;
    detail: string;
  }[];
  const applied = db.prepare('SELECT event_id FROM timeline').all() as { event_id: string }[];
  db.close();

  cases.forEach((c, i) => {
    const letter = dead.find((d) => d.seq === i + 1);
    if (c.reason === undefined) {
      expect(letter, c.name).toBeUndefined();
    } else {
      expect(letter?.reason, c.name).toBe(c.reason);
      expect(letter?.detail, c.name).toMatch(c.detail!);
    }
  });
  expect(applied.map((a) => a.event_id)).toEqual([good.eventId]);
  expect(stats.duplicates).toBe(2);
});
