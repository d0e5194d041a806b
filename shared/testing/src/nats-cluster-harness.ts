/**
 * A 3-node nats-server cluster on loopback ports, started from the node configuration that
 * deploy/ ships (`deploy/nats/cluster.conf`: routes, users and permissions from `auth.conf`),
 * so every cluster test also proves that file. Free ports, a temporary store per node; every
 * node is stopped by its own PID.
 *
 * @example
 * const cluster = await startTestNatsCluster();
 * const nc = await connect({ servers: cluster.servers, ...cluster.user('admin') });
 * await cluster.nodes[0].kill();      // a crash
 * await cluster.nodes[0].restart();   // same name, ports and store
 * await cluster.stop();
 */
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNatsCluster, type ClusterNodeProcess, type ClusterNodeSpec } from '@hub/platform';
import { freePort, tempDir, waitFor } from './nats-harness.js';

/** deploy/nats of this checkout. */
export const DEPLOY_NATS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../deploy/nats');

export type ClusterNode = ClusterNodeProcess;

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
  /** The running node leading a stream (from the nodes' monitoring ports). */
  streamLeader(stream: string): Promise<ClusterNode>;
  stop(): Promise<void>;
}

export async function startTestNatsCluster(opts: { size?: number } = {}): Promise<TestNatsCluster> {
  const size = opts.size ?? 3;
  const specs: ClusterNodeSpec[] = [];
  for (let i = 1; i <= size; i++) {
    specs.push({
      name: `hub-nats-${i}`,
      port: await freePort(),
      routePort: await freePort(),
      monitorPort: await freePort(),
      storeDir: tempDir(`hub-nats-${i}-`).path,
    });
  }
  const cluster = await startNatsCluster({ configDir: DEPLOY_NATS_DIR, host: '127.0.0.1', nodes: specs });
  const { nodes } = cluster;
  const removeStores = () => specs.forEach((s) => rmSync(s.storeDir, { recursive: true, force: true }));
  try {
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
    removeStores();
    throw err;
  }
  const servers = nodes.map((n) => n.url);
  return {
    nodes,
    servers,
    url: cluster.url,
    user: (name) => cluster.user(name),
    envFor: (name) => {
      const c = cluster.user(name);
      return { NATS_URL: cluster.url, NATS_USER: c.user, NATS_PASS: c.pass };
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
      await cluster.stop();
      removeStores();
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
