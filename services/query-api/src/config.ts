/** The query API's configuration, parsed once from the environment in main.ts. */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { commonConfig, loadConfig, port, readModelUrl } from '@hub/platform';

/** Where `npm run build` puts the dashboard: services/dashboard/dist beside this package. */
export const BUILT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export const queryApiConfig = {
  ...commonConfig,
  /** HTTP port; 8080 by default. */
  PORT: port(8080),
  /** The read model on PostgreSQL (`postgres://…`), as the projector's; unset: the SQLite file under HUB_DATA_DIR. */
  READ_MODEL_URL: readModelUrl,
  /**
   * The agency services, to which alert acknowledgements and resolutions are forwarded as the
   * acting agency's events; the local hub's ports by default.
   */
  MARKET_SUPERVISION_URL: z.url().default('http://127.0.0.1:8081'),
  URBAN_CONSTRUCTION_URL: z.url().default('http://127.0.0.1:8082'),
  PUBLIC_SAFETY_URL: z.url().default('http://127.0.0.1:8083'),
  /** The built dashboard served at `/`; the one `npm run build` makes by default. */
  DASHBOARD_DIR: z.string().default(BUILT_DASHBOARD_DIR),
};

export const loadQueryApiConfig = (env: Record<string, string | undefined>) =>
  loadConfig(queryApiConfig, env);
export type QueryApiConfig = ReturnType<typeof loadQueryApiConfig>;
