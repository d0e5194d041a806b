/**
 * A clock tick in flight under SIGKILL: the built projector (`services/projector/dist/main.js`)
 * is killed while it applies a stream of clock ticks that fire service and publication deadlines
 * (docs/legal-rules.md §5), and started again, several times. In the end the read model holds
 * exactly the alerts and clocks of a clean replay of the same stream, and ENF_ALERTS holds each
 * live alert once per agency — none missing, none twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ALERTS_STREAM, EVENTS_STREAM, clockTickedJson, type HubEvent } from '@hub/domain';
import { connectNats, ensureStreams } from '@hub/platform';
import { publishOfficeEvent, replayReadModel } from '@hub/projector';
import { currentReadModelPath } from '@hub/read-model';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { hubEvent, publish, usccOf } from './query-fixture.js';
import { spawnProjectorProcess } from './projector-process.js';

const KILLS = 3;
const CASES = 120;
const DAY = 86_400_000;
const START = Date.parse('2026-03-02T02:00:00Z');
/** Hourly ticks over 100 days. */
const TICKS = 100 * 24;

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('law-tick-crash-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'law-tick-crash-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

const spawnProjector = () =>
  spawnProjectorProcess({
    NATS_URL: nats.url,
    HUB_DATA_DIR: dir.path,
    LOG_LEVEL: 'warn',
    // Small batches: many commits while the ticks are applied, so a kill lands between them.
    PROJECTOR_BATCH_SIZE: '5',
    PROJECTOR_CLOCK_TICK_MS: '0',
    PROJECTOR_PUBLISH_CALENDAR: 'false',
  });

/** Reads the read model file the projector is writing (or undefined before it exists). */
function readFile<T>(path: string, fn: (db: Database.Database) => T): T | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true });
  try {
    return fn(db);
  } catch {
    return undefined; // not migrated yet
  } finally {
    db.close();
  }
}
const livePath = () => {
  try {
    return currentReadModelPath(dir.path);
  } catch {
    return join(dir.path, 'none');
  }
};
const positionOf = (path: string): number =>
  readFile(
    path,
    (db) =>
      (
        db.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
          { last_seq: number } | undefined
      )?.last_seq ?? 0,
  ) ?? 0;
const alertsOf = (path: string) =>
  readFile(path, (db) => db.prepare('SELECT * FROM alerts ORDER BY alert_id').all()) ?? [];
const clocksOf = (path: string) =>
  readFile(path, (db) => db.prepare('SELECT * FROM legal_clocks ORDER BY clock_id').all()) ?? [];
const deliveredCount = (): number =>
  readFile(
    join(dir.path, 'read-model', 'alert-deliveries.sqlite'),
    (db) => (db.prepare('SELECT count(*) AS n FROM alert_deliveries').get() as { n: number }).n,
  ) ?? 0;

async function storedMsgIds(): Promise<string[]> {
  const total = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(ALERTS_STREAM)).state
    .messages;
  const consumer = await jetstream(nc, { timeout: 30_000 }).consumers.get(ALERTS_STREAM);
  const ids: string[] = [];
  while (ids.length < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(total - ids.length, 500), expires: 2000 });
    for await (const m of batch) ids.push(m.headers?.get('Nats-Msg-Id') ?? '');
  }
  return ids.sort();
}

it(`applies clock ticks exactly once although the projector is killed ${KILLS} times while deadlines fire`, async () => {
  // Decided cases, never served nor published: each one's deadlines fire on a later tick.
  const cases: HubEvent[] = [];
  for (let i = 0; i < CASES; i++) {
    const uscc = usccOf(700 + (i % 40));
    const opened = new Date(START + Math.floor(i / 2) * DAY).toISOString();
    const decided = new Date(START + Math.floor(i / 2) * DAY + 3 * 3_600_000).toISOString();
    const caseId = `TK-${i}`;
    cases.push(
      hubEvent({
        agency: 'GSJ',
        uscc,
        occurredAt: opened,
        recordedAt: opened,
        recordId: `${caseId}-open`,
        type: 'penaltyCaseOpened',
        payload: { caseId, matterCodes: ['D6-GSJ-001'] },
      }),
      hubEvent({
        agency: 'GSJ',
        uscc,
        occurredAt: decided,
        recordedAt: decided,
        recordId: `${caseId}-decided`,
        type: 'penaltyDecided',
        payload: {
          caseId,
          decisionNo: `工商罚〔2026〕T${i}号`,
          violationCode: `V-T${i}`,
          legalBasisArticles: ['《产品质量法》第五十条'],
          amountFen: 100000,
        },
      }),
    );
  }
  await publish(nc, cases);
  const firstTickSeq =
    (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state.last_seq + 1;
  for (let k = 0; k < TICKS; k++) await publishOfficeEvent(nc, clockTickedJson(START + k * 3_600_000));
  const lastSeq = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state
    .last_seq;
  expect(lastSeq).toBe(firstTickSeq + TICKS - 1);

  // Kill while ticks are being applied: each time a little further into the ticks.
  const killedAt: number[] = [];
  const firedAt: number[] = [];
  for (let k = 1; k <= KILLS; k++) {
    const aim = firstTickSeq + Math.floor((k * TICKS) / (KILLS + 2));
    const p = spawnProjector();
    await waitFor(() => (positionOf(livePath()) >= aim ? true : undefined), {
      what: `the projector past sequence ${aim} (kill ${k})`,
      timeoutMs: 90_000,
      intervalMs: 5,
    });
    p.child.kill('SIGKILL');
    await p.exited;
    killedAt.push(positionOf(livePath()));
    firedAt.push(
      (alertsOf(livePath()) as { detail_json: string }[]).filter((a) =>
        /SERVICE_LATE|PUBLICATION_LATE/.test(a.detail_json),
      ).length,
    );
  }
  // The kills landed among the ticks, with deadline alerts already fired and more to come.
  expect(
    killedAt.some((s, i) => s >= firstTickSeq && s < lastSeq && firedAt[i]! > 0 && firedAt[i]! < 2 * CASES),
    JSON.stringify({ killedAt, firedAt, firstTickSeq, lastSeq }),
  ).toBe(true);

  const last = spawnProjector();
  await waitFor(() => (positionOf(livePath()) === lastSeq ? true : undefined), {
    what: 'the projector at the end of the stream',
    timeoutMs: 120_000,
  });

  // A clean replay of the same stream: the same alerts and clocks, row for row.
  const replayed = join(dir.path, 'clean-replay.sqlite');
  await replayReadModel({ nc, path: replayed, until: { seq: lastSeq } });
  const clean = alertsOf(replayed) as { alert_id: string; agencies_json: string; detail_json: string }[];
  const deadline = clean.filter((a) => /SERVICE_LATE|PUBLICATION_LATE/.test(a.detail_json));
  expect(deadline.length).toBe(2 * CASES);
  expect(alertsOf(livePath())).toEqual(clean);
  expect(clocksOf(livePath())).toEqual(clocksOf(replayed));

  // Each live alert delivered once per agency; retrospective ones never.
  const expected = clean
    .filter((a) => !a.detail_json.includes('"retrospective":true'))
    .flatMap((a) => (JSON.parse(a.agencies_json) as string[]).map((g) => `${a.alert_id}/${g}`))
    .sort();
  await waitFor(() => (deliveredCount() === expected.length ? true : undefined), {
    what: 'every alert delivered',
    timeoutMs: 90_000,
  });
  last.child.kill('SIGKILL');
  await last.exited;
  expect(await storedMsgIds()).toEqual(expected);
}, 300_000);
