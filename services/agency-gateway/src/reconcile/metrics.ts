/**
 * Reconciliation at GET /metrics, beside the outbox and relay metrics: what was checked,
 * confirmed, found missing and restored, when the last run ended, and how many records wait
 * for confirmation or have been compacted.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReconcileLedger } from './ledger.js';
import type { ReconcileStats, Reconciler } from './reconciler.js';

export function registerReconcileMetrics(
  registry: Registry,
  source: { ledger: ReconcileLedger; reconciler: () => Reconciler | undefined },
): void {
  const stats = (): ReconcileStats | undefined => source.reconciler()?.stats();
  // Counters of this process's life, as Prometheus expects (they restart at 0).
  const counter = (name: string, help: string, read: (s: ReconcileStats) => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const s = stats();
        const n = s ? read(s) : 0;
        if (n > seen) this.inc(n - seen);
        seen = Math.max(seen, n);
      },
    });
  };
  counter('hub_reconcile_runs_total', 'Reconciliation runs completed', (s) => s.runs);
  counter(
    'hub_reconcile_failed_runs_total',
    'Reconciliation runs that failed (NATS away …)',
    (s) => s.failedRuns,
  );
  counter('hub_reconcile_checked_total', 'Published records looked up in the stream', (s) => s.checked);
  counter('hub_reconcile_confirmed_total', 'Records confirmed in the stream', (s) => s.confirmed);
  counter('hub_reconcile_missing_total', 'Accepted records found missing from the stream', (s) => s.missing);
  counter(
    'hub_reconcile_restored_total',
    'Missing records published again and stored anew (same Nats-Msg-Id)',
    (s) => s.restored,
  );
  counter(
    'hub_outbox_compacted_total',
    'Confirmed records whose body was dropped after the retention',
    (s) => s.compacted,
  );
  new Gauge({
    name: 'hub_reconcile_last_missing',
    help: 'Records found missing from the stream by the last completed run',
    registers: [registry],
    collect() {
      this.set(stats()?.lastMissing ?? 0);
    },
  });
  new Gauge({
    name: 'hub_reconcile_last_run_timestamp_seconds',
    help: 'When the last reconciliation run completed (0: none yet in this process)',
    registers: [registry],
    collect() {
      this.set((stats()?.lastRunAt ?? 0) / 1000);
    },
  });
  const counts = new Gauge({
    name: 'hub_outbox_reconcile_records',
    help: 'Outbox records by reconciliation state: unconfirmed (published, not yet confirmed), confirmed, compacted',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const c = source.ledger.counts();
      counts.set({ state: 'unconfirmed' }, c.unconfirmed);
      counts.set({ state: 'confirmed' }, c.confirmed);
      counts.set({ state: 'compacted' }, c.compacted);
    },
  });
}
