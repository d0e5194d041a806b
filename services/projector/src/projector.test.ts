import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, encodeCanonical, encodeEvent, ensureStreams, newEventId } from '@hub/platform';
import { isHubError, toCanonicalJson } from '@hub/domain';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector } from './projector.js';
import { digestReadModelFile, diffDigests } from './digest.js';
import { openSqlite } from '@hub/read-model';
import {
  publishEvents,
  publishRaw,
  sampleBusiness,
  sampleEvent,
  sampleEvents,
  subjectOf,
} from './sample-stream.js';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'projector-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

const query = <T>(path: string, sql: string, ...args: unknown[]): T[] => {
  const db = openSqlite(path, true);
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
};

describe('projector (real nats-server, real SQLite)', () => {
  const live = join(dir.path, 'live.sqlite');

  it('applies every event once, dead-letters poison messages, and keeps other businesses flowing', async () => {
    const events = sampleEvents(2000, { businesses: 50 });
    await publishEvents(nc, events);
    const good = sampleEvent(5000, { businesses: 50 });
    const bad = (subject: string, data: Uint8Array) => ({ subject, data });
    const json = toCanonicalJson(good);
    await publishRaw(nc, [
      bad(subjectOf(good), new Uint8Array([0xff, 0xff, 0xff, 0x01])), // undecodable
      bad(subjectOf(good), encodeCanonical({ ...json, [good.type]: undefined, eventId: newEventId() })), // no type
      bad(subjectOf(good), encodeCanonical({ ...json, eventId: newEventId(), source: { system: '' } })), // schema
      bad(
        subjectOf(good).replace('.GSJ.', '.SYJ.').replace('.ZJJ.', '.SYJ.'),
        encodeEvent({ ...good, agency: 'GSJ' }),
      ),
      bad(subjectOf(events[0]!), encodeEvent(events[0]!)), // same event id again, later sequence
    ]);
    const after = sampleEvent(2001, { businesses: 50 }); // same business as the poison ones
    await publishEvents(nc, [after]);

    const p = createProjector({ nc, readModelPath: live, batchSize: 700 });
    await p.start();
    await p.catchUp();
    expect(p.stats()).toMatchObject({ eventsApplied: 2001, deadLetters: 4, duplicates: 1 });
    await p.stop();

    const [count] = query<{ n: number }>(live, 'SELECT count(*) AS n FROM timeline');
    expect(count!.n).toBe(2001);
    const dead = query<{ reason: string; uscc: string | null }>(
      live,
      'SELECT reason, uscc FROM dead_letters ORDER BY seq',
    );
    expect(dead.map((d) => d.reason)).toEqual([
      'undecodable',
      'unknown_type',
      'schema_violation',
      'agency_mismatch',
    ]);
    // Later events of the same business apply normally; the business is flagged.
    expect(query(live, 'SELECT 1 FROM timeline WHERE event_id = ?', after.eventId)).toHaveLength(1);
    const [biz] = query<{ dead_letter_count: number }>(
      live,
      'SELECT dead_letter_count FROM businesses WHERE uscc = ?',
      good.business.uscc,
    );
    expect(biz!.dead_letter_count).toBeGreaterThanOrEqual(3);
    const jsm = await jetstreamManager(nc);
    await expect.poll(async () => (await jsm.streams.info('ENF_DLQ')).state.messages).toBe(4);
  });

  it('a second projector on the same read model refuses to start', async () => {
    const first = createProjector({ nc, readModelPath: live });
    await first.start();
    const second = createProjector({ nc, readModelPath: live });
    const err = await second.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHubError(err, 'READ_MODEL_LOCKED')).toBe(true);
    expect((err as Error).message).toMatch(/已有写入进程.*already has a writer/);
    await first.stop();
  });

  it('corrections and retractions change the read models and stay visible in the timeline', async () => {
    const [completed] = query<{
      event_id: string;
      agency: string;
      uscc: string;
      payload_json: string;
      occurred_at: string;
    }>(live, "SELECT * FROM timeline WHERE event_type = 'inspectionCompleted' ORDER BY seq LIMIT 1");
    const [complaint] = query<{ event_id: string; agency: string; uscc: string; subject_ref: string }>(
      live,
      "SELECT * FROM timeline WHERE event_type = 'complaintReceived' ORDER BY seq LIMIT 1",
    );
    const payload = JSON.parse(completed!.payload_json) as Record<string, unknown>;
    const header = (agency: string, uscc: string, n: number) => ({
      eventId: newEventId(),
      agency,
      business: { uscc },
      occurredAt: '2026-04-01T00:00:00.000Z',
      recordedAt: '2026-04-01T00:00:00.000Z',
      source: { system: 'fix', recordId: `FIX-${n}`, revision: 0 },
      schemaVersion: 1,
    });
    const correction = {
      ...header(completed!.agency, completed!.uscc, 1),
      type: 'eventCorrected' as const,
      payload: {
        correctedEventId: completed!.event_id,
        reason: '结果录入错误',
        replacement: { inspectionCompleted: { ...payload, result: 'INSPECTION_RESULT_NO_ISSUES' } },
      },
    };
    const retraction = {
      ...header(complaint!.agency, complaint!.uscc, 2),
      type: 'eventRetracted' as const,
      payload: { retractedEventId: complaint!.event_id, reason: '重复录入' },
    };
    const wrongAgency = {
      ...retraction,
      ...header(complaint!.agency === 'GSJ' ? 'SYJ' : 'GSJ', complaint!.uscc, 3),
    };
    await publishEvents(nc, [correction, retraction, wrongAgency]);
    const [before] = query<{ complaint_count: number }>(
      live,
      'SELECT complaint_count FROM businesses WHERE uscc = ?',
      complaint!.uscc,
    );

    const p = createProjector({ nc, readModelPath: live });
    await p.start();
    await p.catchUp();
    await p.stop();

    const [inspection] = query<{ result: string }>(
      live,
      'SELECT result FROM inspections WHERE agency = ? AND inspection_id = ?',
      completed!.agency,
      payload.inspectionId,
    );
    expect(inspection!.result).toBe('INSPECTION_RESULT_NO_ISSUES');
    const rows = query<{ status: string; superseded_by_event_id: string | null }>(
      live,
      'SELECT status, superseded_by_event_id FROM timeline WHERE event_id IN (?, ?) ORDER BY seq',
      completed!.event_id,
      complaint!.event_id,
    );
    expect(rows).toEqual([
      { status: 'corrected', superseded_by_event_id: correction.eventId },
      { status: 'retracted', superseded_by_event_id: retraction.eventId },
    ]);
    expect(
      query(live, 'SELECT 1 FROM complaints WHERE complaint_id = ?', complaint!.subject_ref),
    ).toHaveLength(0);
    const [afterBiz] = query<{ complaint_count: number }>(
      live,
      'SELECT complaint_count FROM businesses WHERE uscc = ?',
      complaint!.uscc,
    );
    expect(afterBiz!.complaint_count).toBe(before!.complaint_count - 1);
    expect(query(live, "SELECT 1 FROM dead_letters WHERE reason = 'invalid_correction'")).toHaveLength(1);
  });

  it('a clean rebuild has the same digest as the live read model', async () => {
    const fresh = join(dir.path, 'rebuild.sqlite');
    // Decoded on the worker here, in-thread for the live file: both paths give the same rows.
    const p = createProjector({
      nc,
      readModelPath: fresh,
      mode: 'rebuild',
      batchSize: 333,
      decodeInWorker: true,
    });
    await p.start();
    await p.catchUp();
    await p.stop();
    const a = digestReadModelFile(live);
    const b = digestReadModelFile(fresh);
    expect(diffDigests(a, b)).toEqual([]);
    expect(a.rows.timeline).toBeGreaterThan(2000);
    expect(sampleBusiness(1)).toHaveLength(18);
  });

  it('with the consumer stopped and restarted to bound memory, the result is the same', async () => {
    const bounded = join(dir.path, 'bounded.sqlite');
    const p = createProjector({
      nc,
      readModelPath: bounded,
      mode: 'rebuild',
      batchSize: 200,
      maxBufferedEvents: 600,
      decodeInWorker: true,
    });
    await p.start();
    await p.catchUp();
    await p.stop();
    expect(p.stats().consumerPauses).toBeGreaterThan(0);
    expect(diffDigests(digestReadModelFile(live), digestReadModelFile(bounded))).toEqual([]);
  });

  it('a dead letter can be retried once what it needed has arrived', async () => {
    const target = sampleEvent(7001, { businesses: 50 });
    const correction = {
      ...sampleEvent(7002, { businesses: 50 }),
      agency: target.agency,
      business: target.business,
      type: 'eventCorrected' as const,
      payload: {
        correctedEventId: target.eventId,
        reason: '先到的更正',
        replacement: { [target.type]: target.payload },
      },
    };
    // The correction is stored before its target (a direct publisher's mistake).
    const seq = await publishEvents(nc, [correction]);
    await publishEvents(nc, [target]);
    const p = createProjector({ nc, readModelPath: live });
    await p.start();
    await p.catchUp();
    const [dead] = query<{ reason: string }>(live, 'SELECT reason FROM dead_letters WHERE seq = ?', seq);
    expect(dead!.reason).toBe('correction_target_unknown');
    const result = await p.retryDeadLetter(seq);
    expect(result.outcome).toBe('applied');
    await p.stop();
    expect(query(live, 'SELECT 1 FROM dead_letters WHERE seq = ?', seq)).toHaveLength(0);
    const [row] = query<{ status: string }>(
      live,
      'SELECT status FROM timeline WHERE event_id = ?',
      target.eventId,
    );
    expect(row!.status).toBe('corrected');
  });
});
