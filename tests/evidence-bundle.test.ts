/**
 * Evidence bundles on a real nats-server and SQLite, through the built CLI: `hub evidence
 * export` writes one business's signed events, their chain links, the keys and the catalogue
 * version in force, and logs the export in the access log; `hub evidence verify` passes it
 * offline and fails an altered one, naming the check and the sequence; `--as-of` cuts by stream
 * time; bad input names its field and writes nothing; and docs/evidence.md's openssl example
 * verifies a batch signature and recomputes the event's path to the signed root as written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { catalogueVersionPublishedPayload, HUB_OFFICE_USCC, type HubEvent } from '@hub/domain';
import {
  connectNats,
  encodeEvent,
  ensureStreams,
  issueToken,
  listen,
  silentLogger,
  loadOrCreateSigningKey,
  publishKeyEvent,
  signatureHeaders,
  signTogether,
  BATCH_SCHEME,
  type SigningKey,
} from '@hub/platform';
import { readModelDir } from '@hub/read-model';
import { createQueryApi, createReadModelSource, createTokenVerifier, openAccessLog } from '@hub/query-api';
import { ROLE_SCOPES } from './query-fixture.js';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { createProjector, sampleBusiness, sampleEvent, subjectOf } from '@hub/projector';
import {
  verifyBundle,
  type BundleEvent,
  type EvidenceBundle,
} from '../services/hub/src/commands/evidence-bundle.js';
import { exportEvidence } from '../services/hub/src/commands/evidence-export.js';

const ROOT = join(import.meta.dirname, '..');
let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('hub-evidence-');
const live = join(readModelDir(dir.path), 'read-model.sqlite');
const business = sampleBusiness(0);
const keys: Record<string, SigningKey> = {};
const seqs: number[] = [];

function hub(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'services/hub/dist/main.js'), ...args], {
      env: { ...process.env, NATS_URL: nats.url, HUB_DATA_DIR: dir.path, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Publishes events signed as the relay signs them (a batch per agency), or one signed alone. */
async function publishSigned(...events: HubEvent[]): Promise<number[]> {
  const bodies = events.map(encodeEvent);
  const signed =
    events.length === 1
      ? [signatureHeaders(keys[events[0]!.agency]!, bodies[0]!)]
      : signTogether(events.map((e, i) => ({ key: keys[e.agency]!, body: bodies[i]! })));
  const seqs: number[] = [];
  for (const [i, e] of events.entries()) {
    const h = headers();
    for (const [k, v] of signed[i]!) h.set(k, v);
    const ack = await jetstream(nc, { timeout: 30_000 }).publish(subjectOf(e), bodies[i], {
      headers: h,
      msgID: e.eventId,
    });
    seqs.push(ack.seq);
  }
  return seqs;
}

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'evidence-test' });
  await ensureStreams(nc);
  for (const agency of ['GSJ', 'SYJ', 'ZJJ', 'ZWH']) {
    const k = loadOrCreateSigningKey(dir.path, agency);
    keys[agency] = k;
    await publishKeyEvent(nc, {
      action: 'registered',
      agency,
      keyId: k.keyId,
      publicKey: k.publicKey,
      by: 'test',
    });
  }
  // The catalogue version in force, published by the committee office.
  const base = sampleEvent(0, { agency: 'ZWH' });
  await publishSigned({
    ...base,
    business: { uscc: HUB_OFFICE_USCC, name: '县行政综合执法委员会办公室' },
    type: 'catalogueVersionPublished',
    payload: catalogueVersionPublishedPayload(),
  });
  // Business 0 gets every fourth event; the others are about three other businesses. Signed in
  // two batches, as the relay signs; the catalogue version above was signed alone.
  for (let from = 0; from < 40; from += 20) {
    const batch = Array.from({ length: 20 }, (_, i) => sampleEvent(from + i, { businesses: 4 }));
    (await publishSigned(...batch)).forEach((seq, i) => (from + i) % 4 === 0 && seqs.push(seq));
  }
  // An unsigned one about business 0: refused (bad_signature), listed in the bundle for information.
  const unsigned = sampleEvent(40, { businesses: 4 });
  await jetstream(nc, { timeout: 30_000 }).publish(subjectOf(unsigned), encodeEvent(unsigned), {
    msgID: unsigned.eventId,
  });
  mkdirSync(readModelDir(dir.path), { recursive: true });
  const projector = createProjector({ nc, readModelPath: live, signatures: 'required' });
  await projector.start();
  await projector.catchUp();
  await projector.stop();
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

it('exports a bundle that verifies offline, and logs the export', async () => {
  const file = join(dir.path, 'bundle.json');
  const exported = await hub('evidence', 'export', '--business', business, '--out', file);
  expect(exported.out).toContain('已记入访问日志 (written to the access log)');
  expect(exported.code).toBe(0);

  const bundle = JSON.parse(readFileSync(file, 'utf8')) as EvidenceBundle;
  expect(bundle.events.map((e) => e.seq)).toEqual(seqs);
  expect(bundle.events.every((e) => e.signature && e.keyId && e.link)).toBe(true);
  expect(bundle.events.every((e) => e.signatureScheme === BATCH_SCHEME && e.batch?.path.length)).toBe(true);
  expect(bundle.catalogue?.signatureScheme).toBe('ed25519');
  expect(bundle.catalogue?.version).toBe(catalogueVersionPublishedPayload().version);
  expect(bundle.catalogueShipped).toEqual(catalogueVersionPublishedPayload());
  expect(bundle.keys.map((k) => k.agency).sort()).toEqual(['GSJ', 'SYJ', 'ZJJ', 'ZWH']);
  expect(bundle.chain.head?.seq).toBe(42);
  expect(bundle.deadLetters).toEqual([expect.objectContaining({ seq: 42, reason: 'bad_signature' })]);
  expect(verifyBundle(bundle)).toMatchObject({ ok: true, events: 10 });

  const verified = await hub('evidence', 'verify', file);
  expect(verified.out).toContain('结果：证据包完整可信 (result: every check passed)');
  expect(verified.out).toContain('通过 PASS  签名');
  expect(verified.code).toBe(0);

  const log = openAccessLog({ path: join(dir.path, 'query-api', 'access-log.sqlite') });
  const { entries } = await log.list({ uscc: business, limit: 10 });
  await log.close();
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ uscc: business, resource: 'evidence-export', status: 200 });
  expect(entries[0]!.query).toContain('bundle.json');

  // The supervision office sees the export with the reads, over HTTP.
  const issued = issueToken(dir.path, { name: 'supervision', scopes: ROLE_SCOPES.supervision });
  const readModel = createReadModelSource({ dataDir: dir.path, graceMs: 100 });
  const accessLog = openAccessLog({ path: join(dir.path, 'query-api', 'access-log.sqlite') });
  const app = createQueryApi({
    logger: silentLogger(),
    readModel,
    accessLog,
    tokens: createTokenVerifier(dir.path),
    now: () => new Date(),
  });
  try {
    const url = await listen(app, '127.0.0.1', 0);
    const res = await fetch(`${url}/v1/access-log?uscc=${business}`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { resource: string; tokenId: string }[] };
    expect(body.items).toEqual([expect.objectContaining({ resource: 'evidence-export' })]);
    expect(body.items[0]!.tokenId).toMatch(/^cli:/);
  } finally {
    await app.close();
    await accessLog.close();
    await readModel.close();
  }
});

it('fails an altered bundle, naming the check and the sequence', async () => {
  const bundle = await exportEvidence({ nc, livePath: live, uscc: business });
  const fresh = () => JSON.parse(JSON.stringify(bundle)) as EvidenceBundle;

  // The canonical JSON says something the signed bytes do not.
  const a = fresh();
  (a.events[2]!.canonicalJson as { recordedAt: string }).recordedAt = '2026-01-01T00:00:00Z';
  expect(verifyBundle(a).failures).toEqual([
    expect.objectContaining({ check: 'canonical_json', seq: seqs[2] }),
  ]);

  // One byte of an event changed: its hash and its signature fail.
  const b = fresh();
  const bytes = Buffer.from(b.events[1]!.protobuf, 'base64');
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
  b.events[1]!.protobuf = bytes.toString('base64');
  const checks = verifyBundle(b)
    .failures.filter((f) => f.seq === seqs[1])
    .map((f) => f.check);
  expect(checks).toEqual(expect.arrayContaining(['hash', 'signature']));

  // A batch proof altered: siblings swapped, another place, another size, another stated root.
  for (const alter of [
    (e: BundleEvent) => e.batch!.path.reverse(),
    (e: BundleEvent) => (e.batch!.leafIndex ^= 1),
    (e: BundleEvent) => (e.batch!.treeSize += 1),
    (e: BundleEvent) => (e.batch!.root = 'a'.repeat(64)),
  ]) {
    const x = fresh();
    alter(x.events[1]!);
    expect(verifyBundle(x).failures).toEqual([expect.objectContaining({ check: 'signature', seq: seqs[1] })]);
  }

  // A link whose previous hash was changed no longer recomputes.
  const c = fresh();
  c.events[3]!.link!.prevHash = 'e'.repeat(64);
  expect(verifyBundle(c).failures).toEqual([expect.objectContaining({ check: 'link', seq: seqs[3] })]);

  // A key revoked before the events.
  const d = fresh();
  for (const k of d.keys) k.revokedAt = '2000-01-01T00:00:00.000Z';
  expect(verifyBundle(d).checks.signature.failed).toBe(11);

  const file = join(dir.path, 'altered.json');
  writeFileSync(file, JSON.stringify(a));
  const out = await hub('evidence', 'verify', file);
  expect(out.out).toContain('失败 FAIL  规范 JSON');
  expect(out.out).toContain(`seq ${seqs[2]}  canonical_json`);
  expect(out.out).toContain('checks FAILED');
  expect(out.code).toBe(1);
});

it('refuses a file that is not a bundle, naming the fields, rather than passing it', async () => {
  const file = join(dir.path, 'not-a-bundle.json');
  writeFileSync(file, JSON.stringify({ business: 42, events: [{ seq: 'one' }] }));
  const out = await hub('evidence', 'verify', file);
  expect(out.code).toBe(1);
  expect(out.out).toContain('VALIDATION_FAILED');
  expect(out.out).toContain('format');
  expect(out.out).toContain('events.0.seq');
  expect(out.out).not.toContain('通过 PASS');
});

it('cuts by stream time with --as-of, and refuses bad input without writing a file', async () => {
  const all = await exportEvidence({ nc, livePath: live, uscc: business });
  const cut = all.events[4]!.streamTime;
  const asOf = await exportEvidence({ nc, livePath: live, uscc: business, asOf: cut });
  expect(asOf.events.length).toBeGreaterThanOrEqual(5);
  expect(asOf.events.every((e) => e.streamTime <= cut)).toBe(true);
  expect(verifyBundle(asOf).ok).toBe(true);

  const file = join(dir.path, 'never.json');
  const bad = await hub('evidence', 'export', '--business', '91350100M000100Y4X', '--out', file);
  expect(bad.code).not.toBe(0);
  expect(bad.out).toContain('business');
  expect(existsSync(file)).toBe(false);
});

it("docs/evidence.md's openssl example recomputes a batch root and verifies its signature as written", async () => {
  const tools = ['openssl', 'jq', 'xxd', 'sha256sum'];
  const missing = tools.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`]);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    console.warn(`skipped: ${missing.join(', ')} not installed`);
    return;
  }
  const doc = readFileSync(join(ROOT, 'docs/evidence.md'), 'utf8');
  const start = doc.indexOf('```bash', doc.indexOf('<!-- openssl-example -->'));
  const script = doc.slice(start + '```bash'.length, doc.indexOf('```', start + 7));
  const work = join(dir.path, 'openssl');
  mkdirSync(work, { recursive: true });
  writeFileSync(
    join(work, 'bundle.json'),
    JSON.stringify(await exportEvidence({ nc, livePath: live, uscc: business })),
  );
  const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, encoding: 'utf8' });
  expect(out).toContain('Signature Verified Successfully');
  const bundle = JSON.parse(readFileSync(join(work, 'bundle.json'), 'utf8')) as EvidenceBundle;
  expect(out).toContain(`root ${bundle.events[0]!.batch!.root}`);
  expect(out).toContain(bundle.events[0]!.sha256);
  expect(out).toContain(bundle.events[0]!.link!.hash);
});
