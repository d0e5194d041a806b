/**
 * A hub service as the launcher runs it: its built entry point in a child process with the
 * runtime contract's environment (PORT, HOST, NATS_URL, HUB_DATA_DIR, LOG_LEVEL). Stopped by
 * its own PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@hub/testing';
import type { RunContext } from './types.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const serviceEntry = (service: string): string =>
  resolve(REPO_ROOT, 'services', service, 'dist', 'main.js');

/** Why a service cannot be benched yet, or undefined. */
export const serviceMissing = (service: string): string | undefined =>
  existsSync(serviceEntry(service))
    ? undefined
    : `services/${service}/dist/main.js 尚未构建 (not built yet: the component has not landed)`;

/**
 * Node options for the services the bench starts, from `HUB_BENCH_SERVICE_ARGS` — e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them under the scenario's load — for every
 * service, or only those named in `HUB_BENCH_PROFILE_SERVICES` (comma-separated).
 */
export function serviceNodeArgs(service: string): string[] {
  const args = process.env.HUB_BENCH_SERVICE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const only = process.env.HUB_BENCH_PROFILE_SERVICES?.split(',').filter(Boolean);
  return only === undefined || only.includes(service) ? args : [];
}

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last 4 000 characters it wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startService(
  run: RunContext,
  service: string,
  env: Record<string, string>,
  ready: (url: string) => Promise<boolean>,
  /** The script to run: the service's built main.js unless given. */
  entry = serviceEntry(service),
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...serviceNodeArgs(service), entry], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${service} did not start`);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  run.defer(stop);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited: ${stderr}`);
      return (await ready(url)) ? true : undefined;
    },
    { timeoutMs: 30_000, what: `${service} ready` },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${stderr}`);
  });
  return { url, pid, child, stderr: () => stderr, stop };
}
