/**
 * One service as a child process of the launcher: its own log file, health polling, and a
 * stop that signals only the PID it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ChildServiceOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  logDir: string;
  healthUrl: string;
}

export interface ChildService {
  readonly name: string;
  readonly pid: number;
  readonly healthUrl: string;
  readonly exited: Promise<number | null>;
  waitHealthy(timeoutMs: number): Promise<{ ok: boolean; detail: string }>;
  stop(graceMs?: number): Promise<void>;
}

export function spawnService(opts: ChildServiceOptions): ChildService {
  mkdirSync(opts.logDir, { recursive: true });
  const log = createWriteStream(join(opts.logDir, `${opts.name}.log`), { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [opts.script], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => log.end());
  const pid = child.pid ?? -1;

  const waitHealthy = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let detail = 'not started';
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return { ok: false, detail: `exited with code ${child.exitCode}` };
      try {
        const res = await fetch(opts.healthUrl);
        if (res.ok) return { ok: true, detail: 'ok' };
        detail = `${res.status} ${await res.text()}`;
      } catch (err) {
        detail = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { ok: false, detail };
  };

  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null) process.kill(pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };

  return { name: opts.name, pid, healthUrl: opts.healthUrl, exited, waitHealthy, stop };
}
