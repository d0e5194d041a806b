/**
 * The embedded local hub: a nats-server child process (unless NATS_URL is given), the streams,
 * and every service as a child process, all data under one folder.
 *
 * The embedded nats-server runs with authorization: on first start each service, the
 * projector, each directly-publishing department and the admin get an NKey under
 * `<data>/credentials/` (least privilege as in deploy/nats), and each service is started with
 * its own (`NATS_CREDS`, a file path: no secret on a command line or in the environment).
 */
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_USER,
  applyStreams,
  connectNats,
  ensureLocalCredentials,
  ensureStreamsOrWarn,
  startNatsServer,
  type NatsServerProcess,
  type Logger,
} from '@hub/platform';
import { spawnService, type ChildService } from './child-service.js';

export const SERVICE_NAMES = [
  'projector',
  'query-api',
  'market-supervision',
  'urban-construction',
  'public-safety',
] as const;
export type HubServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Record<HubServiceName, number> = {
  'query-api': 8080,
  'market-supervision': 8081,
  'urban-construction': 8082,
  'public-safety': 8083,
  projector: 8084,
};

export interface LocalHubOptions {
  dataDir: string;
  host: string;
  /** Use this NATS instead of starting one. */
  natsUrl?: string | undefined;
  /**
   * The launcher's own credentials for that NATS (it creates the streams: an admin identity);
   * the services inherit the environment. Unused with the embedded server.
   */
  natsAuth?: { user?: string | undefined; pass?: string | undefined; creds?: string | undefined };
  natsPort: number;
  ports: Record<HubServiceName, number>;
  logLevel: string;
  logger: Logger;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
}

export interface LocalHub {
  readonly dataDir: string;
  readonly natsUrl: string;
  readonly nats: NatsServerProcess | undefined;
  readonly urls: Record<HubServiceName, string>;
  readonly services: readonly ChildService[];
  stop(): Promise<void>;
}

const serviceScript = (name: HubServiceName): string =>
  fileURLToPath(new URL(`../../../${name}/dist/main.js`, import.meta.url));

export async function startLocalHub(opts: LocalHubOptions): Promise<LocalHub> {
  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let nats: NatsServerProcess | undefined;
  const local = opts.natsUrl ? undefined : ensureLocalCredentials(dataDir);
  if (local) {
    const natsLog = openSync(join(logDir, 'nats-server.log'), 'a');
    nats = await startNatsServer({
      storeDir: join(dataDir, 'nats'),
      port: opts.natsPort,
      host: opts.host,
      args: ['-c', local.configPath],
      onLog: (line) => writeSync(natsLog, `${line}\n`),
    });
    void new Promise((r) => nats?.child.once('exit', r)).then(() => closeSync(natsLog));
  }
  const natsUrl = opts.natsUrl ?? nats?.url ?? '';
  const started: ChildService[] = [];
  const stop = async () => {
    for (const svc of [...started].reverse()) await svc.stop();
    await nats?.stop();
  };
  try {
    const nc = await connectNats({
      servers: natsUrl,
      name: 'hub-launcher',
      waitOnFirstConnect: false,
      ...(local ? { creds: local.seedFile(ADMIN_USER) } : opts.natsAuth),
    });
    try {
      // An external NATS may hold streams an operator made (hub streams apply) for an identity
      // that may only look them up.
      if (local) await applyStreams(nc);
      else await ensureStreamsOrWarn(nc, opts.logger);
    } finally {
      await nc.close();
    }
    // Each service its own identity; the query API reads only SQLite and gets none.
    const natsEnv = (name: HubServiceName): Record<string, string> =>
      !local
        ? {}
        : {
            NATS_USER: '',
            NATS_PASS: '',
            NATS_INBOX_PREFIX: '',
            NATS_CREDS: name === 'query-api' ? '' : local.seedFile(name),
          };

    const urls = {} as Record<HubServiceName, string>;
    for (const name of SERVICE_NAMES) urls[name] = `http://${opts.host}:${opts.ports[name]}`;
    // The query API forwards alert acknowledgements to the agency services.
    const serviceUrls = {
      MARKET_SUPERVISION_URL: urls['market-supervision'],
      URBAN_CONSTRUCTION_URL: urls['urban-construction'],
      PUBLIC_SAFETY_URL: urls['public-safety'],
    };
    for (const name of SERVICE_NAMES) {
      const port = opts.ports[name];
      const svc = spawnService({
        name,
        script: serviceScript(name),
        logDir,
        healthUrl: `${urls[name]}/healthz`,
        env: {
          ...serviceUrls,
          ...opts.env,
          PORT: String(port),
          HOST: opts.host,
          NATS_URL: natsUrl,
          ...natsEnv(name),
          HUB_DATA_DIR: dataDir,
          LOG_LEVEL: opts.logLevel,
        },
      });
      started.push(svc);
      opts.logger.debug({ service: name, pid: svc.pid }, 'started');
    }
    const timeout = opts.healthTimeoutMs ?? 30_000;
    const health = await Promise.all(started.map(async (s) => ({ s, h: await s.waitHealthy(timeout) })));
    const failed = health.filter(({ h }) => !h.ok);
    if (failed.length > 0) {
      throw new Error(
        `服务未能就绪 (services not healthy): ${failed.map(({ s, h }) => `${s.name}: ${h.detail}`).join('; ')} — 日志见 (see logs in) ${logDir}`,
      );
    }
    return { dataDir, natsUrl, nats, urls, services: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
