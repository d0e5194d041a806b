/**
 * Reconciliation: one run of an agency service's reconciler over an outbox whose records are all
 * published and in the stream — every record looked up by sequence and Nats-Msg-Id (64 requests
 * in flight) and confirmed. The figure is records checked per second: how large
 * `RECONCILE_BATCH` may be for a run to stay short, against the ingest rate it must keep up with.
 */
import { join } from 'node:path';
import { headers } from '@nats-io/transport-node';
import { silentLogger } from '@hub/platform';
import { tempDir } from '@hub/testing';
import { createReconciler, openOutbox, openReconcileLedger, type OutboxEntry } from '@hub/agency-gateway';
import { startBenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { scoped } from '../lib/scope.js';
import { outboxEntryOf } from '../lib/signed.js';
import { throughput, type Scenario } from '../lib/types.js';
import { benchEvents, checkWorkload } from '../lib/workload.js';

const recordsFor = (quick: boolean) => eventsAtScale(quick, 100_000, 20_000);

export const hubReconcile: Scenario = {
  name: 'hub-reconcile',
  title: '对账 (reconcile: published records read back from the stream and confirmed)',
  sizes: (quick) => ({ records: recordsFor(quick) }),
  runs: { full: 3, quick: 1 },
  run: (ctx) =>
    scoped(ctx, async (run) => {
      checkWorkload();
      const total = recordsFor(ctx.quick);
      const nats = await startBenchNats(run);
      const dir = tempDir('hub-bench-reconcile-');
      run.defer(() => dir.remove());
      const path = join(dir.path, 'outbox.sqlite');
      const outbox = openOutbox(path);
      run.defer(() => outbox.close());
      const entries: OutboxEntry[] = [];
      const inflight: Promise<{ seq: number }>[] = [];
      const acks: { seq: number; streamSeq: number }[] = [];
      for (const e of benchEvents(total)) {
        entries.push(outboxEntryOf(e));
        const h = headers();
        h.set('Nats-Msg-Id', e.msgId);
        inflight.push(nats.js.publish(e.subject, e.bytes, { headers: h }));
        if (inflight.length >= 1024)
          acks.push({ seq: acks.length + 1, streamSeq: (await inflight.shift()!).seq });
      }
      for (const p of inflight) acks.push({ seq: acks.length + 1, streamSeq: (await p).seq });
      for (let i = 0; i < entries.length; i += 10_000) await outbox.append(entries.slice(i, i + 10_000));
      outbox.markPublished(acks, new Date(0).toISOString());

      const ledger = openReconcileLedger(path);
      run.defer(() => ledger.close());
      const reconciler = createReconciler({
        ledger,
        nc: nats.nc,
        logger: silentLogger(),
        intervalMs: 60_000,
        settleMs: 0,
        batch: total,
        retentionMs: 7 * 24 * 3_600_000,
      });
      const t0 = performance.now();
      const r = await reconciler.runOnce();
      const ms = performance.now() - t0;
      if (r.checked !== total || r.confirmed !== total || r.missing !== 0)
        throw new Error(`reconcile: ${JSON.stringify(r)} of ${total}`);
      return [throughput('records checked and confirmed', total, ms, 'rec/s')];
    }),
};
