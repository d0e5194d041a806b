/**
 * The cost of signed events, in one run: the same workload ingested, published and caught up
 * twice, on separate nats-servers, once signed and once unsigned.
 *
 * - ingest: records posted to an agency service (its own process, 50 per request, 4 in flight)
 *   until every one is on the stream, the service as main.ts runs it against the same service
 *   publishing unsigned (bench/lib/unsigned-agency-service.ts);
 * - the relay stage alone: an outbox holding the workload, drained by a relay (the stage of
 *   ingest that signs: batches of up to 64 messages per department read together, one Ed25519
 *   signature over their Merkle root, a proof per message) against the same relay unsigned;
 * - publish: a bare publish loop with a window, as a department publishing directly would run
 *   it, signing as the relay signs — against the same loop unsigned;
 * - catch-up: the projector checking every signature (keys registered on ENF_KEYS) against one
 *   checking none.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@hub/testing';
import { createEventSigner, createRelay, openOutbox, type OutboxEntry } from '@hub/agency-gateway';
import {
  issueToken,
  loadOrCreateSigningKey,
  publishKeyEvent,
  silentLogger,
  type SigningKey,
} from '@hub/platform';
import type { SignaturePolicy } from '@hub/projector';
import { catchUpInProcess, type CatchUpResult } from '../lib/catchup.js';
import { httpClient, load } from '../lib/http.js';
import { startBenchNats, type BenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { agencyOf, outboxEntryOf, publishWindowed as publish } from '../lib/signed.js';
import { serviceMissing, startService } from '../lib/service-process.js';
import { throughput, type RunContext, type Scenario } from '../lib/types.js';
import { benchEvents, checkWorkload, submittedInspection, type BenchEvent } from '../lib/workload.js';
import { drained } from './hub-ingest.js';

const eventsFor = (quick: boolean) => eventsAtScale(quick, 200_000, 20_000);
const ingestEventsFor = (quick: boolean) => (quick ? 20_000 : 100_000);
const INGEST_BATCH = 50;
const INGEST_CONCURRENCY = 4;
const UNSIGNED_SERVICE = fileURLToPath(new URL('../lib/unsigned-agency-service.js', import.meta.url));

interface SignaturesFixture extends Record<string, unknown> {
  total: number;
  keys: Map<string, SigningKey>;
  keyDir: string;
  /** Runs of the service ingest so far (the order of its two sides alternates). */
  ingestRuns: number;
  /** The same for the catch-ups' A B B A. */
  catchUpRuns: number;
}

/**
 * An agency service's outbox holding the events, drained by its relay into the server: the time
 * from the relay's start until nothing is pending. Signed as the service signs when `keyDir`
 * (the departments' keys) is given.
 */
async function relayDrain(
  run: RunContext,
  nats: BenchNats,
  events: Iterable<BenchEvent>,
  keyDir?: string,
): Promise<number> {
  const dir = tempDir('hub-bench-relay-');
  run.defer(() => dir.remove());
  const outbox = openOutbox(join(dir.path, 'outbox.sqlite'));
  run.defer(() => outbox.close());
  let rows: OutboxEntry[] = [];
  const agencies = new Set<string>();
  for (const e of events) {
    const row = outboxEntryOf(e);
    agencies.add(row.agency);
    rows.push(row);
    if (rows.length === 5_000) {
      await outbox.append(rows);
      rows = [];
    }
  }
  if (rows.length > 0) await outbox.append(rows);
  const relay = createRelay({
    outbox,
    nc: nats.nc,
    logger: silentLogger(),
    ...(keyDir ? { sign: createEventSigner(keyDir, [...agencies]).signBatch } : {}),
  });
  const t0 = performance.now();
  relay.start();
  while (outbox.stats().pending > 0) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  await relay.stop();
  return ms;
}

/**
 * Records posted to the market-supervision service, 50 per request, 4 in flight, each answered
 * 202 after its durable commit: the time from the first request until the outbox has nothing
 * unpublished. `signed`: the service as main.ts runs it; otherwise the same, publishing unsigned.
 */
async function serviceIngest(run: RunContext, total: number, signed: boolean): Promise<number> {
  const nats = await startBenchNats(run);
  const data = tempDir('hub-bench-sig-ingest-');
  run.defer(() => data.remove());
  const { token } = issueToken(data.path, { name: 'bench', scopes: ['ingest:GSJ'] });
  const service = await startService(
    run,
    'market-supervision',
    { NATS_URL: nats.server.url, HUB_DATA_DIR: data.path },
    async (url) => (await fetch(`${url}/healthz`)).status === 200,
    ...(signed ? [] : [UNSIGNED_SERVICE]),
  );
  const client = httpClient(service.url, { token, sockets: INGEST_CONCURRENCY });
  run.defer(() => client.close());
  const start = performance.now();
  await load(client, '/v1/events', total / INGEST_BATCH, INGEST_CONCURRENCY, (b) =>
    JSON.stringify({
      events: Array.from({ length: INGEST_BATCH }, (_, k) =>
        submittedInspection(b * INGEST_BATCH + k, total),
      ),
    }),
  );
  const ms = (await drained(client)) - start;
  await service.stop();
  return ms;
}

export const hubSignatures: Scenario<SignaturesFixture> = {
  name: 'hub-signatures',
  title: '签名开销 (signed events: ingest, publish and catch-up, signatures on ÷ off)',
  unavailable: () => Promise.resolve(serviceMissing('market-supervision')),
  sizes: (quick) => ({ events: eventsFor(quick), serviceIngestEvents: ingestEventsFor(quick) }),
  runs: { full: 3, quick: 1 },
  setup: (ctx) => {
    checkWorkload();
    const dir = tempDir('hub-bench-keys-');
    ctx.defer(() => dir.remove());
    const keys = new Map<string, SigningKey>();
    for (const e of benchEvents(Math.min(eventsFor(ctx.quick), 5000))) {
      const a = agencyOf(e.subject);
      if (!keys.has(a)) keys.set(a, loadOrCreateSigningKey(dir.path, a));
    }
    return Promise.resolve({
      total: eventsFor(ctx.quick),
      keys,
      keyDir: dir.path,
      ingestRuns: 0,
      catchUpRuns: 0,
    });
  },
  run: (ctx, f) =>
    scoped(ctx, async (run) => {
      // Ingest through the service, signing and not, each into a server of its own.
      const ingestTotal = ingestEventsFor(ctx.quick);
      // Which goes first alternates from run to run: neither side always meets a fresh machine.
      const signedFirst = f.ingestRuns++ % 2 === 0;
      ctx.log(
        `posting ${ingestTotal.toLocaleString('en-US')} events to an agency service, ${signedFirst ? 'signed, then unsigned' : 'unsigned, then signed'}`,
      );
      const firstMs = await serviceIngest(run, ingestTotal, signedFirst);
      const secondMs = await serviceIngest(run, ingestTotal, !signedFirst);
      const [signedIngestMs, plainIngestMs] = signedFirst ? [firstMs, secondMs] : [secondMs, firstMs];
      // The relay stage alone, signing and not.
      ctx.log(`relaying ${f.total.toLocaleString('en-US')} events from an outbox unsigned, then signed`);
      const plainRelayMs = await relayDrain(run, await startBenchNats(run), benchEvents(f.total));
      const signedRelayMs = await relayDrain(run, await startBenchNats(run), benchEvents(f.total), f.keyDir);
      // Two servers, so each catch-up reads exactly its own stream.
      const signed = await startBenchNats(run);
      const plain = await startBenchNats(run);
      for (const k of f.keys.values()) {
        await publishKeyEvent(signed.nc, {
          action: 'registered',
          agency: k.agency,
          keyId: k.keyId,
          publicKey: k.publicKey,
          by: 'bench',
        });
      }
      // Every department of the workload needs a key; a missing one would show as dead letters.
      for (const e of benchEvents(f.total)) {
        const a = agencyOf(e.subject);
        if (!f.keys.has(a)) {
          const k = loadOrCreateSigningKey(f.keyDir, a);
          f.keys.set(a, k);
          await publishKeyEvent(signed.nc, {
            action: 'registered',
            agency: a,
            keyId: k.keyId,
            publicKey: k.publicKey,
            by: 'bench',
          });
        }
      }
      ctx.log(`publishing ${f.total.toLocaleString('en-US')} events unsigned, then signed`);
      const plainPublishMs = await publish(plain, benchEvents(f.total));
      const signedPublishMs = await publish(signed, benchEvents(f.total), f.keys);
      // Each catch-up in a fresh process, four per run in the order A B B A (which side is A
      // alternates from run to run): the machine's speed drifts over a run by more than checking
      // costs, and each side's mean over A B B A cancels a steady drift.
      const checkedFirst = f.catchUpRuns++ % 2 === 1;
      ctx.log(
        `catching up four times, signatures ${checkedFirst ? 'checked, off, off, checked' : 'off, checked, checked, off'}`,
      );
      const catchUp = (nats: BenchNats, signatures: SignaturePolicy) =>
        catchUpInProcess(run, { url: nats.server.url, events: f.total, mode: 'rebuild', signatures });
      const on: CatchUpResult[] = [];
      const off: CatchUpResult[] = [];
      for (const checked of [checkedFirst, !checkedFirst, !checkedFirst, checkedFirst])
        if (checked) on.push(await catchUp(signed, 'required'));
        else off.push(await catchUp(plain, 'off'));
      const mean = (rs: CatchUpResult[], k: 'ms' | 'cpuMicrosPerEvent') => (rs[0]![k] + rs[1]![k]) / 2;
      return [
        throughput('ingest through the service, unsigned', ingestTotal, plainIngestMs),
        throughput('ingest through the service, signed', ingestTotal, signedIngestMs),
        throughput('relay stage, unsigned', f.total, plainRelayMs),
        throughput('relay stage, signed', f.total, signedRelayMs),
        throughput('publish, unsigned', f.total, plainPublishMs),
        throughput('publish, signed', f.total, signedPublishMs),
        throughput('catch-up, signatures off', f.total, mean(off, 'ms')),
        throughput('catch-up, signatures checked', f.total, mean(on, 'ms')),
        {
          metric: 'catch-up CPU per event, signatures off',
          value: mean(off, 'cpuMicrosPerEvent'),
          unit: 'µs',
          better: 'lower',
        },
        {
          metric: 'catch-up CPU per event, signatures checked',
          value: mean(on, 'cpuMicrosPerEvent'),
          unit: 'µs',
          better: 'lower',
        },
      ];
    }),
};
