/**
 * The hub on a 3-node JetStream cluster (deploy/nats/cluster.conf on loopback ports), the failure
 * drills of docs/operations.md: `hub streams apply --replicas 3` with admin credentials; the
 * stream leader killed in the middle of ingest through an agency service; a non-leader killed;
 * a node restarted. Every event answered 202 ends up in the stream exactly once and in the read
 * model; services run with their own restricted users.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY_CODES, EVENTS_STREAM } from '@hub/domain';
import {
  decodeEventJson,
  ensureDemoToken,
  ensureKeysRegistered,
  loadOrCreateSigningKey,
} from '@hub/platform';
import { currentReadModelPath, openReadModel } from '@hub/read-model';
import {
  sampleInspectionCompleted,
  startTestNatsCluster,
  tempDir,
  waitFor,
  type ClusterNode,
  type TestNatsCluster,
} from '@hub/testing';
import { burst, spawnAgencyService, type ServiceProcess } from './agency-process.js';

const hubCli = fileURLToPath(new URL('../services/hub/dist/main.js', import.meta.url));

/**
 * Every message of ENF_EVENTS: its Nats-Msg-Id and event id. Read one by one from the stream
 * leader rather than through a consumer: with a node down, nats-server 2.9 may place an
 * ephemeral consumer on the offline peer, and its creation then waits for the API timeout.
 */
async function readStream(nc: NatsConnection): Promise<{ msgId: string | undefined; eventId: string }[]> {
  const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: 10_000 });
  const { messages, first_seq: first, last_seq: last } = (await jsm.streams.info(EVENTS_STREAM)).state;
  const out: { msgId: string | undefined; eventId: string }[] = [];
  for (let seq = first; messages > 0 && seq <= last; seq++) {
    const m = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
    if (m)
      out.push({ msgId: m.header.get('Nats-Msg-Id'), eventId: decodeEventJson(m.data).eventId as string });
  }
  return out;
}

/** Waits until every replica of ENF_EVENTS is online and current. */
async function replicasCurrent(jsm: JetStreamManager): Promise<void> {
  await waitFor(
    async () => {
      const info = await jsm.streams.info(EVENTS_STREAM);
      const replicas = info.cluster?.replicas ?? [];
      return info.cluster?.leader && replicas.length === 2 && replicas.every((r) => r.current && !r.offline)
        ? true
        : undefined;
    },
    { what: 'every replica of ENF_EVENTS current', timeoutMs: 90_000, intervalMs: 200 },
  );
}

describe('the hub on a 3-node JetStream cluster', () => {
  const data = tempDir('hub-cluster-');
  let cluster: TestNatsCluster;
  let admin: NatsConnection;
  let agency: ServiceProcess | undefined;
  let projector: ServiceProcess | undefined;
  let token: string;
  const accepted = new Map<string, string>();

  beforeAll(async () => {
    cluster = await startTestNatsCluster();
    admin = await connect({ servers: cluster.servers, ...cluster.user('admin') });
    token = ensureDemoToken(data.path);
  });
  afterAll(async () => {
    await agency?.stop();
    await projector?.stop();
    await admin?.close();
    await cluster?.stop();
    data.remove();
  }, 120_000);

  it(
    '`hub streams apply --replicas 3` needs the admin user and makes every stream R3',
    { timeout: 180_000 },
    async () => {
      const jsm = await jetstreamManager(admin, { checkAPI: false });
      const run = (user: string) =>
        spawnSync(process.execPath, [hubCli, 'streams', 'apply', '--replicas', '3'], {
          env: { ...process.env, ...cluster.envFor(user), HUB_DATA_DIR: data.path },
          encoding: 'utf8',
        });
      const denied = run('market-supervision');
      expect(denied.status).toBe(1);
      expect(denied.stderr).toMatch(/FORBIDDEN|无权/);
      const ok = run('admin');
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/ENF_EVENTS\s+已创建 created/);
      for (const name of ['ENF_EVENTS', 'ENF_ALERTS', 'ENF_DLQ']) {
        expect((await jsm.streams.info(name)).config.num_replicas, name).toBe(3);
      }
      // Applying again leaves them as they are.
      expect(run('admin').stdout).toMatch(/ENF_EVENTS\s+无变化 unchanged/);
    },
  );

  it(
    'the stream leader killed mid-ingest: every 202 is in the stream exactly once and in the read model',
    { timeout: 300_000 },
    async () => {
      const jsm = await jetstreamManager(admin, { checkAPI: false });
      await replicasCurrent(jsm);
      // Services connect with their own users, which may not manage streams: they warn and start.
      agency = await spawnAgencyService('market-supervision', {
        HUB_DATA_DIR: data.path,
        ...cluster.envFor('market-supervision'),
      });
      // The committee office registers the departments' signing keys, as `hub start` does.
      await ensureKeysRegistered(
        admin,
        AGENCY_CODES.map((a) => loadOrCreateSigningKey(data.path, a)),
        '执委会办公室 (test)',
      );
      projector = await spawnAgencyService('projector', {
        HUB_DATA_DIR: data.path,
        ...cluster.envFor('projector'),
      });
      const svc = agency;
      let killed: ClusterNode | undefined;
      const result = await burst({
        url: () => svc.url,
        token,
        total: 600,
        perRequest: 5,
        concurrency: 4,
        event: (i) => sampleInspectionCompleted(i, { recordId: `LEADER-${i}` }),
        onProgress: async (n) => {
          if (!killed && n >= 150) {
            killed = await cluster.streamLeader(EVENTS_STREAM);
            await killed.kill();
          }
        },
      });
      expect(killed).toBeDefined();
      expect(result.failed).toBe(0);
      for (const [k, v] of result.accepted) accepted.set(k, v);

      const streamed = await waitFor(
        async () => {
          const all = await readStream(admin);
          return all.length >= accepted.size ? all : undefined;
        },
        { what: 'every accepted event in the stream', timeoutMs: 120_000, intervalMs: 250 },
      );
      const ids = streamed.map((m) => m.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(streamed.map((m) => m.msgId)).size).toBe(streamed.length);
      const inStream = new Set(ids);
      expect([...accepted.values()].filter((id) => !inStream.has(id))).toEqual([]);

      // The killed node comes back and catches up from the new leader.
      await killed!.restart();
      await replicasCurrent(jsm);

      const db = openReadModel({ path: currentReadModelPath(data.path) });
      try {
        const rows = await waitFor(
          async () => {
            const r = await db.selectFrom('timeline').select('event_id').execute();
            if (r.length >= accepted.size) return r;
            const health = await fetch(`${projector!.url}/healthz`).then((res) => res.text());
            throw new Error(`${r.length} of ${accepted.size} applied; projector: ${health}`);
          },
          { what: 'the read model caught up', timeoutMs: 120_000, intervalMs: 250 },
        );
        const inModel = new Set(rows.map((r) => r.event_id));
        expect(inModel.size).toBe(rows.length);
        expect([...accepted.values()].filter((id) => !inModel.has(id))).toEqual([]);
      } finally {
        await db.destroy();
      }
    },
  );

  it(
    'a non-leader killed: ingest goes on, and the node catches up when it returns',
    { timeout: 120_000 },
    async () => {
      const jsm = await jetstreamManager(admin, { checkAPI: false });
      // Every node up, whatever the drill before left behind.
      for (const n of cluster.nodes) if (!n.running()) await n.restart();
      await replicasCurrent(jsm);
      const leader = await cluster.streamLeader(EVENTS_STREAM);
      const follower = cluster.nodes.find((n) => n !== leader && n.running())!;
      await follower.kill();
      // The admin connection may be moving to another node: JetStream API calls are retried.
      const before = await waitFor(async () => (await jsm.streams.info(EVENTS_STREAM)).state.messages, {
        what: 'stream info',
      });
      const svc = agency!;
      const result = await burst({
        url: () => svc.url,
        token,
        total: 200,
        perRequest: 5,
        concurrency: 4,
        event: (i) => sampleInspectionCompleted(i, { recordId: `FOLLOWER-${i}` }),
      });
      expect(result.failed).toBe(0);
      // "No pause beyond a few seconds": with two of three nodes the stream keeps its quorum.
      await waitFor(
        async () =>
          (await jsm.streams.info(EVENTS_STREAM)).state.messages >= before + 200 ? true : undefined,
        { what: 'the burst in the stream while a follower is down', timeoutMs: 10_000, intervalMs: 100 },
      );
      await follower.restart();
      await replicasCurrent(jsm);
      const all = await waitFor(() => readStream(admin), { what: 'the stream read back' });
      expect(all.length).toBe(accepted.size + 200);
      expect(new Set(all.map((m) => m.eventId)).size).toBe(accepted.size + 200);
    },
  );
});
