/**
 * The embedded local hub: a nats-server child process (unless NATS_URL is given), the streams,
 * and every service as a child process, all data under one folder. A service that dies after it
 * was healthy is restarted with backoff (child-service.ts).
 *
 * The embedded nats-server runs with authorization: on first start each service, the
 * projector, each directly-publishing department and the admin get an NKey under
 * `<data>/credentials/` (least privilege as in deploy/nats), and each service is started with
 * its own (`NATS_CREDS`, a file path: no secret on a command line or in the environment).
 */
import { existsSync, mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubError } from '@hub/domain';
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
import { PORT_VARIABLES, SERVICE_NAMES, type HubServiceName } from '../config.js';
import { spawnService, type ChildService, type ServiceEvent } from './child-service.js';
import type { RestartPolicy } from './restart-policy.js';

export { DEFAULT_PORTS, SERVICE_NAMES, type HubServiceName } from '../config.js';

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
  ports: Readonly<Record<HubServiceName, number>>;
  logLevel: string;
  logger: Logger;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
  /** How services that die are restarted; false: never. @default DEFAULT_RESTART_POLICY */
  restart?: RestartPolicy | false;
  /** Told of every restart and of a service given up on. */
  onServiceEvent?: (event: ServiceEvent) => void;
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

/** Whether something already listens on host:port (we try to bind it and let go at once). */
export const portTaken = (host: string, port: number): Promise<boolean> =>
  new Promise((done) => {
    if (port === 0) return done(false);
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'EADDRINUSE' || err.code === 'EACCES'),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => done(false)));
  });

/** Refuses to start when a service's port is taken, naming the port and the variable that moves it. */
async function checkPorts(host: string, ports: Readonly<Record<HubServiceName, number>>): Promise<void> {
  const taken: HubServiceName[] = [];
  for (const name of SERVICE_NAMES) if (await portTaken(host, ports[name])) taken.push(name);
  if (taken.length === 0) return;
  const where = taken.map((n) => `${host}:${ports[n]} (${n}, ${PORT_VARIABLES[n]})`).join(', ');
  throw new HubError(
    'CONFIG_INVALID',
    `端口已被占用，可能另一个平台正在运行 (port in use, perhaps by another hub): ${where} — ` +
      `用这些变量换端口，或停止占用它的程序 (set these variables to free ports, or stop what holds them)`,
    {
      issues: taken.map((n) => ({
        field: PORT_VARIABLES[n],
        message: `端口 ${ports[n]} 已被占用 (port ${ports[n]} in use), e.g. ${PORT_VARIABLES[n]}=${ports[n] + 100}`,
      })),
    },
  );
}

/** The last error a service logged (pino JSON lines), to say why it stopped. */
export function lastLoggedError(logFile: string): string | undefined {
  if (!existsSync(logFile)) return undefined;
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').slice(-50).reverse();
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 50) return [entry.msg, entry.err?.message].filter(Boolean).join(': ');
    } catch {
      if (/Error|EADDRINUSE/.test(line)) return line.trim();
    }
  }
  return undefined;
}

export async function startLocalHub(opts: LocalHubOptions): Promise<LocalHub> {
  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  await checkPorts(opts.host, opts.ports);
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
        ...(opts.restart !== undefined ? { restart: opts.restart } : {}),
        onEvent: (event) =>
          opts.onServiceEvent ? opts.onServiceEvent(event) : opts.logger.warn(event, `service ${event.kind}`),
      });
      started.push(svc);
      opts.logger.debug({ child: name, pid: svc.pid }, 'started');
    }
    // Generous: on a busy two-core machine a service can take a minute to come up.
    const timeout = opts.healthTimeoutMs ?? 120_000;
    const health = await Promise.all(started.map(async (s) => ({ s, h: await s.waitHealthy(timeout) })));
    const failed = health.filter(({ h }) => !h.ok);
    if (failed.length > 0) {
      const why = failed.map(({ s, h }) => {
        const logged = lastLoggedError(s.logFile);
        return `${s.name}: ${h.detail}${logged ? ` (${logged})` : ''} — 日志 log: ${s.logFile}`;
      });
      throw new HubError('INTERNAL', `服务未能就绪 (services not healthy):\n  ${why.join('\n  ')}`);
    }
    return { dataDir, natsUrl, nats, urls, services: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
