/** The query API's configuration, parsed once from the environment in main.ts. */
import { commonConfig, loadConfig, port } from '@hub/platform';

export const queryApiConfig = {
  ...commonConfig,
  /** HTTP port; 8080 by default. */
  PORT: port(8080),
};

export const loadQueryApiConfig = (env: Record<string, string | undefined>) =>
  loadConfig(queryApiConfig, env);
export type QueryApiConfig = ReturnType<typeof loadQueryApiConfig>;
