/**
 * Retrospective checks through the real projector and a real nats-server: last spring's
 * inspections loaded after the hub has moved on to September are checked against their
 * neighbours read from the read model (docs/coordination-rules.md §4). The duplicate is stored
 * as a retrospective alert, raised by the later of the two records in stream order, and never
 * pushed to the agencies; a replay one event per batch and a `hub verify` reproduce it exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import { connectNats, ensureStreams, issueToken, listen, silentLogger } from '@hub/platform';
import { createQueryApi, createReadModelSource, createTokenVerifier, openAccessLog } from '@hub/query-api';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { createLiveProjector, replayReadModel, verifyReadModel, type LiveProjector } from '@hub/projector';
import { currentReadModelPath } from '@hub/read-model';
import type { HubEvent } from '@hub/domain';
import { hubEvent, inspection, publish, usccOf } from './query-fixture.js';

let nats: TestNats;
let nc: NatsConnection;
let sub: Subscription;
let live: LiveProjector;
const dir = tempDir('alerts-retro-');
/** Every alert message seen on core NATS (`<alertId>/<agency>`). */
const seen: string[] = [];

const B = usccOf(501); // two old inspections, a month apart from the present
const C = usccOf(502); // three old inspections published back to back (one batch)
const M = usccOf(503); // a live pair: the marker that delivery has run

const old = (agency: string, uscc: string, id: string, day: string, matter: string): HubEvent =>
  hubEvent(
    inspection(agency, uscc, id, `${day}T02:00:00Z`, '2026-09-02T01:00:00Z', { matterCodes: [matter] }),
  );

interface AlertRow {
  alert_id: string;
  kind: string;
  uscc: string;
  raised_by_event_id: string;
  raised_seq: number;
  detail_json: string;
}
const alertRows = (path: string): AlertRow[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT alert_id, kind, uscc, raised_by_event_id, raised_seq, detail_json FROM alerts ORDER BY alert_id',
      )
      .all() as AlertRow[];
  } finally {
    db.close();
  }
};
const lastSeqOf = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as {
        last_seq: number;
      }
    ).last_seq;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'alerts-retro-test' });
  await ensureStreams(nc);
  sub = nc.subscribe('enf.alert.>', {
    callback: (_e, m) => {
      seen.push(`${m.json<{ alertId: string }>().alertId}/${m.subject.split('.')[3]}`);
    },
  });
});
afterAll(async () => {
  sub?.unsubscribe();
  await live?.stop();
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

describe('retrospective checks in the projector (real NATS, real SQLite)', () => {
  const bOld = [
    old('GSJ', B, 'RB-G-1', '2026-03-02', 'D6-GSJ-001'),
    old('SYJ', B, 'RB-S-1', '2026-03-12', 'D1-SYJ-001'),
  ];
  const cOld = [
    old('CGJ', C, 'RC-C-1', '2026-02-01', 'D3-CGJ-001'),
    old('ZJJ', C, 'RC-Z-1', '2026-02-10', 'D6-ZJJ-001'),
    old('GSJ', C, 'RC-G-1', '2026-02-15', 'D6-GSJ-001'),
  ];

  it('given the hub is at September, when last spring’s inspections are loaded, then their duplicates are stored as retrospective alerts raised by the later record, and not pushed', async () => {
    // The present: the watermark moves to 2026-09-01.
    await publish(nc, [
      hubEvent(inspection('JTJ', usccOf(500), 'NOW-1', '2026-09-01T02:00:00Z', '2026-09-01T03:00:00Z')),
    ]);
    live = createLiveProjector({ nc, dataDir: dir.path, logger: silentLogger(), pollMs: 50 });
    await live.start();
    await live.current()!.catchUp();

    // The past, loaded now; C's three come back to back and are applied in one batch.
    await publish(nc, [...bOld, ...cOld]);
    await live.current()!.catchUp();
    // Then a live pair in the window: its alert is pushed, and delivery goes in stream order.
    await publish(nc, [
      hubEvent(inspection('GSJ', M, 'MK-G', '2026-08-25T02:00:00Z', '2026-08-25T03:00:00Z')),
      hubEvent(
        inspection('CGJ', M, 'MK-C', '2026-09-01T02:00:00Z', '2026-09-01T03:00:00Z', {
          matterCodes: ['D3-CGJ-001'],
        }),
      ),
    ]);
    await live.current()!.catchUp();

    const rows = alertRows(currentReadModelPath(dir.path));
    const retro = rows.filter((r) => r.detail_json.includes('"retrospective":true'));
    expect(retro.map((r) => r.uscc).sort()).toEqual([B, C, C, C]);
    expect(retro.every((r) => r.kind === 'duplicate_inspection')).toBe(true);
    // Raised by the later record in stream order: the read saw only what came before it,
    // although C's three were applied in the same batch.
    expect(retro.find((r) => r.uscc === B)!.raised_by_event_id).toBe(bOld[1]!.eventId);
    expect(
      retro
        .filter((r) => r.uscc === C)
        .map((r) => r.raised_by_event_id)
        .sort(),
    ).toEqual([cOld[1]!.eventId, cOld[2]!.eventId, cOld[2]!.eventId].sort());

    const marker = rows.find((r) => r.uscc === M);
    expect(marker?.detail_json).not.toContain('"retrospective"');
    await waitFor(
      () => (seen.filter((s) => s.startsWith(marker!.alert_id)).length === 2 ? true : undefined),
      {
        what: 'the live marker alert delivered to both agencies',
      },
    );
    for (const r of retro) expect(seen.filter((s) => s.startsWith(r.alert_id))).toEqual([]);
  }, 120_000);

  it('given the live file, when the stream is replayed one event per batch, then the same alerts; and hub verify finds the live file exact', async () => {
    const livePath = currentReadModelPath(dir.path);
    const replayed = join(dir.path, 'replay-one-by-one.sqlite');
    await replayReadModel({ nc, path: replayed, until: { seq: lastSeqOf(livePath) }, batchSize: 1 });
    expect(alertRows(replayed)).toEqual(alertRows(livePath));

    const report = await verifyReadModel({ nc, livePath, tempDir: dir.path });
    expect(report.tables.filter((t) => !t.equal)).toEqual([]);
  }, 120_000);

  it('given the retrospective duplicates, when the committee reads GSJ’s evaluation for February–March, then the retrospective duplicate rate counts them', async () => {
    const source = createReadModelSource({ dataDir: dir.path, graceMs: 100 });
    const accessLog = openAccessLog({ path: join(dir.path, 'query-api', 'access-log.sqlite') });
    const app = createQueryApi({
      logger: silentLogger(),
      readModel: source,
      accessLog,
      tokens: createTokenVerifier(dir.path),
      now: () => new Date('2026-09-02T00:00:00Z'),
    });
    const url = await listen(app, '127.0.0.1', 0);
    try {
      const { token } = issueToken(dir.path, { name: 'legal', scopes: ['legal'] });
      const res = await fetch(`${url}/v1/agencies/GSJ/evaluation?from=2026-02-01&to=2026-03-31`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as {
        legal: { retrospective: unknown };
        duplicates: { flagged: number };
      };
      expect(res.status, JSON.stringify(body)).toBe(200);
      // GSJ completed RB-G-1 and RC-G-1 then; both are named in retrospective duplicates.
      expect(body.legal.retrospective).toEqual({ completed: 2, duplicates: 2, duplicateRate: 1 });
      expect(body.duplicates.flagged).toBe(2); // and they count among all duplicates
    } finally {
      await app.close();
      await source.close();
      await accessLog.close();
    }
  }, 60_000);
});
