/** A Node script of the bench's own, or a built CLI, run in a child process stopped by its PID. */
import { spawn } from 'node:child_process';
import type { RunContext } from './types.js';

export interface ScriptResult {
  stdout: string;
  /** The last 4 000 characters written to stderr. */
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

/**
 * Runs `node <script> <args…>` with `env` (the whole environment the child gets) and resolves
 * when it exits, whatever its exit code; still running when the scenario ends, it is stopped.
 */
export function runScript(
  run: RunContext,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  run.defer(() => {
    if (pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(pid, 'SIGTERM');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      resolve({ stdout, stderr, code, signal, ms: performance.now() - t0 }),
    );
  });
}
