/**
 * The whole local hub as `hub start` runs it, on free ports under a test's data folder, quiet.
 */
import { silentLogger } from '@hub/platform';
import { freePort } from '@hub/testing';
import { startLocalHub, type LocalHub } from '../services/hub/src/launcher/local-hub.js';

type Options = Parameters<typeof startLocalHub>[0];

export async function startTestLocalHub(dataDir: string, more: Partial<Options> = {}): Promise<LocalHub> {
  return startLocalHub({
    dataDir,
    host: '127.0.0.1',
    natsPort: await freePort(),
    logLevel: 'warn',
    logger: silentLogger(),
    // Five Node processes and nats-server starting at once on a shared 2-core machine.
    healthTimeoutMs: 150_000,
    ports: {
      'query-api': await freePort(),
      'market-supervision': await freePort(),
      'urban-construction': await freePort(),
      'public-safety': await freePort(),
      projector: await freePort(),
    },
    ...more,
  });
}
