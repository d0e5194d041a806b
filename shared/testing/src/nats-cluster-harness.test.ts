/**
 * The loopback cluster runs deploy/nats/cluster.conf as shipped: three routed nodes, a
 * JetStream meta leader, users and permissions from auth.conf.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNatsCluster, type TestNatsCluster } from './nats-cluster-harness.js';

describe('startTestNatsCluster', () => {
  let cluster: TestNatsCluster;
  let nc: NatsConnection;
  beforeAll(async () => {
    cluster = await startTestNatsCluster();
    nc = await connect({ servers: cluster.servers, ...cluster.user('admin') });
  });
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('forms a 3-node JetStream cluster that places R3 streams', async () => {
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    const info = await jsm.streams.add({ name: 'HARNESS', subjects: ['harness.>'], num_replicas: 3 });
    expect(info.cluster?.replicas?.length).toBe(2);
    const leader = await cluster.streamLeader('HARNESS');
    expect(cluster.nodes.map((n) => n.name)).toContain(leader.name);
  });

  it('applies auth.conf: a service user may not create streams', async () => {
    const svc = await connect({ servers: cluster.servers, ...cluster.user('market-supervision') });
    try {
      const jsm = await jetstreamManager(svc, { checkAPI: false });
      await expect(jsm.streams.add({ name: 'NOPE', subjects: ['nope.>'] })).rejects.toThrow();
    } finally {
      await svc.close();
    }
  });
});
