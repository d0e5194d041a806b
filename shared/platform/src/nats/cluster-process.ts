/**
 * A nats-server cluster as child processes on one host, from deploy/nats/cluster.conf (routes,
 * users and permissions): `hub start --cluster 3` and the tests' loopback cluster. Only the
 * ports move (several nodes share one host); each node has its own JetStream store. Every node
 * is signalled by its own PID.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNatsServer, type NatsServerProcess } from './server-process.js';

export interface ClusterNodeSpec {
  name: string;
  /** Client port. */
  port: number;
  routePort: number;
  monitorPort: number;
  storeDir: string;
}

export interface ClusterNodeProcess {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  running(): boolean;
  pid(): number | undefined;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
  /** Starts the node again on the same ports and store. */
  restart(): Promise<void>;
}

export interface NatsClusterProcess {
  readonly nodes: readonly ClusterNodeProcess[];
  /** Client URLs, comma-separated, as NATS_URL takes them. */
  readonly url: string;
  /** Credentials of a user of auth.conf ('admin', 'projector', 'market-supervision', …). */
  user(name: string): { user: string; pass: string };
  stop(): Promise<void>;
}

/** Users of auth.conf and the variable holding each one's password. */
export function natsAuthUsers(authConf: string): Map<string, string> {
  const users = new Map<string, string>();
  const re = /user:\s*"([^"]+)"\s*\n\s*password:\s*\$(NATS_PASS_[A-Z0-9_]+)/g;
  for (const m of authConf.matchAll(re)) users.set(m[1]!, m[2]!);
  return users;
}

/**
 * Starts every node (they find each other through their routes) and returns once all listen;
 * passwords are generated for every user of auth.conf unless given.
 *
 * @example
 * const cluster = await startNatsCluster({ configDir: 'deploy/nats', host: '127.0.0.1', nodes });
 * const nc = await connectNats({ servers: cluster.url, ...cluster.user('admin'), name: 'ops' });
 */
export async function startNatsCluster(opts: {
  /** Folder holding cluster.conf and auth.conf. */
  configDir: string;
  host: string;
  nodes: readonly ClusterNodeSpec[];
  passwords?: ReadonlyMap<string, string>;
  onLog?: (node: string, line: string) => void;
}): Promise<NatsClusterProcess> {
  const config = join(opts.configDir, 'cluster.conf');
  const users = natsAuthUsers(readFileSync(join(opts.configDir, 'auth.conf'), 'utf8'));
  // nats-server parses a variable's value as a config value: a password starting with a digit
  // would be read as a number and refused, so generated ones start with a letter.
  const passwords = new Map(
    [...users.values()].map((v) => [v, opts.passwords?.get(v) ?? `p${randomBytes(16).toString('hex')}`]),
  );
  const routes = Object.fromEntries(
    opts.nodes.map((n, i) => [`NATS_ROUTE_${i + 1}`, `nats-route://${opts.host}:${n.routePort}`]),
  );
  const nodes = opts.nodes.map((spec) => {
    let proc: NatsServerProcess | undefined;
    let log: string[] = [];
    const start = async () => {
      log = [];
      proc = await startNatsServer({
        storeDir: spec.storeDir,
        port: spec.port,
        host: opts.host,
        args: [
          '-c',
          config,
          '-m',
          String(spec.monitorPort),
          '--cluster',
          `nats://${opts.host}:${spec.routePort}`,
        ],
        env: { ...process.env, ...Object.fromEntries(passwords), ...routes, NATS_SERVER_NAME: spec.name },
        onLog: (line) => {
          if (log.push(line) > 50) log.shift();
          opts.onLog?.(spec.name, line);
        },
      }).catch((err: unknown) => {
        throw new Error(`${spec.name}: ${String(err)}\n${log.join('\n')}`, { cause: err });
      });
    };
    const node: ClusterNodeProcess & { start(): Promise<void> } = {
      name: spec.name,
      url: `nats://${opts.host}:${spec.port}`,
      port: spec.port,
      monitorPort: spec.monitorPort,
      storeDir: spec.storeDir,
      running: () => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null,
      pid: () => proc?.pid,
      start,
      kill: async () => void (await proc?.kill()),
      stop: async () => void (await proc?.stop()),
      restart: async () => {
        await proc?.stop();
        await start();
      },
    };
    return node;
  });
  const started = await Promise.allSettled(nodes.map((n) => n.start()));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((n) => n.kill()));
    throw failed.reason;
  }
  const user = (name: string) => {
    const variable = users.get(name);
    const pass = variable && passwords.get(variable);
    if (!pass) throw new Error(`auth.conf has no user ${name}`);
    return { user: name, pass };
  };
  return {
    nodes,
    url: nodes.map((n) => n.url).join(','),
    user,
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
  };
}
