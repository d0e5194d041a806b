/**
 * The projector as its own process (its built entry point), for tests that kill it: over a test's
 * NATS and data folder, on a free port, with the migration switch for unsigned sample streams
 * (signatures have their own test: tests/signed-events).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', 'services', 'projector', 'dist', 'main.js');

export interface ProjectorProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** Resolves once it logged "projector started" (at LOG_LEVEL info), or exited. */
  ready: Promise<void>;
  /** The last 8 000 characters of its log, and how it ended if it did: for a failing test's message. */
  log(): string;
}

export function spawnProjectorProcess(env: Record<string, string>): ProjectorProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', PROJECTOR_ALLOW_UNSIGNED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  let ended = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = `exited (code ${code}, signal ${signal})`;
      resolve();
    }),
  );
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out = (out + chunk).slice(-8000);
      if (chunk.includes('"msg":"projector started"')) resolve();
    });
    void exited.then(() => resolve());
  });
  return { child, exited, ready, log: () => `${out}${ended ? `\n[${ended}]` : '\n[running]'}` };
}
