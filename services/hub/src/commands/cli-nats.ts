/** NATS for a command: from the same configuration as `hub start`, with a clear error when absent. */
import { HubError, isHubError } from '@hub/domain';
import { connectNats, ensureStreams } from '@hub/platform';
import { loadHubConfig, type HubConfig } from '../config.js';

type NatsConnection = Awaited<ReturnType<typeof connectNats>>;

/**
 * Connects at once or says why not: which URL, from which variable, and what to check.
 *
 * @example
 * const { nc, config } = await cliNats();
 */
export async function cliNats(
  opts: { streams?: boolean } = {},
): Promise<{ nc: NatsConnection; dataDir: string; config: HubConfig }> {
  const config = loadHubConfig(process.env);
  let nc: NatsConnection;
  try {
    nc = await connectNats({
      servers: config.natsUrl,
      user: config.natsUser,
      pass: config.natsPass,
      name: 'hub-cli',
      waitOnFirstConnect: false,
    });
  } catch (err) {
    if (!isHubError(err, 'NATS_UNAVAILABLE')) throw err;
    throw new HubError(
      'NATS_UNAVAILABLE',
      `无法连接 NATS ${config.natsUrl}（来自 ${config.natsSource}）(cannot connect to NATS at ${config.natsUrl}, from ${config.natsSource}) — ` +
        '平台是否已启动？若用其他端口启动，请设置相同的 NATS_PORT 或 NATS_URL (is the hub running? if it was started with another port, set the same NATS_PORT or NATS_URL)',
      { cause: err },
    );
  }
  if (opts.streams !== false) await ensureStreams(nc);
  return { nc, dataDir: config.dataDir, config };
}
