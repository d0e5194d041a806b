/**
 * Alert delivery under SIGKILL (issue 5): the built projector (`services/projector/dist/main.js`)
 * is killed while it publishes the alerts of the seeded scenario, and started again; in the
 * end ENF_ALERTS holds each (alert, agency) exactly once — every `Nats-Msg-Id` once, none
 * missing — and the delivery file knows them all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ALERTS_STREAM,
  eventSubject,
  isEventType,
  parseCoordinationSettings,
  parseHubEvent,
  replayCoordination,
} from '@hub/domain';
import { connectNats, encodeCanonical, ensureStreams } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats, generateScenario } from '@hub/testing';
import { spawnProjectorProcess } from './projector-process.js';

const KILLS = 4;
let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('alerts-crash-');
const scenario = generateScenario({ seed: 5, businesses: 400 });

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'alerts-crash-test' });
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
    LOG_LEVEL: 'info',
    PROJECTOR_BATCH_SIZE: '40',
  });

// The coordination alerts this test expects (alertId/agency). The scenario's penalty cases also
// raise legal (procedure) alerts, delivered the same way; they are left out of the count.
let expectedIds = new Set<string>();

const deliveries = (): number => {
  const path = join(dir.path, 'read-model', 'alert-deliveries.sqlite');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT alert_id, agency FROM alert_deliveries').all() as {
      alert_id: string;
      agency: string;
    }[];
    return rows.filter((r) => expectedIds.has(`${r.alert_id}/${r.agency}`)).length;
  } catch {
    return 0; // not created yet
  } finally {
    db.close();
  }
};

async function storedMsgIds(): Promise<string[]> {
  const total = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(ALERTS_STREAM)).state
    .messages;
  const consumer = await jetstream(nc, { timeout: 30_000 }).consumers.get(ALERTS_STREAM);
  const ids: string[] = [];
  while (ids.length < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(total - ids.length, 500), expires: 2000 });
    for await (const m of batch) ids.push(m.headers?.get('Nats-Msg-Id') ?? '');
  }
  return ids.filter((id) => expectedIds.has(id)).sort();
}

it(
  `delivers every alert once per agency although the projector is killed ${KILLS} times`,
  { timeout: 180_000 },
  async () => {
    const js = jetstream(nc, { timeout: 30_000 });
    await Promise.all(
      scenario.events.map((e) => {
        const type = Object.keys(e).find(isEventType)!;
        const source = e.source as { recordId: string; revision: number };
        return js.publish(
          eventSubject(e.agency as string, type, (e.business as { uscc: string }).uscc),
          encodeCanonical(e),
          { msgID: `${e.agency as string}/${source.recordId}/${source.revision}` },
        );
      }),
    );
    const { alerts } = replayCoordination(
      scenario.events.map((e) => {
        const r = parseHubEvent(e);
        if (!r.ok) throw new Error(JSON.stringify(r.issues));
        return r.value;
      }),
      parseCoordinationSettings({}),
    );
    const expected = alerts.flatMap((a) => a.agencies.map((g) => `${a.alertId}/${g}`)).sort();
    expect(expected.length).toBeGreaterThan(50);
    expectedIds = new Set(expected);

    for (let k = 1; k <= KILLS; k++) {
      const before = deliveries();
      const p = spawnProjector();
      // Kill while it is delivering: as soon as the delivery file has grown (or it has finished).
      await waitFor(() => (deliveries() > before || deliveries() === expected.length ? true : undefined), {
        what: `deliveries to grow (kill ${k})`,
        timeoutMs: 60_000,
      });
      p.child.kill('SIGKILL');
      await p.exited;
    }

    const last = spawnProjector();
    // In full parallel CI runs the deliveries stopped short for 90 s (5–14 s alone, 13 s three at
    // once; it now runs alone, vitest.config.ts): the failure says how far they got and what the
    // projector logged (at info).
    await waitFor(() => (deliveries() === expected.length ? true : undefined), {
      what: 'every alert delivered',
      timeoutMs: 90_000,
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}: ${deliveries()} of ${expected.length} delivered\n${last.log()}`);
    });
    last.child.kill('SIGKILL'); // may still be starting its HTTP side: no graceful stop asserted here
    await last.exited;
    expect(await storedMsgIds()).toEqual(expected);
  },
);
