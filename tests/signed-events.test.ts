/**
 * Signed events on a real nats-server and real SQLite: the projector applies an event signed by
 * a key registered for its agency before it, and dead-letters as `bad_signature` an unsigned one,
 * altered bytes, another agency's key, a key revoked before the event, and an unknown key; a
 * key registered while it runs is picked up; the migration switch lets unsigned events through
 * but not bad ones; a replay decides exactly as the live projector did; a batch-signed stream
 * is applied but its altered messages are not; the relay signs what it sends together in batches
 * per department; and the agency service signs what it relays.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  encodeEvent,
  ensureDemoToken,
  ensureStreams,
  batchSignatureHeaders,
  loadOrCreateSigningKey,
  PROOF_HEADER,
  publishKeyEvent,
  SCHEME_HEADER,
  signatureHeaders,
  silentLogger,
  BATCH_SCHEME,
  type SigningKey,
} from '@hub/platform';
import type { HubEvent } from '@hub/domain';
import { openSqlite } from '@hub/read-model';
import { sampleInspectionCompleted, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import {
  createProjector,
  digestReadModelFile,
  replayReadModel,
  sampleEvent,
  subjectOf,
} from '@hub/projector';
import { createEventSigner, createRelay, openOutbox, startAgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, postJson } from './agency-fixtures.js';

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('hub-signed-');
let gsj: SigningKey;
let syj: SigningKey;

const register = (k: SigningKey) =>
  publishKeyEvent(nc, {
    action: 'registered',
    agency: k.agency,
    keyId: k.keyId,
    publicKey: k.publicKey,
    by: 'test',
  });

let n = 0;
/** Publishes a GSJ event, signed as `how` says; returns its stream sequence. */
async function publish(how: { key?: SigningKey; tamper?: boolean } = {}): Promise<number> {
  n += 1;
  const event = sampleEvent(n, { agency: 'GSJ', businesses: 7 });
  const data = encodeEvent(event);
  const h = headers();
  if (how.key) {
    const signed = how.tamper ? encodeEvent({ ...event, recordedAt: '2026-01-01T00:00:00.000Z' }) : data;
    for (const [k, v] of signatureHeaders(how.key, signed)) h.set(k, v);
  }
  const ack = await jetstream(nc, { timeout: 30_000 }).publish(subjectOf(event), data, {
    msgID: `sig-${n}`,
    headers: h,
  });
  return ack.seq;
}

const deadLetters = (path: string) => {
  const db = openSqlite(path, true);
  try {
    return db.prepare('SELECT seq, reason, detail FROM dead_letters ORDER BY seq').all() as {
      seq: number;
      reason: string;
      detail: string;
    }[];
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'signed-test' });
  await ensureStreams(nc);
  gsj = loadOrCreateSigningKey(dir.path, 'GSJ');
  syj = loadOrCreateSigningKey(dir.path, 'SYJ');
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  dir.remove();
});

describe('signed events', () => {
  it('applies what a registered key signed and dead-letters every other case as bad_signature', async () => {
    const beforeRegistration = await publish({ key: gsj }); // signed, but the key is not registered yet
    await register(gsj);
    await register(syj);
    const good = await publish({ key: gsj });
    const unsigned = await publish();
    const altered = await publish({ key: gsj, tamper: true });
    const otherAgency = await publish({ key: syj });

    const live = join(dir.path, 'live.sqlite');
    const projector = createProjector({
      nc,
      readModelPath: live,
      signatures: 'required',
      decodeInWorker: true,
    });
    await projector.start();
    await projector.catchUp();
    // A key registered while the projector runs is read when an event names it.
    const late = loadOrCreateSigningKey(join(dir.path, 'late'), 'GSJ');
    await register(late);
    const signedByLate = await publish({ key: late });
    await projector.waitForSeq(signedByLate);
    // Revoked: what it signed before still stands, what comes after is refused.
    await publishKeyEvent(nc, { action: 'revoked', agency: 'GSJ', keyId: late.keyId, by: 'test' });
    const afterRevocation = await publish({ key: late });
    await projector.waitForSeq(afterRevocation);
    await projector.stop();

    const dead = deadLetters(live);
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [beforeRegistration, 'bad_signature'],
      [unsigned, 'bad_signature'],
      [altered, 'bad_signature'],
      [otherAgency, 'bad_signature'],
      [afterRevocation, 'bad_signature'],
    ]);
    expect(dead.find((d) => d.seq === unsigned)?.detail).toMatch(/缺少签名|unsigned/);
    expect(dead.find((d) => d.seq === altered)?.detail).toMatch(/签名不符/);
    expect(dead.find((d) => d.seq === otherAgency)?.detail).toMatch(/不属于/);
    expect(dead.find((d) => d.seq === afterRevocation)?.detail).toMatch(/吊销|revoked/);
    expect(dead.map((d) => d.seq)).not.toContain(good);
    expect(dead.map((d) => d.seq)).not.toContain(signedByLate);

    // A replay (in-thread decoding this time) decides exactly the same.
    const replayed = await replayReadModel({
      nc,
      path: join(dir.path, 'replay.sqlite'),
      until: { seq: afterRevocation },
      signatures: 'required',
    });
    expect(digestReadModelFile(replayed.path).tables).toEqual(digestReadModelFile(live).tables);
  });

  it('applies a batch-signed stream and dead-letters the messages of it that were altered', async () => {
    // Twelve GSJ events signed as the relay signs them: one root signature, a proof each.
    const events = Array.from({ length: 12 }, (_, i) =>
      sampleEvent(1000 + i, { agency: 'GSJ', businesses: 7 }),
    );
    const bodies = events.map(encodeEvent);
    const signed = batchSignatureHeaders(gsj, bodies);
    const proofOf = (i: number) => new Map(signed[i]).get(PROOF_HEADER)!;
    const seqs: number[] = [];
    for (const [i, e] of events.entries()) {
      const h = headers();
      for (const [k, v] of signed[i]!) h.set(k, v);
      let data = bodies[i]!;
      if (i === 4) data = encodeEvent({ ...e, recordedAt: '2026-01-01T00:00:00.000Z' }); // altered bytes
      if (i === 7) h.set(PROOF_HEADER, proofOf(8)); // another message's place in the batch
      if (i === 9) h.set(SCHEME_HEADER, 'ed25519'); // the scheme header changed: read as signed alone
      const ack = await jetstream(nc, { timeout: 30_000 }).publish(subjectOf(e), data, {
        msgID: `batch-${i}`,
        headers: h,
      });
      seqs.push(ack.seq);
    }
    const live = join(dir.path, 'batch-live.sqlite');
    const projector = createProjector({
      nc,
      readModelPath: live,
      signatures: 'required',
      decodeInWorker: true,
    });
    await projector.start();
    await projector.waitForSeq(seqs.at(-1)!);
    await projector.stop();
    const dead = deadLetters(live).filter((d) => d.seq >= seqs[0]!);
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [seqs[4], 'bad_signature'],
      [seqs[7], 'bad_signature'],
      [seqs[9], 'bad_signature'],
    ]);
    const db = openSqlite(live, true);
    try {
      const applied = db
        .prepare(`SELECT count(*) AS n FROM timeline WHERE event_id IN (${events.map(() => '?').join(',')})`)
        .get(...events.map((e) => e.eventId)) as { n: number };
      expect(applied.n).toBe(9);
    } finally {
      db.close();
    }
    // A replay in this thread, its cache empty at first, decides exactly the same.
    const replayed = await replayReadModel({
      nc,
      path: join(dir.path, 'batch-replay.sqlite'),
      until: { seq: seqs.at(-1)! },
      signatures: 'required',
    });
    expect(digestReadModelFile(replayed.path).tables).toEqual(digestReadModelFile(live).tables);
  });

  it('lets unsigned events through under the migration switch, never a bad signature', async () => {
    const unsigned = await publish();
    const altered = await publish({ key: gsj, tamper: true });
    const path = join(dir.path, 'migration.sqlite');
    const projector = createProjector({ nc, readModelPath: path, signatures: 'allow-unsigned' });
    await projector.start();
    await projector.catchUp();
    await projector.stop();
    const dead = deadLetters(path).map((d) => d.seq);
    expect(dead).not.toContain(unsigned);
    expect(dead).toContain(altered);
  });

  /** The events waiting in an outbox of their own, relayed at once and signed as the service signs. */
  const relayFromOutbox = async (file: string, prefix: string, events: HubEvent[]) => {
    const keys = createEventSigner(join(dir.path, 'relay-keys'), ['GSJ', 'SYJ']);
    for (const k of keys.keys()) await register(k);
    const outbox = openOutbox(join(dir.path, file));
    await outbox.append(
      events.map((e, i) => ({
        eventId: e.eventId,
        agency: e.agency,
        recordId: `${prefix}-${i}`,
        revision: 0,
        contentSha256: `sha-${i}`,
        subject: subjectOf(e),
        msgId: e.eventId,
        body: encodeEvent(e),
        acceptedAt: '2026-03-01T00:00:00.000Z',
      })),
    );
    const relay = createRelay({ outbox, nc, logger: silentLogger(), sign: keys.signBatch });
    relay.start();
    try {
      await waitFor(() => (outbox.stats().pending === 0 ? true : undefined), { what: 'relayed' });
    } finally {
      await relay.stop();
      outbox.close();
    }
  };

  it('has the relay sign the rows it sends together in batches per department', async () => {
    // 70 rows of two departments already waiting in the outbox: the relay reads them at once.
    const events = Array.from({ length: 70 }, (_, i) =>
      sampleEvent(2000 + i, { agency: i % 5 === 0 ? 'SYJ' : 'GSJ', businesses: 7 }),
    );
    await relayFromOutbox('relay-outbox.sqlite', 'RELAY', events);
    // Every message carries a proof: GSJ's 56 under one signed root, SYJ's 14 under another.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const roots = new Map<string, Set<string>>();
    const last = (await jsm.streams.info('ENF_EVENTS')).state.last_seq;
    for (let seq = last - 69; seq <= last; seq++) {
      const m = await jsm.streams.getMessage('ENF_EVENTS', { seq });
      expect(m?.header?.get(SCHEME_HEADER)).toBe(BATCH_SCHEME);
      const agency = m!.subject.split('.')[2]!;
      if (!roots.has(agency)) roots.set(agency, new Set());
      roots.get(agency)!.add(m!.header.get('Hub-Signature'));
    }
    expect([roots.get('GSJ')?.size, roots.get('SYJ')?.size]).toEqual([1, 1]);
    const path = join(dir.path, 'relay.sqlite');
    const projector = createProjector({ nc, readModelPath: path, signatures: 'required' });
    await projector.start();
    await projector.catchUp();
    await projector.stop();
    const dead = deadLetters(path).map((d) => d.seq);
    expect(dead.filter((seq) => seq > last - 70)).toEqual([]);
  });

  it("has the relay sign a department's lone row in a read alone, without the batch headers of the rows around it", async () => {
    // Nine GSJ rows and, among them, one SYJ row: read at once, GSJ's are a batch and SYJ's is alone.
    const events = Array.from({ length: 10 }, (_, i) =>
      sampleEvent(3000 + i, { agency: i === 4 ? 'SYJ' : 'GSJ', businesses: 7 }),
    );
    await relayFromOutbox('relay-lone-outbox.sqlite', 'LONE', events);
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const last = (await jsm.streams.info('ENF_EVENTS')).state.last_seq;
    const schemes: string[] = [];
    for (let seq = last - 9; seq <= last; seq++) {
      const m = await jsm.streams.getMessage('ENF_EVENTS', { seq });
      schemes.push(`${m!.subject.split('.')[2]} ${m!.header.get(SCHEME_HEADER) || '-'}`);
    }
    expect(schemes).toEqual(events.map((e) => (e.agency === 'SYJ' ? 'SYJ -' : `GSJ ${BATCH_SCHEME}`)));
    const path = join(dir.path, 'relay-lone.sqlite');
    const projector = createProjector({ nc, readModelPath: path, signatures: 'required' });
    await projector.start();
    await projector.catchUp();
    await projector.stop();
    expect(deadLetters(path).filter((d) => d.seq > last - 10)).toEqual([]);
  });

  it('has the agency service sign what it relays, on behalf of its department', async () => {
    const data = tempDir('hub-signed-svc-');
    const token = ensureDemoToken(data.path);
    const key = loadOrCreateSigningKey(data.path, 'GSJ'); // the service's key for GSJ
    await register(key);
    const { url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
    });
    try {
      const res = await postJson(url, sampleInspectionCompleted(77, { recordId: 'SIG-77' }), token);
      expect(res.status).toBe(202);
      const body = res.body as { events: { eventId: string }[] };
      await waitFor(() => (service.outbox.stats().pending === 0 ? true : undefined), { what: 'relayed' });
      const path = join(dir.path, 'service.sqlite');
      const projector = createProjector({ nc, readModelPath: path, signatures: 'required' });
      await projector.start();
      await projector.catchUp();
      await projector.stop();
      const db = openSqlite(path, true);
      try {
        const row = db.prepare('SELECT seq FROM timeline WHERE event_id = ?').get(body.events[0]!.eventId);
        expect(row).toBeDefined();
      } finally {
        db.close();
      }
    } finally {
      await service.close();
      data.remove();
    }
  });

  it('publishes unsigned only when told not to sign (what the bench compares signing with)', async () => {
    const data = tempDir('hub-unsigned-svc-');
    const token = ensureDemoToken(data.path);
    const { url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      signEvents: false,
    });
    try {
      const res = await postJson(url, sampleInspectionCompleted(78, { recordId: 'UNSIGNED-78' }), token);
      expect(res.status).toBe(202);
      await waitFor(() => (service.outbox.stats().pending === 0 ? true : undefined), { what: 'relayed' });
      const jsm = await jetstreamManager(nc, { timeout: 30_000 });
      const seq = (await jsm.streams.info('ENF_EVENTS')).state.last_seq;
      const m = await jsm.streams.getMessage('ENF_EVENTS', { seq });
      expect(m?.subject.split('.')[2]).toBe('GSJ');
      expect([m?.header?.get('Hub-Signature') ?? '', m?.header?.get('Hub-Key-Id') ?? '']).toEqual(['', '']);
      expect(existsSync(join(data.path, 'signing'))).toBe(false); // no key was even made
    } finally {
      await service.close();
      data.remove();
    }
  });
});
