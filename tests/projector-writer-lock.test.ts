/**
 * One writer per read model, held by a lock the OS releases when the process dies: a projector
 * killed with SIGKILL and started again at once always starts (whatever became of the old
 * PID: a zombie its parent has not reaped yet, a PID reused by another process), and a second
 * live projector on the same files is refused with READ_MODEL_LOCKED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureStreams } from '@hub/platform';
import { startTestNats, tempDir, type TestNats } from '@hub/testing';
import { publishEvents, sampleEvents } from '@hub/projector';

const MAIN = join(import.meta.dirname, '..', 'services', 'projector', 'dist', 'main.js');

let nats: TestNats;
let nc: NatsConnection;
const dir = tempDir('projector-lock-');

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'lock-test' });
  await ensureStreams(nc);
  await publishEvents(nc, sampleEvents(2000, { businesses: 100 }));
});
afterAll(async () => {
  await nc.close();
  await nats.stop();
  dir.remove();
});

interface Started {
  pid: number;
  /** 'started' once the projector logged it; 'exited' with its output when it gave up. */
  outcome: Promise<{ kind: 'started' } | { kind: 'exited'; output: string }>;
  exited: Promise<void>;
  child?: ChildProcess;
}

const env = () => ({
  ...process.env,
  NATS_URL: nats.url,
  HUB_DATA_DIR: dir.path,
  PORT: '0',
  LOG_LEVEL: 'info',
  PROJECTOR_BATCH_SIZE: '200',
  // The sample stream is unsigned: the migration switch (signatures: tests/signed-events).
  PROJECTOR_ALLOW_UNSIGNED: 'true',
});

function watch(child: ChildProcess, pidOf: () => number | undefined): Started {
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const outcome = new Promise<{ kind: 'started' } | { kind: 'exited'; output: string }>((resolve) => {
    const onData = (chunk: string) => {
      output += chunk;
      if (output.includes('"msg":"projector started"')) resolve({ kind: 'started' });
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', onData);
    void exited.then(() => resolve({ kind: 'exited', output }));
  });
  return {
    get pid() {
      return pidOf()!;
    },
    outcome,
    exited,
    child,
  };
}

/** The built projector as a child of this process (reaped by Node as soon as it dies). */
function spawnProjector(): Started {
  const child = spawn(process.execPath, [MAIN], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  return watch(child, () => child.pid);
}

/**
 * The projector as the child of a parent that does not reap it (as a slow supervisor, or a
 * container whose PID 1 does not wait): once killed it stays a zombie, and its PID still
 * answers kill(pid, 0).
 */
async function spawnUnderNonReapingParent(): Promise<{ started: Started; parent: ChildProcess }> {
  const script = [
    'import subprocess, sys',
    `p = subprocess.Popen([sys.argv[1], sys.argv[2]], stdout=sys.stdout, stderr=sys.stderr)`,
    'sys.stderr.write("PID %d\\n" % p.pid); sys.stderr.flush()',
    'sys.stdin.read()',
  ].join('\n');
  const parent = spawn('python3', ['-c', script, process.execPath, MAIN], {
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let pid: number | undefined;
  const started = watch(parent, () => pid);
  await new Promise<void>((resolve) => {
    parent.stderr?.on('data', (c: Buffer | string) => {
      const m = /PID (\d+)/.exec(String(c));
      if (m && pid === undefined) {
        pid = Number(m[1]);
        resolve();
      }
    });
  });
  return { started, parent };
}

describe('read model writer lock', () => {
  it('a second live projector on the same read model is refused with READ_MODEL_LOCKED', async () => {
    const first = spawnProjector();
    expect((await first.outcome).kind).toBe('started');
    const second = spawnProjector();
    const outcome = await second.outcome;
    expect(outcome.kind).toBe('exited');
    expect(outcome.kind === 'exited' && outcome.output).toMatch(/READ_MODEL_LOCKED/);
    process.kill(first.pid, 'SIGTERM');
    await first.exited;
  }, 120_000);

  it('starts at once after its predecessor was killed and left a zombie', async () => {
    const { started, parent } = await spawnUnderNonReapingParent();
    let next: Started | undefined;
    try {
      expect((await started.outcome).kind).toBe('started');
      process.kill(started.pid, 'SIGKILL');
      // The killed projector is a zombie now: its PID exists until the parent reaps it.
      expect(() => process.kill(started.pid, 0)).not.toThrow();
      next = spawnProjector();
      const outcome = await next.outcome;
      expect(outcome.kind === 'exited' ? outcome.output : 'started').toBe('started');
    } finally {
      parent.stdin?.end(); // the parent exits, the zombie goes with it
      await started.exited;
      if (next?.child?.exitCode === null) process.kill(next.pid, 'SIGTERM');
      await next?.exited;
    }
  }, 120_000);

  it('killed with SIGKILL and restarted at once, four times: never READ_MODEL_LOCKED', async () => {
    let current = spawnProjector();
    for (let i = 0; i < 4; i++) {
      const outcome = await current.outcome;
      expect(outcome.kind === 'exited' ? outcome.output : 'started', `restart ${i}`).toBe('started');
      process.kill(current.pid, 'SIGKILL');
      current = spawnProjector(); // without waiting for the old one to be gone
    }
    expect((await current.outcome).kind).toBe('started');
    process.kill(current.pid, 'SIGTERM');
    await current.exited;
  }, 240_000);
});
