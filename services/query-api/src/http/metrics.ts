/**
 * Prometheus metrics of the query API at GET /metrics: the default process metrics, request
 * durations by route and status, and the position of the read model it serves.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { registerServiceMetrics } from '@hub/platform';
import type { ReadModelSource } from '../read-model-source.js';

export function registerMetrics(app: FastifyInstance, readModel: ReadModelSource): Registry {
  const registry = registerServiceMetrics(app, {
    requestHistogram: 'hub_query_request_duration_seconds',
    // The history goal is a few milliseconds: resolve that range finely.
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });
  new Gauge({
    name: 'hub_query_read_model_seq',
    help: 'Last stream sequence applied to the read model being served (0 when there is none)',
    registers: [registry],
    async collect() {
      const state = readModel.get();
      const row = state.ok
        ? await state.db
            .selectFrom('projection_position')
            .select('last_seq')
            .where('name', '=', 'events')
            .executeTakeFirst()
            .catch(() => undefined)
        : undefined;
      this.set(Number(row?.last_seq ?? 0));
    },
  });
  return registry;
}
