/**
 * A modified read model file is caught: `hub verify` (verifyReadModel) rebuilds to the same
 * position from the stream and names the table that differs.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import { openSqlite } from '@hub/read-model';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector, publishEvents, sampleEvents, verifyReadModel } from '@hub/projector';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('hub-tamper-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'tamper-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

it('finds a row altered in the read model file, and names its table', async () => {
  await publishEvents(nc, sampleEvents(200, { businesses: 20 }));
  const live = join(dir.path, 'live.sqlite');
  const projector = createProjector({ nc, readModelPath: live });
  await projector.start();
  await projector.catchUp();
  await projector.stop();
  expect((await verifyReadModel({ nc, livePath: live, tempDir: dir.path })).equal).toBe(true);

  // Someone with write access to the file changes what an agency reported.
  const db = openSqlite(live, false);
  db.prepare(
    "UPDATE timeline SET agency = 'SYJ' WHERE seq = (SELECT MIN(seq) FROM timeline WHERE agency <> 'SYJ')",
  ).run();
  db.close();

  const report = await verifyReadModel({ nc, livePath: live, tempDir: dir.path });
  expect(report.equal).toBe(false);
  expect(report.tables.filter((t) => !t.equal).map((t) => t.table)).toContain('timeline');
});
