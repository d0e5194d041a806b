/**
 * Test harness: real nats-servers on free ports with temporary stores, temporary folders,
 * and waiting helpers. Everything started here is stopped by its own PID.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerProcess } from '@hub/platform';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix = 'hub-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestNats extends NatsServerProcess {
  readonly storeDir: string;
  /** Starts a fresh process on the same port and store (after stop or kill). */
  restart(): Promise<TestNats>;
}

/** A real nats-server with JetStream on a free port and a temporary store. */
export async function startTestNats(
  opts: { storeDir?: string; port?: number; args?: string[] } = {},
): Promise<TestNats> {
  const storeDir = opts.storeDir ?? tempDir('hub-nats-').path;
  const port = opts.port ?? (await freePort());
  const server = await startNatsServer({ storeDir, port, ...(opts.args ? { args: opts.args } : {}) });
  return {
    ...server,
    storeDir,
    restart: () => startTestNats({ storeDir, port, ...(opts.args ? { args: opts.args } : {}) }),
  };
}

/** Polls until `probe` returns a value other than undefined, or fails after the timeout. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}
