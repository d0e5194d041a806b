/**
 * The query API's HTTP server: every route of the route list, /healthz, /docs, /metrics.
 */
import type { FastifyInstance } from 'fastify';
import { createHttpServer, registerHealth, type Health, type Logger } from '@hub/platform';
import { buildOpenApi } from '../openapi/document.js';
import { registerMetrics } from './metrics.js';
import { registerRoute, type Deps, type RouteSpec } from './route.js';
import { registerDashboard } from './dashboard.js';
import { accessLogRoutes } from './routes/access-log.js';
import {
  registerAlertActions,
  withAlertActionOperations,
  type AgencyServiceUrls,
} from './routes/alert-actions.js';
import { alertRoutes } from './routes/alerts.js';
import { registerChecks, withCheckOperation } from './routes/checks.js';
import { agencyRoutes } from './routes/agencies.js';
import { businessRoutes } from './routes/businesses.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { registerDocs } from './routes/docs.js';
import { listRoutes } from './routes/lists.js';
import { clocksRoute } from './routes/clocks.js';
import { meRoutes } from './routes/me.js';

export const ROUTES: readonly RouteSpec[] = [
  ...businessRoutes,
  ...listRoutes,
  clocksRoute,
  ...agencyRoutes,
  ...catalogueRoutes,
  ...accessLogRoutes,
  ...alertRoutes,
  ...meRoutes,
];

export interface QueryApiOptions extends Deps {
  logger: Logger;
  /** Where alert acknowledgements and resolutions are forwarded (the local hub's ports by default). */
  agencyServices?: AgencyServiceUrls;
  /** The built dashboard served at `/`; none when undefined. */
  dashboardDir?: string | undefined;
}

export const LOCAL_AGENCY_SERVICES: AgencyServiceUrls = {
  'market-supervision': 'http://127.0.0.1:8081',
  'urban-construction': 'http://127.0.0.1:8082',
  'public-safety': 'http://127.0.0.1:8083',
};

/**
 * @example
 * const app = createQueryApi({ logger, readModel, accessLog, tokens, now: () => new Date() });
 * const url = await listen(app, '127.0.0.1', 8080);
 */
export function createQueryApi(opts: QueryApiOptions): FastifyInstance {
  const app = createHttpServer({ logger: opts.logger, bodyLimit: 64 * 1024 });
  const deps: Deps = {
    readModel: opts.readModel,
    accessLog: opts.accessLog,
    tokens: opts.tokens,
    now: opts.now,
  };
  registerMetrics(app, opts.readModel);
  for (const spec of ROUTES) registerRoute(app, spec, deps);
  registerChecks(app, deps);
  registerAlertActions(app, deps, { services: opts.agencyServices ?? LOCAL_AGENCY_SERVICES });
  registerDocs(app, withAlertActionOperations(withCheckOperation(buildOpenApi(ROUTES))));
  registerHealth(app, () => health(deps));
  if (opts.dashboardDir !== undefined) registerDashboard(app, opts.dashboardDir);
  return app;
}

async function health(deps: Deps): Promise<Health> {
  const state = deps.readModel.get();
  if (!state.ok) return { ok: false, checks: { readModel: { ok: false, detail: state.reason } } };
  try {
    const position = await state.db
      .selectFrom('projection_position')
      .select('last_seq')
      .where('name', '=', 'events')
      .executeTakeFirst();
    return {
      ok: true,
      checks: {
        readModel: { ok: true, detail: `已投影至序号 (applied to seq) ${Number(position?.last_seq ?? 0)}` },
      },
    };
  } catch (err) {
    return {
      ok: false,
      checks: { readModel: { ok: false, detail: `读模型不可读 (read model unreadable): ${String(err)}` } },
    };
  }
}
