/**
 * Prometheus metrics of an agency service at GET /metrics: the outbox backlog, the relay's lag
 * (how long the oldest waiting record has waited), what the relay published, requests by route
 * and status, and the default process metrics.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import { registerServiceMetrics } from '@hub/platform';
import type { Clock } from '../clock.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Relay } from '../relay/relay.js';

export function registerAgencyMetrics(
  app: FastifyInstance,
  source: { outbox: Outbox; relay: () => Relay | undefined; clock: Clock },
): Registry {
  const registry = registerServiceMetrics(app, { requestHistogram: 'hub_agency_request_duration_seconds' });
  const stats = () => source.outbox.stats();
  new Gauge({
    name: 'hub_outbox_pending_records',
    help: 'Records accepted (202) and not yet acknowledged by JetStream',
    registers: [registry],
    collect() {
      this.set(stats().pending);
    },
  });
  new Gauge({
    name: 'hub_outbox_records',
    help: 'Records in the outbox, published or not',
    registers: [registry],
    collect() {
      this.set(stats().total);
    },
  });
  new Gauge({
    name: 'hub_relay_lag_seconds',
    help: 'How long the oldest record waiting in the outbox has waited (0 when none waits)',
    registers: [registry],
    collect() {
      const oldest = stats().oldestPendingAt;
      this.set(oldest ? Math.max(0, (source.clock.now().getTime() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'hub_relay_connected',
    help: '1 while the relay is connected to NATS',
    registers: [registry],
    collect() {
      this.set(source.relay()?.stats().connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hub_relay_in_flight',
    help: 'Publishes awaiting their JetStream ack',
    registers: [registry],
    collect() {
      this.set(source.relay()?.stats().inFlight ?? 0);
    },
  });
  // A counter of this process's life, as Prometheus expects (it restarts at 0).
  let published = 0;
  new Counter({
    name: 'hub_relay_published_total',
    help: 'Records published and acknowledged by JetStream in this process',
    registers: [registry],
    collect() {
      const n = source.relay()?.stats().published ?? 0;
      if (n > published) this.inc(n - published);
      published = Math.max(published, n);
    },
  });
  return registry;
}
