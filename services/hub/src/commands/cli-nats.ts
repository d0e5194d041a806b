/**
 * NATS for a command: the same environment as the services (NATS_URL, NATS_CREDS or
 * NATS_USER/NATS_PASS). With none of these credentials and a local hub's data folder, the
 * command uses that hub's admin identity (`<data>/credentials/admin.nk`), readable only by
 * whoever owns the folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

type NatsConnection = Awaited<ReturnType<typeof connectNats>>;
export type CliConfig = ReturnType<typeof cliConfig>;
export const cliConfig = () => loadConfig(commonConfig, process.env);

export function cliNatsOptions(config: CliConfig, name = 'hub-cli'): NatsOptions {
  const opts = { ...natsOptionsFrom(config, name), waitOnFirstConnect: false };
  if (opts.creds !== undefined || opts.user !== undefined) return opts;
  const localAdmin = join(credentialsDir(config.HUB_DATA_DIR), `${ADMIN_USER}.nk`);
  return existsSync(localAdmin) ? { ...opts, creds: localAdmin } : opts;
}

/** Connects for a command; with `streams`, checks they exist (creating them when it may). */
export async function cliNats(
  opts: { streams?: boolean } = {},
): Promise<{ nc: NatsConnection; dataDir: string; config: CliConfig }> {
  const config = cliConfig();
  const nc = await connectNats(cliNatsOptions(config));
  if (opts.streams ?? true) await ensureStreamsOrWarn(nc, silentLogger());
  return { nc, dataDir: config.HUB_DATA_DIR, config };
}
