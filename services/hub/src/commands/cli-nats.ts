/**
 * NATS for a command: the same configuration as `hub start` and the services — NATS_URL, else
 * the local hub's server on NATS_PORT (config.ts); NATS_CREDS or NATS_USER/NATS_PASS. With none
 * of these credentials and a local hub's data folder, the command uses that hub's admin identity
 * (`<data>/credentials/admin.nk`), readable only by whoever owns the folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HubError, isHubError } from '@hub/domain';
import {
  ADMIN_USER,
  commonConfig,
  connectNats,
  credentialsDir,
  ensureStreamsOrWarn,
  loadConfig,
  natsOptionsFrom,
  silentLogger,
  type NatsOptions,
} from '@hub/platform';
import { loadHubConfig } from '../config.js';

type NatsConnection = Awaited<ReturnType<typeof connectNats>>;
export type CliConfig = ReturnType<typeof cliConfig>;
/** The services' common configuration, with NATS_URL resolved as `hub start` resolves it. */
export const cliConfig = () =>
  loadConfig(commonConfig, { ...process.env, NATS_URL: loadHubConfig(process.env).natsUrl });

export function cliNatsOptions(config: CliConfig, name = 'hub-cli'): NatsOptions {
  const opts = { ...natsOptionsFrom(config, name), waitOnFirstConnect: false };
  if (opts.creds !== undefined || opts.user !== undefined) return opts;
  const localAdmin = join(credentialsDir(config.HUB_DATA_DIR), `${ADMIN_USER}.nk`);
  return existsSync(localAdmin) ? { ...opts, creds: localAdmin } : opts;
}

/** Connects at once or says why not: which URL, from which variable, and what to check. */
export async function connectCli(config: CliConfig): Promise<NatsConnection> {
  try {
    return await connectNats(cliNatsOptions(config));
  } catch (err) {
    if (!isHubError(err, 'NATS_UNAVAILABLE')) throw err;
    const { natsUrl, natsSource } = loadHubConfig(process.env);
    throw new HubError(
      'NATS_UNAVAILABLE',
      `无法连接 NATS ${natsUrl}（来自 ${natsSource}）(cannot connect to NATS at ${natsUrl}, from ${natsSource}) — ` +
        '平台是否已启动？若用其他端口启动，请设置相同的 NATS_PORT 或 NATS_URL (is the hub running? if it was started with another port, set the same NATS_PORT or NATS_URL)',
      { cause: err },
    );
  }
}

/**
 * Connects for a command; with `streams`, checks they exist (creating them when it may).
 *
 * @example
 * const { nc, dataDir } = await cliNats();
 */
export async function cliNats(
  opts: { streams?: boolean } = {},
): Promise<{ nc: NatsConnection; dataDir: string; config: CliConfig }> {
  const config = cliConfig();
  const nc = await connectCli(config);
  if (opts.streams ?? true) await ensureStreamsOrWarn(nc, silentLogger());
  return { nc, dataDir: config.HUB_DATA_DIR, config };
}
