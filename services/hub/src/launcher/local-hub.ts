/**
 * The embedded local hub: a nats-server child process (unless NATS_URL is given), the streams,
 * and every service as a child process, all data under one folder.
 *
 * The embedded nats-server runs with authorization: on first start each service, the
 * projector, each directly-publishing department and the admin get an NKey under
 * `<data>/credentials/` (least privilege as in deploy/nats), and each service is started with
 * its own (`NATS_CREDS`, a file path: no secret on a command line or in the environment).
 */
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_USER,
  applyStreams,
  connectNats,
  ensureKeysRegistered,
  ensureLocalCredentials,
  loadOrCreateSigningKey,
  ensureStreamsOrWarn,
  startNatsCluster,
  startNatsServer,
  type NatsClusterProcess,
  type NatsServerProcess,
  type Logger,
} from '@hub/platform';
import { AGENCY_CODES } from '@hub/domain';
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
  /**
   * Run this many nats-server nodes as a cluster (deploy/nats/cluster.conf, with users) instead
   * of one: clients on natsPort…, routes on natsPort+10…, monitoring on natsPort+20…
   */
  cluster?: number | undefined;
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
  readonly cluster: NatsClusterProcess | undefined;
  /** With a cluster: NATS_URL and the admin user for CLI commands, in a file only the owner reads. */
  readonly natsEnvFile: string | undefined;
  readonly urls: Record<HubServiceName, string>;
  readonly services: readonly ChildService[];
  stop(): Promise<void>;
}

/** The users of deploy/nats/auth.conf the services connect as in a local cluster. */
const NATS_USER_OF: Partial<Record<HubServiceName, string>> = {
  projector: 'projector',
  'market-supervision': 'market-supervision',
  'urban-construction': 'urban-construction',
  'public-safety': 'public-safety',
};

const deployNatsDir = (): string => fileURLToPath(new URL('../../../../deploy/nats', import.meta.url));

const serviceScript = (name: HubServiceName): string =>
  fileURLToPath(new URL(`../../../${name}/dist/main.js`, import.meta.url));

export async function startLocalHub(opts: LocalHubOptions): Promise<LocalHub> {
  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let nats: NatsServerProcess | undefined;
  let cluster: NatsClusterProcess | undefined;
  let natsEnvFile: string | undefined;
  if (!opts.natsUrl && opts.cluster !== undefined && opts.cluster > 1) {
    const natsLog = openSync(join(logDir, 'nats-cluster.log'), 'a');
    cluster = await startNatsCluster({
      configDir: deployNatsDir(),
      host: opts.host,
      nodes: Array.from({ length: opts.cluster }, (_, i) => ({
        name: `hub-nats-${i + 1}`,
        port: opts.natsPort + i,
        routePort: opts.natsPort + 10 + i,
        monitorPort: opts.natsPort + 20 + i,
        storeDir: join(dataDir, 'nats-cluster', `hub-nats-${i + 1}`),
      })),
      onLog: (node, line) => writeSync(natsLog, `[${node}] ${line}\n`),
    });
    const admin = cluster.user('admin');
    natsEnvFile = join(dataDir, 'nats-cluster.env');
    writeFileSync(
      natsEnvFile,
      `NATS_URL=${cluster.url}\nNATS_USER=${admin.user}\nNATS_PASS=${admin.pass}\n`,
      { mode: 0o600 },
    );
  }
  const local = opts.natsUrl || cluster ? undefined : ensureLocalCredentials(dataDir);
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
  const natsUrl = opts.natsUrl ?? cluster?.url ?? nats?.url ?? '';
  const started: ChildService[] = [];
  const stop = async () => {
    for (const svc of [...started].reverse()) await svc.stop();
    await nats?.stop();
    await cluster?.stop();
  };
  try {
    if (cluster) {
      // The launcher is the operator here: R3 streams with the admin user, once the nodes have
      // elected a JetStream leader.
      const nc = await connectNats({ servers: natsUrl, name: 'hub-launcher', ...cluster.user('admin') });
      try {
        await retry(() => applyStreams(nc, { replicas: cluster.nodes.length, scaleReplicas: true }), 30_000);
        await registerDepartmentKeys(nc, dataDir);
      } finally {
        await nc.close();
      }
    } else {
      const nc = await connectNats({
        servers: natsUrl,
        name: 'hub-launcher',
        waitOnFirstConnect: false,
        ...(local ? { creds: local.seedFile(ADMIN_USER) } : opts.natsAuth),
      });
      try {
        // An external NATS may hold streams an operator made (hub streams apply) for an identity
        // that may only look them up.
        if (local) {
          await applyStreams(nc);
          await registerDepartmentKeys(nc, dataDir);
        } else await ensureStreamsOrWarn(nc, opts.logger);
      } finally {
        await nc.close();
      }
    }
    // Each service its own identity; the query API reads only SQLite and gets none.
    const natsEnv = (name: HubServiceName): Record<string, string> =>
      cluster
        ? natsUserEnv(cluster, name)
        : !local
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
    return { dataDir, natsUrl, nats, cluster, natsEnvFile, urls, services: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** In a cluster each service connects as its own user of auth.conf (the query API needs none). */
function natsUserEnv(cluster: NatsClusterProcess | undefined, name: HubServiceName): Record<string, string> {
  const user = NATS_USER_OF[name];
  if (!cluster || !user) return {};
  const c = cluster.user(user);
  return { NATS_USER: c.user, NATS_PASS: c.pass };
}

async function retry<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * One signing key per department, kept in the data folder like the NATS seeds: the agency
 * services sign with them on their departments' behalf, a direct publisher gets its own from
 * `hub credentials issue`; the local hub's committee office registers them (ENF_KEYS).
 */
async function registerDepartmentKeys(
  nc: Awaited<ReturnType<typeof connectNats>>,
  dataDir: string,
): Promise<void> {
  await ensureKeysRegistered(
    nc,
    AGENCY_CODES.map((a) => loadOrCreateSigningKey(dataDir, a)),
    '执委会办公室 (local hub)',
  );
}
