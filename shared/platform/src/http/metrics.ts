/**
 * Prometheus metrics for a service (prom-client, one registry per service): the default process
 * metrics (CPU, memory, event loop lag, GC, open handles), request durations by route and status,
 * and `GET /metrics`. Services add their own gauges to the same registry.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface ServiceMetricsOptions {
  /** Name of the request-duration histogram, e.g. `hub_query_request_duration_seconds`. */
  requestHistogram?: string;
  buckets?: number[];
}

/**
 * @example
 * const registry = registerServiceMetrics(app);
 * new Gauge({ name: 'hub_outbox_pending_records', help: '…', registers: [registry], collect() { … } });
 */
export function registerServiceMetrics(app: FastifyInstance, opts: ServiceMetricsOptions = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: opts.requestHistogram ?? 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'status'],
    buckets: opts.buckets ?? [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  app.addHook('onResponse', (req, reply, done) => {
    // The route pattern, not the URL: one series per endpoint, not per business.
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics')
      duration.observe({ route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return registry;
}
