/**
 * The hub command line's one configuration, parsed once from the environment (after the global
 * `--data-dir` flag is applied) and read the same way by every command: `hub start` passes these
 * ports to the services it starts; `hub import` sends to the same ports; verify, dlq, replay and
 * rebuild reach the same NATS (`NATS_URL`, else the local server on `NATS_PORT`).
 */
import { z } from 'zod';
import { SERVICES, type ServiceName } from '@hub/domain';
import { loadConfig, port, readModelUrl } from '@hub/platform';

export const SERVICE_NAMES = [
  'projector',
  'query-api',
  'market-supervision',
  'urban-construction',
  'public-safety',
] as const;
export type HubServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Readonly<Record<HubServiceName, number>> = {
  'query-api': 8080,
  'market-supervision': SERVICES['market-supervision'].defaultPort,
  'urban-construction': SERVICES['urban-construction'].defaultPort,
  'public-safety': SERVICES['public-safety'].defaultPort,
  projector: 8084,
};

/** The environment variable that moves each service's HTTP port. */
export const PORT_VARIABLES: Readonly<Record<HubServiceName, string>> = {
  'query-api': 'QUERY_API_PORT',
  'market-supervision': 'MARKET_SUPERVISION_PORT',
  'urban-construction': 'URBAN_CONSTRUCTION_PORT',
  'public-safety': 'PUBLIC_SAFETY_PORT',
  projector: 'PROJECTOR_PORT',
};

const hubConfigShape = {
  HUB_DATA_DIR: z.string().default('./var'),
  /** A NATS to use; unset: the hub's own nats-server on HOST:NATS_PORT. */
  NATS_URL: z.string().min(1).optional(),
  NATS_PORT: port(4222),
  NATS_USER: z.string().optional(),
  NATS_PASS: z.string().optional(),
  NATS_CREDS: z.string().min(1).optional(),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUERY_API_PORT: port(DEFAULT_PORTS['query-api']),
  MARKET_SUPERVISION_PORT: port(DEFAULT_PORTS['market-supervision']),
  URBAN_CONSTRUCTION_PORT: port(DEFAULT_PORTS['urban-construction']),
  PUBLIC_SAFETY_PORT: port(DEFAULT_PORTS['public-safety']),
  PROJECTOR_PORT: port(DEFAULT_PORTS.projector),
  /** `hub import`'s token; else the local demo token file. */
  HUB_TOKEN: z.string().min(1).optional(),
  /** The hub on PostgreSQL: read model, access log and tokens (docs/operations.md). */
  READ_MODEL_URL: readModelUrl,
};

export interface HubConfig {
  readonly dataDir: string;
  /** NATS_URL as given, undefined when the hub runs its own server. */
  readonly natsUrlGiven: string | undefined;
  /** Where the commands reach NATS: NATS_URL, else nats://HOST:NATS_PORT. */
  readonly natsUrl: string;
  /** Which variable `natsUrl` came from, for error messages. */
  readonly natsSource: string;
  readonly natsPort: number;
  readonly natsUser: string | undefined;
  readonly natsPass: string | undefined;
  /** A NATS credentials file (NATS_CREDS). */
  readonly natsCreds: string | undefined;
  readonly host: string;
  readonly logLevel: string;
  readonly ports: Readonly<Record<HubServiceName, number>>;
  readonly token: string | undefined;
  /** READ_MODEL_URL: the read model, access log and tokens are in this PostgreSQL database. */
  readonly readModelUrl: string | undefined;
}

/**
 * @example
 * const config = loadHubConfig(process.env);
 * serviceUrl(config, 'market-supervision'); // 'http://127.0.0.1:8081' unless MARKET_SUPERVISION_PORT moves it
 */
export function loadHubConfig(env: Record<string, string | undefined>): HubConfig {
  const c = loadConfig(hubConfigShape, env);
  return Object.freeze({
    dataDir: c.HUB_DATA_DIR,
    natsUrlGiven: c.NATS_URL,
    natsUrl: c.NATS_URL ?? `nats://${c.HOST}:${c.NATS_PORT}`,
    natsSource: c.NATS_URL ? 'NATS_URL' : `NATS_PORT=${c.NATS_PORT}`,
    natsPort: c.NATS_PORT,
    natsUser: c.NATS_USER,
    natsPass: c.NATS_PASS,
    natsCreds: c.NATS_CREDS,
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    ports: Object.freeze({
      'query-api': c.QUERY_API_PORT,
      'market-supervision': c.MARKET_SUPERVISION_PORT,
      'urban-construction': c.URBAN_CONSTRUCTION_PORT,
      'public-safety': c.PUBLIC_SAFETY_PORT,
      projector: c.PROJECTOR_PORT,
    }),
    token: c.HUB_TOKEN,
    readModelUrl: c.READ_MODEL_URL,
  });
}

export const serviceUrl = (config: HubConfig, name: HubServiceName): string =>
  `http://${config.host}:${config.ports[name]}`;

export const agencyServiceUrl = (config: HubConfig, service: ServiceName): string =>
  serviceUrl(config, service);

/** For `start --help`: every variable the commands read. */
export const ENVIRONMENT_HELP = `
环境变量 Environment (every command reads the same ones):
  HUB_DATA_DIR              数据目录 data folder (default ./var; --data-dir overrides)
  NATS_URL                  使用已有的 NATS (use a running NATS; unset: hub start runs its own)
  NATS_PORT                 本地 nats-server 端口 port of the local nats-server (default 4222)
  NATS_USER, NATS_PASS      NATS 凭据 credentials (deploy/nats)
  NATS_CREDS                NATS 凭据文件 credentials file
  HOST                      监听地址 listen address (default 127.0.0.1)
  QUERY_API_PORT            查询服务 query API (default 8080)
  MARKET_SUPERVISION_PORT   市场监管 market supervision (default 8081)
  URBAN_CONSTRUCTION_PORT   城市建设 urban construction (default 8082)
  PUBLIC_SAFETY_PORT        公共安全 public safety (default 8083)
  PROJECTOR_PORT            投影服务 projector metrics (default 8084)
  LOG_LEVEL                 日志级别 log level (default info)
  HUB_TOKEN                 hub import 的令牌 token for hub import (default: <data dir>/demo-token.txt)
  READ_MODEL_URL            PostgreSQL：读模型、访问日志、令牌 read model, access log, tokens (postgres://…)`;
