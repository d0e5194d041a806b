import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';
import { HubError } from '@hub/domain';
import type { Logger } from '../logger.js';
import { inboxPrefixOf } from './auth.js';
import { readCredentialsFile, redactUrl } from './credentials.js';

export interface NatsOptions {
  servers: string;
  /** User and password (deploy/nats/auth.conf). */
  user?: string | undefined;
  pass?: string | undefined;
  /** A `.creds` or NKey seed file (the local hub's `<data>/credentials/<user>.nk`); wins over user/pass. */
  creds?: string | undefined;
  /**
   * Where replies arrive. Each identity may subscribe only under its own prefix. @default the
   * credentials file's `inbox-prefix`, else `_INBOX.<user>` with a user, else `_INBOX`
   */
  inboxPrefix?: string | undefined;
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
    ...authOptions(opts),
  };
  const nc = await connect(options).catch((err: unknown) => {
    // The cause is dropped: the client's error may quote the URL, with its password.
    const reason = redactUrl((err as Error).message);
    const hint = /authoriz|authenticat/i.test(reason)
      ? '请检查 NATS_CREDS 或 NATS_USER/NATS_PASS (check NATS_CREDS or NATS_USER/NATS_PASS)'
      : '平台是否已启动？(is the hub running? npm start, or set NATS_URL)';
    throw new HubError(
      'NATS_UNAVAILABLE',
      `无法连接 NATS (cannot connect to NATS at ${redactUrl(opts.servers)}): ${reason} — ${hint}`,
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

function authOptions(opts: NatsOptions): Partial<ConnectionOptions> {
  if (opts.creds) {
    const file = readCredentialsFile(opts.creds);
    const inboxPrefix =
      opts.inboxPrefix ??
      file.inboxPrefix ??
      (file.kind === 'nkey' && file.user ? inboxPrefixOf(file.user) : undefined);
    return {
      authenticator: file.kind === 'creds' ? credsAuthenticator(file.bytes) : nkeyAuthenticator(file.seed),
      ...(inboxPrefix ? { inboxPrefix } : {}),
    };
  }
  if (opts.user !== undefined && opts.user !== '') {
    return {
      user: opts.user,
      pass: opts.pass ?? '',
      inboxPrefix: opts.inboxPrefix ?? inboxPrefixOf(opts.user),
    };
  }
  return opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {};
}

/** The inbox prefix a connection was opened with: its own replies (e.g. the relay's acks) go under it. */
export const inboxPrefixOfConnection = (nc: NatsConnection): string =>
  (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix ?? '_INBOX';

/** NATS options from a service's or command's config (commonConfig). */
export const natsOptionsFrom = (
  config: {
    NATS_URL: string;
    NATS_USER?: string | undefined;
    NATS_PASS?: string | undefined;
    NATS_CREDS?: string | undefined;
    NATS_INBOX_PREFIX?: string | undefined;
  },
  name: string,
): NatsOptions => ({
  servers: config.NATS_URL,
  name,
  user: config.NATS_USER,
  pass: config.NATS_PASS,
  creds: config.NATS_CREDS,
  inboxPrefix: config.NATS_INBOX_PREFIX,
});
