/**
 * Entry points: the body of each service's main.ts, an in-process runner (tests, benches), and
 * the relay on its own.
 */
import {
  connectNats,
  createLogger,
  ensureStreamsOrWarn,
  loadConfig,
  openPostgresTokens,
  silentLogger,
  type Logger,
} from '@hub/platform';
import { EVENTS_STREAM } from '@hub/domain';
import { agencyServiceConfig } from './config.js';
import { openOutbox } from './outbox/outbox.js';
import { createRelay, type Relay, type RelayOptions } from './relay/relay.js';
import { createEventSigner } from './relay/signer.js';
import {
  createAgencyService,
  outboxPath,
  type AgencyService,
  type AgencyServiceDefinition,
  type AgencyServiceOptions,
  type GatewayConfig,
} from './service.js';
import type { Clock } from './clock.js';

/** main.ts: config from the environment once, start, stop in reverse order on SIGTERM/SIGINT. */
export async function runAgencyServiceMain(
  definition: AgencyServiceDefinition,
  overrides: Pick<AgencyServiceOptions, 'signEvents'> = {},
): Promise<void> {
  const config = loadConfig(agencyServiceConfig(definition.service), process.env);
  const logger = createLogger(definition.service, config.LOG_LEVEL);
  // With READ_MODEL_URL the tokens are the hub's, in PostgreSQL (as the query API's).
  const pgTokens = config.READ_MODEL_URL ? await openPostgresTokens(config.READ_MODEL_URL) : undefined;
  const tokens = await pgTokens?.openVerifier({ recordUseAs: definition.service });
  const service = createAgencyService({
    definition,
    config,
    logger,
    relayThread: config.RELAY_THREAD === 'true',
    ...overrides,
    ...(tokens ? { tokens } : {}),
  });
  await service.start();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    service
      .close()
      .then(() => pgTokens?.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export interface InProcessOptions {
  definition: AgencyServiceDefinition;
  dataDir: string;
  natsUrl: string;
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  natsUser?: string;
  natsPass?: string;
  /** A `.creds` or NKey seed file (wins over user/password). */
  natsCreds?: string;
  logger?: Logger;
  clock?: Clock;
  /** Run the relay too (default true). */
  relay?: boolean;
  /** Sign what is published (default true; AgencyServiceOptions.signEvents). */
  signEvents?: boolean;
  /** Overrides of the config defaults (MAX_BATCH, BODY_LIMIT …). */
  config?: Partial<GatewayConfig>;
}

/**
 * Runs a service in this process, e.g. for a benchmark or a test.
 *
 * @example
 * const { url, service } = await startAgencyService({ definition: MARKET_SUPERVISION, dataDir, natsUrl });
 */
export async function startAgencyService(
  opts: InProcessOptions,
): Promise<{ url: string; service: AgencyService }> {
  const defaults = loadConfig(agencyServiceConfig(opts.definition.service), {});
  const config: GatewayConfig = {
    ...defaults,
    HUB_DATA_DIR: opts.dataDir,
    HOST: opts.host ?? '127.0.0.1',
    PORT: opts.port ?? 0,
    NATS_URL: opts.natsUrl,
    NATS_USER: opts.natsUser,
    NATS_PASS: opts.natsPass,
    NATS_CREDS: opts.natsCreds,
    ...opts.config,
  };
  const service = createAgencyService({
    definition: opts.definition,
    config,
    logger: opts.logger ?? silentLogger(),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.relay === false ? { relay: false } : {}),
    ...(opts.signEvents === false ? { signEvents: false } : {}),
  });
  return { url: await service.start(), service };
}

/**
 * The relay alone, over a service's outbox file (another process may be writing it): for a
 * benchmark of relay throughput, or to drain an outbox.
 */
export async function startRelay(
  opts: {
    dataDir: string;
    service: string;
    natsUrl: string;
    natsUser?: string;
    natsPass?: string;
    natsCreds?: string;
    logger?: Logger;
  } & Pick<RelayOptions, 'window' | 'ackTimeoutMs' | 'pollMs'>,
): Promise<{ relay: Relay; close(): Promise<void> }> {
  const logger = opts.logger ?? silentLogger();
  const outbox = openOutbox(outboxPath(opts.dataDir, opts.service));
  const nc = await connectNats({
    servers: opts.natsUrl,
    user: opts.natsUser,
    pass: opts.natsPass,
    creds: opts.natsCreds,
    name: `${opts.service}-relay`,
  });
  await ensureStreamsOrWarn(nc, logger, [EVENTS_STREAM]);
  const relay = createRelay({
    outbox,
    nc,
    logger,
    window: opts.window,
    ackTimeoutMs: opts.ackTimeoutMs,
    pollMs: opts.pollMs,
    sign: createEventSigner(opts.dataDir, []).signBatch,
  });
  relay.start();
  return {
    relay,
    async close() {
      await relay.stop();
      await nc.drain();
      outbox.close();
    },
  };
}
