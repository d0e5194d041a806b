/**
 * Entry point of the query API: config, adapters (read model follower, access log, token
 * store), the HTTP server; closed in reverse order on SIGTERM/SIGINT.
 */
import { join } from 'node:path';
import { createLogger, listen, openPostgresTokens } from '@hub/platform';
import { openAccessLog } from './access-log/access-log.js';
import { openPostgresAccessLog } from './access-log/access-log-postgres.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { loadQueryApiConfig } from './config.js';
import { createQueryApi } from './http/app.js';
import { createPostgresReadModelSource, createReadModelSource } from './read-model-source.js';

const config = loadQueryApiConfig(process.env);
const logger = createLogger('query-api', config.LOG_LEVEL);
const readModel = config.READ_MODEL_URL
  ? await createPostgresReadModelSource(config.READ_MODEL_URL)
  : createReadModelSource({ dataDir: config.HUB_DATA_DIR });
// With READ_MODEL_URL the access log and the tokens are in PostgreSQL too: every query API
// process over the database shares them, whatever its host.
const accessLog = config.READ_MODEL_URL
  ? await openPostgresAccessLog({ url: config.READ_MODEL_URL })
  : openAccessLog({ path: join(config.HUB_DATA_DIR, 'query-api', 'access-log.sqlite') });
const pgTokens = config.READ_MODEL_URL ? await openPostgresTokens(config.READ_MODEL_URL) : undefined;
const tokens = createTokenVerifier(
  pgTokens ? await pgTokens.openVerifier({ recordUseAs: 'query-api' }) : config.HUB_DATA_DIR,
);
const app = createQueryApi({
  logger,
  readModel,
  accessLog,
  tokens,
  now: () => new Date(),
  agencyServices: {
    'market-supervision': config.MARKET_SUPERVISION_URL,
    'urban-construction': config.URBAN_CONSTRUCTION_URL,
    'public-safety': config.PUBLIC_SAFETY_URL,
  },
  dashboardDir: config.DASHBOARD_DIR,
});

const url = await listen(app, config.HOST, config.PORT);
logger.info({ url }, 'listening');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  await app.close();
  await readModel.close();
  await accessLog.close();
  await pgTokens?.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
