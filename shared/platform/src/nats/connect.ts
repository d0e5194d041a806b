import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { HubError } from '@hub/domain';
import type { Logger } from '../logger.js';

export interface NatsOptions {
  servers: string;
  /** Credentials for an agency service or the projector (deploy/nats); none locally. */
  user?: string | undefined;
  pass?: string | undefined;
  name: string;
  /**
   * Services wait for NATS however long it takes (they work without it meanwhile); a command
   * line tool should say at once that NATS is not there. @default true
   */
  waitOnFirstConnect?: boolean;
}

/**
 * Connects with endless reconnects: services keep working (accepting into the outbox,
 * answering queries) while NATS is away, and pick up when it returns.
 *
 * `noAsyncTraces` roughly doubles pipelined publish throughput: the client otherwise builds
 * an Error with a stack for every request it might need to reject.
 */
export async function connectNats(opts: NatsOptions, log?: Logger): Promise<NatsConnection> {
  const options: ConnectionOptions = {
    servers: opts.servers.split(','),
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    noAsyncTraces: true,
    waitOnFirstConnect: opts.waitOnFirstConnect ?? true,
    ...(opts.user !== undefined ? { user: opts.user, pass: opts.pass ?? '' } : {}),
  };
  const nc = await connect(options).catch((err: unknown) => {
    throw new HubError(
      'NATS_UNAVAILABLE',
      `无法连接 NATS (cannot connect to NATS at ${opts.servers}): ${(err as Error).message} — 平台是否已启动？(is the hub running? npm start, or set NATS_URL)`,
      { cause: err },
    );
  });
  if (log) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
          log.warn({ nats: s.type, server: 'server' in s ? s.server : undefined }, `NATS ${s.type}`);
        }
      }
    })();
  }
  return nc;
}
