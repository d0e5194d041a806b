/**
 * The cost of signed events, in one run: the same workload published and caught up twice, on two
 * nats-servers, once signed as the relay signs (batches of up to 64 messages per department, one
 * Ed25519 signature over their Merkle root, a proof per message; a key per department registered
 * on ENF_KEYS; the projector checking every signature) and once unsigned
 * (the projector checking none). Reported as signatures on ÷ off for publishing and catch-up.
 */
import { join } from 'node:path';
import { tempDir } from '@hub/testing';
import { loadOrCreateSigningKey, publishKeyEvent, type SigningKey } from '@hub/platform';
import { createProjector, type SignaturePolicy } from '@hub/projector';
import { startBenchNats, type BenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { agencyOf, publishWindowed as publish } from '../lib/signed.js';
import { throughput, type RunContext, type Scenario } from '../lib/types.js';
import { benchEvents, checkWorkload } from '../lib/workload.js';

const eventsFor = (quick: boolean) => eventsAtScale(quick, 200_000, 20_000);

interface SignaturesFixture extends Record<string, unknown> {
  total: number;
  keys: Map<string, SigningKey>;
  keyDir: string;
}

async function catchUp(
  run: RunContext,
  nats: BenchNats,
  total: number,
  signatures: SignaturePolicy,
): Promise<number> {
  const dir = tempDir('hub-bench-sig-');
  run.defer(() => dir.remove());
  const projector = createProjector({
    nc: nats.nc,
    readModelPath: join(dir.path, 'read-model.sqlite'),
    mode: 'rebuild',
    signatures,
  });
  run.defer(() => projector.stop().catch(() => undefined));
  const t0 = performance.now();
  await projector.start();
  await projector.catchUp();
  const ms = performance.now() - t0;
  const stats = projector.stats();
  await projector.stop();
  if (stats.appliedSeq !== total || stats.deadLetters !== 0) {
    throw new Error(
      `catch-up (${signatures}): ${stats.appliedSeq}/${total}, ${stats.deadLetters} dead letters`,
    );
  }
  return ms;
}

export const hubSignatures: Scenario<SignaturesFixture> = {
  name: 'hub-signatures',
  title: '签名开销 (signed events: publish and catch-up, signatures on ÷ off)',
  sizes: (quick) => ({ events: eventsFor(quick) }),
  runs: { full: 2, quick: 1 },
  setup: (ctx) => {
    checkWorkload();
    const dir = tempDir('hub-bench-keys-');
    ctx.defer(() => dir.remove());
    const keys = new Map<string, SigningKey>();
    for (const e of benchEvents(Math.min(eventsFor(ctx.quick), 5000))) {
      const a = agencyOf(e.subject);
      if (!keys.has(a)) keys.set(a, loadOrCreateSigningKey(dir.path, a));
    }
    return Promise.resolve({ total: eventsFor(ctx.quick), keys, keyDir: dir.path });
  },
  run: (ctx, f) =>
    scoped(ctx, async (run) => {
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
      ctx.log('catching up, signatures off, then on');
      const offMs = await catchUp(run, plain, f.total, 'off');
      const onMs = await catchUp(run, signed, f.total, 'required');
      return [
        throughput('publish, unsigned', f.total, plainPublishMs),
        throughput('publish, signed', f.total, signedPublishMs),
        throughput('catch-up, signatures off', f.total, offMs),
        throughput('catch-up, signatures checked', f.total, onMs),
      ];
    }),
};
