/**
 * Ceiling: what JetStream itself takes and gives on this machine with the hub's payloads and
 * stream settings (file storage, dedup window, Nats-Msg-Id on every message). The relay and
 * the projector report their share of these.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import { generateKeyPairSync } from 'node:crypto';
import { batchSignatureHeaders, decodeEventJson, signingKeyFromPem } from '@hub/platform';
import { EVENTS_STREAM } from '@hub/domain';
import { publishCore, publishPipelined, startBenchNats } from '../lib/nats.js';
import { scoped } from '../lib/scope.js';
import { elapsed } from '../lib/stats.js';
import { throughput, type Scenario } from '../lib/types.js';
import { benchEvents, checkWorkload, type BenchEvent } from '../lib/workload.js';

const size = (quick: boolean) => (quick ? 30_000 : 300_000);

export const ceilingJetStream: Scenario<{ events: BenchEvent[] }> = {
  name: 'ceiling-jetstream',
  title: '参考上限: JetStream 发布/消费 (raw JetStream publish and ordered consume, same payloads)',
  sizes: (quick) => ({ events: size(quick), window: 1024 }),
  runs: { full: 3, quick: 1 },
  setup(ctx) {
    checkWorkload();
    const n = size(ctx.quick);
    ctx.log(`encoding ${n} events`);
    return Promise.resolve({ events: [...benchEvents(n)] });
  },
  run: (ctx, { events }) =>
    scoped(ctx, async (run) => {
      const { js, nc } = await startBenchNats(run);
      const t0 = performance.now();
      await publishPipelined(js, events, 1024);
      const publish = throughput('publish (pipelined, window 1024)', events.length, elapsed(t0));
      // The relay's way, into a second stream generation: same subjects, new message ids.
      const again = events.map((e) => ({ ...e, msgId: `${e.msgId}/core` }));
      const t1 = performance.now();
      await publishCore(nc, again, 1024);
      const core = throughput('core publish + own ack tracking', events.length, elapsed(t1));
      // The same, signed as the relay signs (batches of up to 64, one signature per Merkle root):
      // what a relay that signs can reach.
      const key = signingKeyFromPem(
        'GSJ',
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      );
      const signedAgain = events.map((e) => ({ ...e, msgId: `${e.msgId}/signed` }));
      const t2 = performance.now();
      await publishCore(nc, signedAgain, 1024, (chunk) =>
        batchSignatureHeaders(
          key,
          chunk.map((e) => e.bytes),
        ),
      );
      const signed = throughput('core publish + own ack tracking, signed', events.length, elapsed(t2));

      const consumeAll = async (decode: boolean) => {
        const consumer = await js.consumers.get(EVENTS_STREAM, { deliver_policy: DeliverPolicy.All });
        const messages = await consumer.consume({ max_messages: 10_000 });
        const start = performance.now();
        let seen = 0;
        for await (const m of messages) {
          if (decode) decodeEventJson(m.data);
          if (++seen === events.length) break;
        }
        const ms = elapsed(start);
        await messages.close();
        return ms;
      };
      const consume = throughput('consume (ordered consumer)', events.length, await consumeAll(false));
      const decoded = throughput('consume + protobuf decode', events.length, await consumeAll(true));
      return [publish, core, signed, consume, decoded];
    }),
};
