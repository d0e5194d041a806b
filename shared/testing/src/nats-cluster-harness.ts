/**
 * A 3-node nats-server cluster on loopback ports, started from the node configuration that
 * deploy/ ships (`deploy/nats/cluster.conf`: routes, users and permissions from `auth.conf`),
 * so every cluster test also proves that file. Only the addresses move (three nodes share one
 * host): client, route and monitoring ports are given on the command line, the JetStream store
 * is a temporary folder per node. Every node is stopped by its own PID.
 *
 * @example
 * const cluster = await startTestNatsCluster();
 * const nc = await connect({ servers: cluster.servers, ...cluster.user('admin') });
 * await cluster.nodes[0].kill();      // a crash
 * await cluster.nodes[0].restart();   // same name, ports and store
 * await cluster.stop();
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNatsServer, type NatsServerProcess } from '@hub/platform';
import { freePort, tempDir, waitFor } from './nats-harness.js';

/** deploy/nats of this checkout. */
export const DEPLOY_NATS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../deploy/nats');

export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  running(): boolean;
  pid(): number | undefined;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM (lame duck), then SIGKILL after the grace period. */
  stop(): Promise<void>;
  /** Starts the node again on the same ports and store. */
  restart(): Promise<void>;
}

export interface TestNatsCluster {
  readonly nodes: readonly ClusterNode[];
  /** Client URLs of every node, for `connect({ servers })`. */
  readonly servers: string[];
  /** The same, comma-separated, as NATS_URL takes it. */
  readonly url: string;
  /** Credentials of a user of `auth.conf` (e.g. 'admin', 'projector', 'market-supervision'). */
  user(name: string): { user: string; pass: string };
  /** The environment a service needs to connect as `name`. */
  envFor(name: string): Record<string, string>;
  /** The node leading a stream (JetStream meta data from a node's monitoring port). */
  streamLeader(stream: string): Promise<ClusterNode>;
  stop(): Promise<void>;
}

/** Users and the environment variable holding each one's password, read from auth.conf. */
function authUsers(authConf: string): Map<string, string> {
  const users = new Map<string, string>();
  const re = /user:\s*"([^"]+)"\s*\n\s*password:\s*\$(NATS_PASS_[A-Z0-9_]+)/g;
  for (const m of authConf.matchAll(re)) users.set(m[1]!, m[2]!);
  return users;
}

export async function startTestNatsCluster(
  opts: { size?: number; configDir?: string } = {},
): Promise<TestNatsCluster> {
  const size = opts.size ?? 3;
  const configDir = opts.configDir ?? DEPLOY_NATS_DIR;
  const config = join(configDir, 'cluster.conf');
  const users = authUsers(readFileSync(join(configDir, 'auth.conf'), 'utf8'));
  // nats-server parses a variable's value as a config value: a password starting with a digit
  // is read as a number and refused, so these start with a letter.
  const passwords = new Map([...users.values()].map((v) => [v, `p${randomBytes(12).toString('hex')}`]));
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({
      client: await freePort(),
      route: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = Object.fromEntries(
    ports.map((p, i) => [`NATS_ROUTE_${i + 1}`, `nats-route://127.0.0.1:${p.route}`]),
  );
  const nodes = ports.map((p, i) => {
    const name = `hub-nats-${i + 1}`;
    const storeDir = tempDir(`hub-nats-${i + 1}-`).path;
    let proc: NatsServerProcess | undefined;
    let log: string[] = [];
    const start = async () => {
      log = [];
      proc = await startNatsServer({
        onLog: (line) => void (log.push(line) > 50 && log.shift()),
        storeDir,
        port: p.client,
        args: ['-c', config, '-m', String(p.monitor), '--cluster', `nats://127.0.0.1:${p.route}`],
        env: { ...process.env, ...Object.fromEntries(passwords), ...routes, NATS_SERVER_NAME: name },
      }).catch((err: unknown) => {
        throw new Error(`${name}: ${String(err)}\n${log.join('\n')}`);
      });
    };
    const node: ClusterNode & { start(): Promise<void> } = {
      name,
      url: `nats://127.0.0.1:${p.client}`,
      port: p.client,
      monitorPort: p.monitor,
      storeDir,
      running: () => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null,
      pid: () => proc?.pid,
      start,
      kill: async () => {
        await proc?.kill();
      },
      stop: async () => {
        await proc?.stop();
      },
      restart: async () => {
        await proc?.stop();
        await start();
      },
    };
    return node;
  });
  try {
    await Promise.all(nodes.map((n) => n.start()));
    // Ready when every node sees the others and JetStream has a meta leader.
    await waitFor(
      async () => {
        const all = await Promise.all(nodes.map((n) => monitor(n.monitorPort, '/jsz')));
        return all.every((j) => j?.meta_cluster?.leader && (j.meta_cluster.cluster_size ?? 0) >= size)
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the NATS cluster to elect a JetStream leader' },
    );
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    throw err;
  }
  const user = (name: string) => {
    const env = users.get(name);
    const pass = env && passwords.get(env);
    if (!pass) throw new Error(`auth.conf has no user ${name}`);
    return { user: name, pass };
  };
  const servers = nodes.map((n) => n.url);
  return {
    nodes,
    servers,
    url: servers.join(','),
    user,
    envFor: (name) => {
      const c = user(name);
      return { NATS_URL: servers.join(','), NATS_USER: c.user, NATS_PASS: c.pass };
    },
    async streamLeader(stream) {
      return waitFor(
        async () => {
          for (const n of nodes) {
            if (!n.running()) continue;
            const j = await monitor(n.monitorPort, '/jsz?accounts=true&streams=true');
            const s = j?.account_details
              ?.flatMap((a) => a.stream_detail ?? [])
              .find((d) => d.name === stream);
            const leader = s?.cluster?.leader;
            const node = leader ? nodes.find((x) => x.name === leader && x.running()) : undefined;
            if (node) return node;
          }
          return undefined;
        },
        { timeoutMs: 20_000, what: `a leader for stream ${stream}` },
      );
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      for (const n of nodes) rmSync(n.storeDir, { recursive: true, force: true });
    },
  };
}

interface Jsz {
  meta_cluster?: { leader?: string; cluster_size?: number };
  account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[];
}

async function monitor(port: number, path: string): Promise<Jsz | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return res.ok ? ((await res.json()) as Jsz) : undefined;
  } catch {
    return undefined;
  }
}
