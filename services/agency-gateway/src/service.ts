/**
 * One agency service: HTTP ingest and imports into the outbox, and the relay to JetStream.
 * NATS is connected in the background: the service answers (202) while NATS is away and the
 * relay catches up when it comes.
 *
 * @example
 * const svc = createAgencyService({ definition: MARKET_SUPERVISION, config, logger });
 * const url = await svc.start(); // port 0 → a free port
 * await svc.close();
 */
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  createHttpServer,
  ensureStreamsOrWarn,
  natsOptionsFrom,
  listen,
  openTokenStore,
  registerApiDocs,
  registerHealth,
  type Logger,
} from '@hub/platform';
import { EVENTS_STREAM, type ServiceName } from '@hub/domain';
import { systemClock, type Clock } from './clock.js';
import type { AgencyServiceConfig } from './config.js';
import { requireToken, type TokenVerifier } from './http/auth.js';
import { registerEventsRoute } from './http/events-route.js';
import { registerImportsRoute } from './http/imports-route.js';
import { registerAgencyMetrics } from './http/metrics.js';
import { agencyOpenApi } from './http/openapi.js';
import type { CsvMapping } from './imports/mapping.js';
import { openOutbox, type Outbox } from './outbox/outbox.js';
import { createRelay, type Relay } from './relay/relay.js';
import { startRelayThread } from './relay-thread/host.js';
import { createEventSigner } from './relay/signer.js';
import { openReconcileLedger, outboxFile } from './reconcile/ledger.js';
import { registerReconcileMetrics } from './reconcile/metrics.js';
import { createReconciler, type Reconciler } from './reconcile/reconciler.js';

/** What makes one service: its name, its departments, its import formats. */
export interface AgencyServiceDefinition {
  readonly service: ServiceName;
  readonly agencies: readonly string[];
  readonly mappings: readonly CsvMapping[];
}

export type GatewayConfig = Pick<
  AgencyServiceConfig,
  | 'HUB_DATA_DIR'
  | 'HOST'
  | 'PORT'
  | 'NATS_URL'
  | 'NATS_USER'
  | 'NATS_PASS'
  | 'NATS_CREDS'
  | 'NATS_INBOX_PREFIX'
  | 'BODY_LIMIT'
  | 'MAX_BATCH'
  | 'IMPORT_BODY_LIMIT'
  | 'IMPORT_MAX_ROWS'
  | 'RELAY_WINDOW'
  | 'RELAY_ACK_TIMEOUT_MS'
  | 'FUTURE_SKEW_MS'
  | 'HTTP_REQUEST_TIMEOUT_MS'
  | 'RECONCILE_INTERVAL_MS'
  | 'RECONCILE_SETTLE_MS'
  | 'RECONCILE_BATCH'
  | 'OUTBOX_RETENTION_HOURS'
>;

export interface AgencyServiceOptions {
  definition: AgencyServiceDefinition;
  config: GatewayConfig;
  logger: Logger;
  clock?: Clock;
  /** Defaults to `<HUB_DATA_DIR>/tokens.json`. */
  tokens?: TokenVerifier;
  /** Run the relay in this process (default true). Off: ingest only, e.g. to bench it alone. */
  relay?: boolean;
  /**
   * Run the relay on a thread of its own (default false; the services' main.ts turns it on):
   * signing and publishing then leave the requests' event loop. Needs the built JavaScript.
   */
  relayThread?: boolean;
  /**
   * Sign what the relay and reconciliation publish (default true). Off only to measure what
   * signing costs: the projector dead-letters unsigned events unless PROJECTOR_ALLOW_UNSIGNED.
   */
  signEvents?: boolean;
}

export interface AgencyService {
  readonly app: FastifyInstance;
  readonly outbox: Outbox;
  /** The relay once NATS is connected. */
  relay(): Relay | undefined;
  /** Reconciliation of the outbox with the stream, once NATS is connected (with the relay). */
  reconciler(): Reconciler | undefined;
  /** Listens (and connects NATS in the background); returns the base URL. */
  start(): Promise<string>;
  close(): Promise<void>;
}

export const outboxPath = outboxFile;

export function createAgencyService(opts: AgencyServiceOptions): AgencyService {
  const { definition, config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const tokens = opts.tokens ?? openTokenStore(config.HUB_DATA_DIR, { recordUseAs: definition.service });
  const outbox = openOutbox(outboxPath(config.HUB_DATA_DIR, definition.service));
  const ledger = openReconcileLedger(outbox.path);
  const app = createHttpServer({
    logger,
    bodyLimit: config.BODY_LIMIT,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
  });
  const withRelay = opts.relay ?? true;
  // Its departments and the finance bureau's payments it relays for them.
  const signers = [...definition.agencies, 'CZJ'];
  const signer = opts.signEvents === false ? undefined : createEventSigner(config.HUB_DATA_DIR, signers);
  let nc: NatsConnection | undefined;
  let relay: Relay | undefined;
  let reconciler: Reconciler | undefined;
  let closed = false;

  app.register((scope, _o, done) => {
    scope.addHook('onRequest', requireToken(tokens));
    registerEventsRoute(scope, {
      outbox,
      agencies: definition.agencies,
      clock,
      maxBatch: config.MAX_BATCH,
      futureSkewMs: config.FUTURE_SKEW_MS,
    });
    done();
  });
  registerImportsRoute(app, {
    outbox,
    agencies: definition.agencies,
    mappings: definition.mappings,
    clock,
    tokens,
    bodyLimit: config.IMPORT_BODY_LIMIT,
    maxRows: config.IMPORT_MAX_ROWS,
    futureSkewMs: config.FUTURE_SKEW_MS,
  });
  app.get('/v1/outbox/stats', { onRequest: requireToken(tokens) }, () => ({
    ...outbox.stats(),
    relay: relay?.stats() ?? null,
  }));
  const metrics = registerAgencyMetrics(app, { outbox, relay: () => relay, clock });
  registerReconcileMetrics(metrics, { ledger, reconciler: () => reconciler });
  registerApiDocs(app, agencyOpenApi(definition));
  registerHealth(app, () => {
    let outboxCheck: { ok: boolean; detail?: string } = { ok: true };
    try {
      if (outbox.storageFull()) {
        outboxCheck = {
          ok: false,
          detail:
            '存储空间已满：新记录暂不接收 (507)，已接收的记录完好，腾出空间后自动恢复 (disk full: new records refused with 507; accepted ones are safe; resumes by itself once space returns)',
        };
      } else {
        outbox.checkWritable();
      }
    } catch (err) {
      outboxCheck = { ok: false, detail: `发件箱不可写 (outbox not writable): ${(err as Error).message}` };
    }
    const natsUp = nc !== undefined && !nc.isClosed() && (relay?.stats().connected ?? false);
    const natsCheck = !withRelay
      ? { ok: true, detail: 'relay disabled in this process' }
      : natsUp
        ? { ok: true }
        : {
            ok: false,
            detail: '无法连接 NATS，记录暂存发件箱 (NATS unreachable; records wait in the outbox)',
          };
    return { ok: outboxCheck.ok && natsCheck.ok, checks: { outbox: outboxCheck, nats: natsCheck } };
  });

  const connectInBackground = async () => {
    const conn = await connectNats(natsOptionsFrom(config, definition.service), logger);
    if (closed) return void (await conn.close());
    nc = conn;
    try {
      // Restricted credentials may not manage streams: then they must exist (hub streams apply).
      await ensureStreamsOrWarn(conn, logger, [EVENTS_STREAM]);
    } catch (err) {
      logger.warn({ err }, 'could not check the streams; the relay retries until they exist');
    }
    if (closed) return;
    relay = opts.relayThread
      ? startRelayThread({
          outbox,
          logger,
          data: {
            nats: natsOptionsFrom(config, `${definition.service}-relay`),
            dataDir: config.HUB_DATA_DIR,
            signers: signer ? signers : null,
            service: definition.service,
            logLevel: logger.level,
            window: config.RELAY_WINDOW,
            ackTimeoutMs: config.RELAY_ACK_TIMEOUT_MS,
          },
        })
      : createRelay({
          outbox,
          nc: conn,
          logger,
          window: config.RELAY_WINDOW,
          ackTimeoutMs: config.RELAY_ACK_TIMEOUT_MS,
          clock,
          ...(signer ? { sign: signer.signBatch } : {}),
        });
    relay.start();
    reconciler = createReconciler({
      ledger,
      nc: conn,
      logger,
      ...(signer ? { sign: signer.sign } : {}),
      intervalMs: config.RECONCILE_INTERVAL_MS,
      settleMs: config.RECONCILE_SETTLE_MS,
      batch: config.RECONCILE_BATCH,
      retentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
      clock,
    });
    reconciler.start();
  };

  return {
    app,
    outbox,
    relay: () => relay,
    reconciler: () => reconciler,
    async start() {
      const url = await listen(app, config.HOST, config.PORT);
      logger.info({ url, agencies: definition.agencies }, 'listening');
      if (withRelay) {
        connectInBackground().catch((err: unknown) => logger.error({ err }, 'NATS connection failed'));
      }
      return url;
    },
    async close() {
      closed = true;
      await app.close();
      await reconciler?.stop();
      await relay?.stop();
      await nc?.drain().catch(() => undefined);
      ledger.close();
      outbox.close();
    },
  };
}
