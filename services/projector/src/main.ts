/**
 * Entry point of the projector: config, NATS, streams, the live projector of
 * HUB_DATA_DIR, and /metrics + /healthz on PORT (8084); closed in reverse order on
 * SIGTERM/SIGINT.
 */
import {
  connectNats,
  createHttpServer,
  createLogger,
  ensureStreamsOrWarn,
  listen,
  natsOptionsFrom,
  registerHealth,
  loadOrCreateSigningKey,
} from '@hub/platform';
import { OFFICE_AGENCY } from '@hub/domain';
import { openPostgresReadModel } from '@hub/read-model';
import { createPgWriter, type PgWriter } from './pg/pg-writer.js';
import { createPublishRole, type PublishRole } from './pg/publish-role.js';
import { loadProjectorConfig } from './config.js';
import { createLiveProjector } from './live.js';
import { createProjectorMetrics } from './metrics.js';
import { publishCalendars, startClockPublisher, type ClockPublisher } from './clock/publisher.js';

const config = loadProjectorConfig(process.env);
const logger = createLogger('projector', config.LOG_LEVEL);
const nc = await connectNats(natsOptionsFrom(config, 'projector'), logger);
// Its own identity may not manage streams (deploy/nats): then they must exist already.
await ensureStreamsOrWarn(nc, logger);
let natsUp = true;
void (async () => {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect') natsUp = false;
    else if (s.type === 'reconnect') natsUp = true;
  }
})();
// With READ_MODEL_URL the SQLite file is the working copy, shipped to PostgreSQL after each commit.
// Migrated here, once, under the migration lock (the writer thread only writes rows).
const pgdb = config.READ_MODEL_URL
  ? await openPostgresReadModel({ url: config.READ_MODEL_URL, max: 1 })
  : undefined;
await pgdb?.destroy();
const pgWriter: PgWriter | undefined = config.READ_MODEL_URL
  ? createPgWriter({
      dataDir: config.HUB_DATA_DIR,
      url: config.READ_MODEL_URL,
      log: logger,
      logLevel: config.LOG_LEVEL,
      lockPollMs: config.PROJECTOR_PG_LOCK_POLL_MS,
    })
  : undefined;
await pgWriter?.prepare();
// Over PostgreSQL only the lock holder publishes and answers `hub dlq retry` (pg/publish-role.ts).
const role: PublishRole | undefined = pgWriter
  ? createPublishRole({ writer: pgWriter, projector: () => live.current(), log: logger })
  : undefined;
const live = createLiveProjector({
  nc,
  dataDir: config.HUB_DATA_DIR,
  logger,
  batchSize: config.PROJECTOR_BATCH_SIZE,
  maxWaitMs: config.PROJECTOR_MAX_WAIT_MS,
  stallMs: config.PROJECTOR_STALL_SECONDS * 1000,
  decodeInWorker: config.PROJECTOR_DECODE_WORKER,
  signatures: config.PROJECTOR_ALLOW_UNSIGNED ? 'allow-unsigned' : 'required',
  ...(pgWriter
    ? {
        sideEffects: [() => Promise.resolve(pgWriter.kick())],
        publishing: () => role?.publishing() ?? false,
        answersRetries: () => role?.publishing() ?? false,
        // Answered once shipped: the retry is then in the state every query API reads.
        afterRetry: async () => {
          pgWriter.kick();
          await pgWriter.idle();
          if (pgWriter.status().role !== 'active')
            throw new Error(
              '重试期间失去写入锁，请再试一次 (lost the writer lock during the retry: run it again)',
            );
        },
      }
    : {}),
});
await live.start();
pgWriter?.start();
// Ticks and calendars are the committee office's events: signed with its key (registered by the
// committee office like any department's; the local hub does it at start).
const officeKey = loadOrCreateSigningKey(config.HUB_DATA_DIR, OFFICE_AGENCY);
if (config.PROJECTOR_PUBLISH_CALENDAR) {
  await publishCalendars(nc, undefined, undefined, officeKey).catch((err: unknown) =>
    logger.warn({ err }, '工作日历未发布 (calendar not published)'),
  );
}
const clock: ClockPublisher | undefined =
  config.PROJECTOR_CLOCK_TICK_MS > 0
    ? startClockPublisher({ nc, log: logger, intervalMs: config.PROJECTOR_CLOCK_TICK_MS, key: officeKey })
    : undefined;

const app = createHttpServer({ logger });
const metrics = createProjectorMetrics({
  stats: () => live.stats(),
  refresh: () => live.current()?.refreshStreamInfo() ?? Promise.resolve(),
});
app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
registerHealth(app, () => {
  const projector = live.current()?.health() ?? { ok: false, detail: '读模型切换中 (switching read model)' };
  const natsOk = natsUp && !nc.isClosed();
  const pgStatus = pgWriter?.status();
  const postgres = pgStatus
    ? pgStatus.lastError === undefined
      ? { ok: true, detail: `${pgStatus.role} @ ${pgStatus.pgPosition}` }
      : { ok: false, detail: `PostgreSQL 写入失败 (writing PostgreSQL failed): ${pgStatus.lastError}` }
    : undefined;
  return {
    ok: projector.ok && natsOk && (postgres?.ok ?? true),
    checks: {
      nats: natsOk ? { ok: true } : { ok: false, detail: 'NATS 不可达 (NATS unreachable)' },
      projector,
      ...(postgres ? { postgres } : {}),
    },
  };
});
const url = await listen(app, config.HOST, config.PORT);
logger.info({ url, readModel: live.current()?.path, postgres: pgWriter !== undefined }, 'listening');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  clock?.stop();
  role?.stop();
  await app.close();
  await live.stop();
  // After the projector: its last commit is shipped before the writer lets go of the lock.
  await pgWriter?.stop();
  await nc.drain();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
