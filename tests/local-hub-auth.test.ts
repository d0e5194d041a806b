/**
 * The local hub runs its nats-server with authorization: every service and department has its
 * own NKey identity. A department's credentials publish only to its own subjects and read
 * nothing of anyone else's traffic (acks, the projector's deliveries); without credentials
 * nothing connects; no secret is on a command line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  credentialsDir,
  encodeEvent,
  ensureDemoToken,
  signatureHeaders,
  signingKeyFromPem,
} from '@hub/platform';
import { EVENTS_STREAM, eventSubject, parseSubmittedEvent } from '@hub/domain';
import { sampleInspectionCompleted, sampleUscc, tempDir, waitFor } from '@hub/testing';
import type { LocalHub } from '../services/hub/src/launcher/local-hub.js';
import { startTestLocalHub } from './local-hub-fixture.js';

const HUB_CLI = fileURLToPath(new URL('../services/hub/dist/main.js', import.meta.url));
const run = promisify(execFile);

function directEvent(agency: string, n: number): { subject: string; data: Uint8Array } {
  const parsed = parseSubmittedEvent(sampleInspectionCompleted(n, { agency, recordId: `DIRECT-${n}` }));
  if (!parsed.ok) throw new Error('bad sample');
  const event = {
    ...parsed.value,
    eventId: `01950000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    recordedAt: new Date().toISOString(),
  };
  return { subject: eventSubject(agency, 'inspectionCompleted', sampleUscc(n)), data: encodeEvent(event) };
}

describe('local hub: one NATS identity per service and department', () => {
  const data = tempDir('hub-local-auth-');
  let hub: LocalHub;
  let admin: NatsConnection;
  const creds = (user: string) => join(credentialsDir(data.path), `${user}.nk`);
  const connectAs = (user: string) =>
    connectNats({
      servers: hub.natsUrl,
      name: `test-${user}`,
      creds: creds(user),
      waitOnFirstConnect: false,
    });
  const streamMessages = async () =>
    (await (await jetstreamManager(admin, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state.messages;

  beforeAll(async () => {
    hub = await startTestLocalHub(data.path);
    admin = await connectAs('admin');
  }, 200_000);

  afterAll(async () => {
    await admin?.close();
    await hub?.stop();
    data.remove();
  });

  it('keeps seeds readable by their owner only, and off every command line', () => {
    const dir = credentialsDir(data.path);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const seed = readFileSync(creds('dept-nyj'), 'utf8').match(/^SU[A-Z2-7]{56}$/m)?.[0];
    expect(seed).toBeDefined();
    expect(statSync(creds('dept-nyj')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'nats-auth.conf'), 'utf8')).not.toContain(seed!);
    for (const pid of [hub.nats!.pid, ...hub.services.map((s) => s.pid)]) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect(cmdline).not.toMatch(/S[A-Z][A-Z2-7]{56}/);
    }
  });

  it('refuses a connection without credentials', async () => {
    await expect(
      connectNats({ servers: hub.natsUrl, name: 'anonymous', waitOnFirstConnect: false }),
    ).rejects.toThrow(/Authorization Violation/);
  });

  it("lets a department publish its own events but not another department's", async () => {
    const nyj = await connectAs('dept-nyj');
    try {
      const js = jetstream(nyj, { timeout: 2000 });
      const before = await streamMessages();
      const own = directEvent('NYJ', 1);
      expect((await js.publish(own.subject, own.data, { msgID: 'NYJ/DIRECT-1/0' })).seq).toBeGreaterThan(0);
      const other = directEvent('LYJ', 2);
      await expect(js.publish(other.subject, other.data, { msgID: 'LYJ/DIRECT-2/0' })).rejects.toThrow();
      const service = directEvent('GSJ', 3);
      await expect(js.publish(service.subject, service.data, { msgID: 'GSJ/DIRECT-3/0' })).rejects.toThrow();
      expect(await streamMessages()).toBe(before + 1);
    } finally {
      await nyj.close();
    }
  });

  it("reads nothing of another agency's events: not the acks, not the projector's deliveries", async () => {
    const nyj = await connectAs('dept-nyj');
    const received: Msg[] = [];
    const refused: string[] = [];
    try {
      // Everything a curious department might try; the server refuses each subscription.
      for (const subject of ['>', '_INBOX.>', '_INBOX.projector.>', '_INBOX.market-supervision.>', 'enf.>']) {
        nyj.subscribe(subject, {
          callback: (err, msg) => {
            if (err) refused.push(subject);
            else received.push(msg);
          },
        });
      }
      await nyj.flush();
      const token = ensureDemoToken(data.path);
      const uscc = sampleUscc(5151);
      const post = await fetch(`${hub.urls['market-supervision']}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(sampleInspectionCompleted(5151, { uscc, recordId: 'AUTH-1' })),
      });
      expect(post.status).toBe(202);
      // Relayed (an ack on the service's inbox) and consumed (deliveries on the projector's).
      await waitFor(
        async () => {
          const res = await fetch(`${hub.urls['query-api']}/v1/businesses/${uscc}/history`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return res.status === 200 ? true : undefined;
        },
        { what: 'the event in the read model' },
      );
      await nyj.flush();
      expect(received).toEqual([]);
      expect(refused.sort()).toEqual(
        ['>', '_INBOX.>', '_INBOX.projector.>', '_INBOX.market-supervision.>', 'enf.>'].sort(),
      );
    } finally {
      await nyj.close();
    }
  });

  it('issues a direct publisher its files; what it signs with them reaches the history', async () => {
    const out = join(data.path, 'issued', 'nyj.nk');
    mkdirSync(join(data.path, 'issued'));
    const issued = await run(
      process.execPath,
      [HUB_CLI, 'credentials', 'issue', '--agency', 'NYJ', '--out', out],
      {
        env: { ...process.env, HUB_DATA_DIR: data.path },
      },
    );
    expect(issued.stdout).toContain('_INBOX.dept-nyj');
    expect(issued.stdout).not.toMatch(/S[A-Z][A-Z2-7]{56}/); // the seed is written, never printed
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const key = signingKeyFromPem('NYJ', readFileSync(join(data.path, 'issued', 'nyj.signing.pem'), 'utf8'));
    const nc = await connectNats({
      servers: hub.natsUrl,
      name: 'nyj-system',
      creds: out,
      waitOnFirstConnect: false,
    });
    try {
      const own = directEvent('NYJ', 9);
      const h = headers();
      for (const [k, v] of signatureHeaders(key, own.data)) h.set(k, v);
      await jetstream(nc, { timeout: 5000 }).publish(own.subject, own.data, {
        msgID: 'NYJ/DIRECT-9/0',
        headers: h,
      });
    } finally {
      await nc.close();
    }
    const token = ensureDemoToken(data.path);
    await waitFor(
      async () => {
        const res = await fetch(`${hub.urls['query-api']}/v1/businesses/${sampleUscc(9)}/history`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return res.status === 200 ? true : undefined;
      },
      { what: "the department's signed event in the history" },
    );
  });

  it('does not let a service manage streams or read consumers', async () => {
    const ms = await connectAs('market-supervision');
    try {
      const jsm = await jetstreamManager(ms, { timeout: 2000 });
      await expect(jsm.streams.delete(EVENTS_STREAM)).rejects.toThrow();
      await expect(jsm.consumers.add(EVENTS_STREAM, { durable_name: 'peek' })).rejects.toThrow();
    } finally {
      await ms.close();
    }
    expect(await streamMessages()).toBeGreaterThan(0);
  });
});
