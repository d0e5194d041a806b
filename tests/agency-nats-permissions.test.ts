/**
 * deploy/nats/auth.conf on a real nats-server: each agency service's credentials publish to its
 * own departments' subjects and nowhere else, and a service runs with them.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectNats, encodeEvent, ensureDemoToken, ensureStreams } from '@hub/platform';
import { eventSubject, parseSubmittedEvent } from '@hub/domain';
import {
  sampleInspectionCompleted,
  sampleUscc,
  startTestNats,
  tempDir,
  waitFor,
  type TestNats,
} from '@hub/testing';
import { natsAuthConfig, natsUsers, passwordVariable, startAgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, postJson } from './agency-fixtures.js';

const AUTH_CONF = fileURLToPath(new URL('../deploy/nats/auth.conf', import.meta.url));
const password = (user: string) => `test-${user}-secret`;

function bytesOf(agency: string): { subject: string; data: Uint8Array } {
  const parsed = parseSubmittedEvent(sampleInspectionCompleted(1, { agency }));
  if (!parsed.ok) throw new Error('bad sample');
  const event = {
    ...parsed.value,
    eventId: '01950000-0000-7000-8000-00000000000a',
    recordedAt: new Date().toISOString(),
  };
  return { subject: eventSubject(agency, 'inspectionCompleted', sampleUscc(1)), data: encodeEvent(event) };
}

describe('NATS credentials confine each service to its departments', () => {
  const dir = tempDir('hub-nats-auth-');
  let nats: TestNats;

  beforeAll(async () => {
    // The committed auth block, included by a test config that leaves port and store to the harness.
    copyFileSync(AUTH_CONF, join(dir.path, 'auth.conf'));
    writeFileSync(join(dir.path, 'test.conf'), 'include ./auth.conf\n');
    for (const u of natsUsers()) process.env[passwordVariable(u.user)] = password(u.user);
    nats = await startTestNats({ args: ['-c', join(dir.path, 'test.conf')] });
    const admin = await connectNats({
      servers: nats.url,
      name: 'admin',
      user: 'admin',
      pass: password('admin'),
    });
    await ensureStreams(admin);
    await admin.close();
  });
  afterAll(async () => {
    await nats?.stop();
    dir.remove();
  });

  it('the committed deploy/nats/auth.conf is what the generator writes', () => {
    expect(readFileSync(AUTH_CONF, 'utf8')).toBe(natsAuthConfig());
  });

  it('lets market-supervision publish for GSJ but not for CGJ (urban construction)', async () => {
    const nc = await connectNats({
      servers: nats.url,
      name: 't',
      user: 'market-supervision',
      pass: password('market-supervision'),
    });
    try {
      const js = jetstream(nc, { timeout: 1500 });
      const own = bytesOf('GSJ');
      const ack = await js.publish(own.subject, own.data, { msgID: 'GSJ/perm-1/0' });
      expect(ack.seq).toBe(1);
      const other = bytesOf('CGJ');
      await expect(js.publish(other.subject, other.data, { msgID: 'CGJ/perm-1/0' })).rejects.toThrow();
      expect(await streamCountAsAdmin()).toBe(1);
    } finally {
      await nc.close();
    }
  });

  it('refuses a wrong password', async () => {
    await expect(
      connectNats({ servers: nats.url, name: 't', user: 'public-safety', pass: 'wrong' }).then((nc) =>
        nc.close(),
      ),
    ).rejects.toThrow();
  });

  it('runs an agency service with its own credentials', async () => {
    const data = tempDir('hub-nats-auth-svc-');
    const token = ensureDemoToken(data.path);
    const { url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      natsUser: 'market-supervision',
      natsPass: password('market-supervision'),
    });
    try {
      const res = await postJson(url, sampleInspectionCompleted(2, { recordId: 'PERM-2' }), token);
      expect(res.status).toBe(202);
      await waitFor(async () => ((await streamCountAsAdmin()) === 2 ? true : undefined), {
        what: 'relay with restricted credentials',
      });
      expect(service.outbox.stats().pending).toBe(0);
    } finally {
      await service.close();
      data.remove();
    }
  });

  async function streamCountAsAdmin(): Promise<number> {
    const nc = await connectNats({
      servers: nats.url,
      name: 'count',
      user: 'admin',
      pass: password('admin'),
    });
    try {
      return (await (await jetstreamManager(nc)).streams.info('ENF_EVENTS')).state.messages;
    } finally {
      await nc.close();
    }
  }
});
