/** Prometheus metrics of the live projector (prom-client, its own registry), with the default process metrics. */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ProjectorStats } from './projector.js';

export function createProjectorMetrics(source: {
  stats(): ProjectorStats | undefined;
  refresh(): Promise<unknown>;
}): Registry {
  const registry = new Registry();
  // Process metrics too (CPU, memory, event loop lag, GC), as on every service.
  collectDefaultMetrics({ register: registry });
  const read = () => source.stats() ?? { streamLastSeq: 0, appliedSeq: 0, eventsApplied: 0, deadLetters: 0 };
  new Gauge({
    name: 'hub_projector_stream_last_seq',
    help: 'Last sequence in the ENF_EVENTS stream',
    registers: [registry],
    async collect() {
      await source.refresh().catch(() => undefined);
      this.set(read().streamLastSeq);
    },
  });
  new Gauge({
    name: 'hub_projector_applied_seq',
    help: 'Last stream sequence committed to the read model',
    registers: [registry],
    collect() {
      this.set(read().appliedSeq);
    },
  });
  new Gauge({
    name: 'hub_projector_lag_events',
    help: 'Events in the stream not yet applied',
    registers: [registry],
    collect() {
      const s = read();
      this.set(Math.max(0, s.streamLastSeq - s.appliedSeq));
    },
  });
  // Counters of this process's life, as Prometheus expects (they restart at 0).
  let applied = 0;
  let dead = 0;
  new Counter({
    name: 'hub_projector_events_applied_total',
    help: 'Events applied to the read model by this process',
    registers: [registry],
    collect() {
      const n = read().eventsApplied;
      if (n > applied) this.inc(n - applied);
      applied = Math.max(applied, n);
    },
  });
  new Counter({
    name: 'hub_projector_dead_letters_total',
    help: 'Messages sent to the dead-letter table and subject by this process',
    registers: [registry],
    collect() {
      const n = read().deadLetters;
      if (n > dead) this.inc(n - dead);
      dead = Math.max(dead, n);
    },
  });
  return registry;
}
