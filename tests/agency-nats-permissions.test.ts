/**
 * deploy/nats/auth.conf on a real nats-server, run as deploy/ documents it: the streams created
 * by the admin command (`hub streams apply`), then each service and the projector with its own
 * user. Each service's credentials publish to its own departments' subjects and nowhere else;
 * a department reads nothing of another's replies.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectNats, encodeEvent, ensureDemoToken } from '@hub/platform';
import { eventSubject, parseSubmittedEvent } from '@hub/domain';
import {
  freePort,
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
const ROOT = fileURLToPath(new URL('..', import.meta.url));
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
    // As deploy/ documents: the operator creates the streams with the admin identity.
    const denied = await hub(['streams', 'apply'], {
      NATS_USER: 'projector',
      NATS_PASS: password('projector'),
    });
    expect(denied.code).toBe(1);
    const applied = await hub(['streams', 'apply'], { NATS_USER: 'admin', NATS_PASS: password('admin') });
    expect(applied.out).toMatch(/ENF_EVENTS\s+已创建 created/);
    expect(applied.code).toBe(0);
  });

  /** `hub` as a child process, with the password in its environment (never its arguments). */
  function hub(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'services/hub/dist/main.js'), ...args], {
        env: { ...process.env, NATS_URL: nats.url, HUB_DATA_DIR: dir.path, ...env },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.once('exit', (code) => resolve({ code, out }));
    });
  }
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
      config: { RECONCILE_SETTLE_MS: 0 },
    });
    try {
      const res = await postJson(url, sampleInspectionCompleted(2, { recordId: 'PERM-2' }), token);
      expect(res.status).toBe(202);
      // The relay marks the row published once the stream's ack is back, a moment after the
      // stream already holds the event: wait for both.
      await waitFor(
        async () =>
          (await streamCountAsAdmin()) === 2 && service.outbox.stats().pending === 0 ? true : undefined,
        { what: 'relay with restricted credentials' },
      );
      // Reconciliation reads the record back with the same identity (single-message get only).
      expect(await service.reconciler()?.runOnce()).toMatchObject({ checked: 1, confirmed: 1, missing: 0 });
    } finally {
      await service.close();
      data.remove();
    }
  });

  it('runs the projector with its own user, after the streams exist (no stream management)', async () => {
    const data = tempDir('hub-nats-auth-projector-');
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'services/projector/dist/main.js')], {
      env: {
        ...process.env,
        NATS_URL: nats.url,
        NATS_USER: 'projector',
        NATS_PASS: password('projector'),
        HUB_DATA_DIR: data.path,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        PROJECTOR_ALLOW_UNSIGNED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const applied = await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`projector exited: ${stderr}`);
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          const seq = Number(/^hub_projector_applied_seq (\d+)/m.exec(text)?.[1] ?? 0);
          return seq >= 1 ? seq : undefined;
        },
        { what: 'the projector applying events as its own user', timeoutMs: 60_000 },
      );
      expect(applied).toBeGreaterThanOrEqual(1);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // The dead-letter retry request reaches the projector, and its answer comes back.
      const retry = await hub(['dlq', 'retry', '1'], { NATS_USER: 'admin', NATS_PASS: password('admin') });
      expect(retry.out).toMatch(/没有序号为 1 的死信|no dead letter/);
      expect(stderr).not.toMatch(/Permissions Violation/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      data.remove();
    }
  });

  it("keeps each identity's replies to itself: a department may not read another's inbox", async () => {
    const nc = await connectNats({
      servers: nats.url,
      name: 't',
      user: 'dept-nyj',
      pass: password('dept-nyj'),
    });
    try {
      const refused: string[] = [];
      for (const subject of ['_INBOX.>', '_INBOX.market-supervision.>', '_INBOX.projector.>']) {
        nc.subscribe(subject, {
          callback: (err) => {
            if (err) refused.push(subject);
          },
        });
      }
      const own = nc.subscribe('_INBOX.dept-nyj.x');
      await nc.flush();
      await waitFor(() => (refused.length === 3 ? true : undefined), { what: 'three refusals' });
      expect(own.isClosed()).toBe(false);
    } finally {
      await nc.close();
    }
  });

  it('names no password in a connection error', async () => {
    const err = await connectNats({
      servers: nats.url.replace('nats://', 'nats://admin:not-the-password@'),
      name: 't',
      waitOnFirstConnect: false,
    }).catch((e: unknown) => e as Error);
    expect(String((err as Error).message)).toMatch(/admin:\*\*\*@/);
    expect(String((err as Error).message)).not.toContain('not-the-password');
  });

  async function streamCountAsAdmin(): Promise<number> {
    const nc = await connectNats({
      servers: nats.url,
      name: 'count',
      user: 'admin',
      pass: password('admin'),
    });
    try {
      return (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info('ENF_EVENTS')).state
        .messages;
    } finally {
      await nc.close();
    }
  }
});
