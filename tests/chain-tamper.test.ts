/**
 * The hash chain catches a modified read model: every consumed message (applied or
 * dead-lettered) has its link, `verifyChain` recomputes the chain from the stream's bytes, and a
 * changed timeline payload, a changed or deleted link, or a whole chain re-computed by someone
 * who altered an event is named by the sequence where it starts. `hub verify --chain` says the
 * same on the command line.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import {
  CHAIN_GENESIS,
  chainLinkHash,
  linkSelfCheck,
  openSqlite,
  readModelDir,
  type ChainLinksTable,
} from '@hub/read-model';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import {
  createProjector,
  publishEvents,
  publishRaw,
  sampleEvents,
  verifyChain,
  verifyReadModel,
} from '@hub/projector';

const ROOT = join(import.meta.dirname, '..');
let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('hub-chain-tamper-');
const live = join(readModelDir(dir.path), 'read-model.sqlite');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'chain-tamper-test' });
  await ensureStreams(nc);
  await publishEvents(nc, sampleEvents(150, { businesses: 12 }));
  // A message that does not decode: dead-lettered, and chained all the same.
  await publishRaw(nc, [
    { subject: 'enf.evt.GSJ.inspection_completed.91350100M000100Y43', data: new Uint8Array([1, 2, 3]) },
  ]);
  await publishEvents(nc, sampleEvents(50, { businesses: 12, from: 150 }));
  mkdirSync(readModelDir(dir.path), { recursive: true });
  const projector = createProjector({ nc, readModelPath: live, batchSize: 37 });
  await projector.start();
  await projector.catchUp();
  await projector.stop();
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

/** A copy of the live read model, changed by `tamper`. */
let copies = 0;
function tampered(tamper: (db: ReturnType<typeof openSqlite>) => void): string {
  copies += 1;
  const path = join(dir.path, `copy-${copies}.sqlite`);
  const src = openSqlite(live, true);
  src.prepare('VACUUM INTO ?').run(path);
  src.close();
  const db = openSqlite(path, false);
  tamper(db);
  db.close();
  return path;
}

it('links every consumed message, dead letters included, and the chain matches the stream', async () => {
  const db = openSqlite(live, true);
  const links = db.prepare('SELECT * FROM chain_links ORDER BY seq').all() as ChainLinksTable[];
  const deadSeq = (db.prepare('SELECT seq FROM dead_letters').get() as { seq: number }).seq;
  db.close();
  expect(links.map((l) => l.seq)).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
  expect(deadSeq).toBe(151);
  expect(links[0]!.prev_hash).toBe(CHAIN_GENESIS);
  for (let i = 0; i < links.length; i++) {
    expect(linkSelfCheck(links[i]!)).toBeUndefined();
    if (i > 0) expect(links[i]!.prev_hash).toBe(links[i - 1]!.hash);
  }

  const report = await verifyChain({ nc, livePath: live });
  expect(report).toMatchObject({ ok: true, position: 201, checked: 201, timelineRows: 200 });
  expect(report.head).toEqual({ seq: 201, hash: links[200]!.hash });
  // The chain is part of the read model: a clean rebuild has the same links, digest for digest.
  expect((await verifyReadModel({ nc, livePath: live, tempDir: dir.path })).equal).toBe(true);
});

it('names the sequence of an altered timeline payload', async () => {
  const path = tampered((db) =>
    db.prepare(`UPDATE timeline SET payload_json = replace(payload_json, '"', ' "') WHERE seq = 77`).run(),
  );
  const report = await verifyChain({ nc, livePath: path });
  expect(report.ok).toBe(false);
  expect(report.firstDifference).toMatchObject({ seq: 77, what: 'timeline' });
  expect(report.firstDifference!.detail).toContain('payload_json');
  expect(report.differences).toHaveLength(1);
});

it('names an altered, a deleted and a re-computed chain row', async () => {
  const altered = tampered((db) =>
    db.prepare(`UPDATE chain_links SET hash = ? WHERE seq = 120`).run('f'.repeat(64)),
  );
  const a = await verifyChain({ nc, livePath: altered });
  expect(a.firstDifference).toMatchObject({ seq: 120, what: 'hash' });
  // Only that link: the recomputed chain goes on from the stream, so the next link still matches.
  expect(a.differences.map((d) => d.seq)).toEqual([120]);

  const deleted = tampered((db) => db.prepare('DELETE FROM chain_links WHERE seq = 33').run());
  expect((await verifyChain({ nc, livePath: deleted })).firstDifference).toMatchObject({
    seq: 33,
    what: 'missing_link',
  });

  // A careful forger: changes event 90's payload and rewrites every link from 90 on so that the
  // chain is consistent in itself, with the hash of the bytes the forged row would have had.
  const forged = tampered((db) => {
    db.prepare(`UPDATE timeline SET payload_json = replace(payload_json, '"', ' "') WHERE seq = 90`).run();
    const links = db
      .prepare('SELECT * FROM chain_links WHERE seq >= 89 ORDER BY seq')
      .all() as ChainLinksTable[];
    const put = db.prepare('UPDATE chain_links SET prev_hash = ?, event_hash = ?, hash = ? WHERE seq = ?');
    let prev = links[0]!.hash;
    for (const l of links.slice(1)) {
      const ev = l.seq === 90 ? 'a'.repeat(64) : l.event_hash;
      const hash = chainLinkHash(prev, l.seq, ev);
      put.run(prev, ev, hash, l.seq);
      prev = hash;
    }
  });
  const forgedDb = openSqlite(forged, true);
  const all = forgedDb.prepare('SELECT * FROM chain_links ORDER BY seq').all() as ChainLinksTable[];
  forgedDb.close();
  expect(all.every((l) => linkSelfCheck(l) === undefined)).toBe(true); // consistent in itself
  const f = await verifyChain({ nc, livePath: forged });
  expect(f.firstDifference).toMatchObject({ seq: 90, what: 'event_hash' });
  // Every later link now differs from the one recomputed from the stream.
  expect(f.differences.some((d) => d.seq === 91 && d.what === 'prev_hash')).toBe(true);
  expect(f.differences.some((d) => d.seq === 90 && d.what === 'timeline')).toBe(true);
});

it('`hub verify --chain` says where the chain first differs', async () => {
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'services/hub/dist/main.js'), ...args], {
        env: { ...process.env, NATS_URL: nats.url, HUB_DATA_DIR: dir.path, NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.once('exit', (code) => resolve({ code, out }));
    });
  const ok = await run('verify', '--chain');
  expect(ok.out).toContain('结果：哈希链与流一致 (result: the chain matches the stream)');
  expect(ok.code).toBe(0);

  const db = openSqlite(live, false);
  db.prepare(`UPDATE timeline SET payload_json = replace(payload_json, '"', ' "') WHERE seq = 12`).run();
  db.close();
  const bad = await run('verify', '--chain');
  expect(bad.out).toContain('first differing link at seq 12');
  expect(bad.out).toContain('timeline');
  expect(bad.code).toBe(1);
});
