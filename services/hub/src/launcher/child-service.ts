/**
 * One service as a child process of the launcher: its own log file, health polling, a stop that
 * signals only the PID it started, and — once it has been healthy — restarts when it dies, with
 * backoff, until it fails fast too often (see restart-policy.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RESTART_POLICY, nextRestart, type RestartPolicy } from './restart-policy.js';

/** What the supervisor did, for the launcher to tell the operator. */
export type ServiceEvent =
  | { kind: 'restarting'; service: string; exit: string; delayMs: number; fastFailures: number }
  | { kind: 'restarted'; service: string; pid: number }
  | { kind: 'gave-up'; service: string; exit: string; fastFailures: number };

export interface ChildServiceOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  logDir: string;
  healthUrl: string;
  /** false: never restart. @default DEFAULT_RESTART_POLICY */
  restart?: RestartPolicy | false;
  onEvent?: (event: ServiceEvent) => void;
}

export interface ChildService {
  readonly name: string;
  /** The running process's id (a restart changes it). */
  readonly pid: number;
  readonly healthUrl: string;
  readonly logFile: string;
  /** Resolves with the last exit code when the service is down for good: stopped, or given up. */
  readonly exited: Promise<number | null>;
  /** Polls /healthz; once healthy, a later death is restarted. */
  waitHealthy(timeoutMs: number): Promise<{ ok: boolean; detail: string }>;
  stop(graceMs?: number): Promise<void>;
}

export function spawnService(opts: ChildServiceOptions): ChildService {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, `${opts.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const policy = opts.restart === false ? undefined : (opts.restart ?? DEFAULT_RESTART_POLICY);
  let child!: ChildProcess;
  let childExit!: Promise<void>;
  let startedAt = 0;
  let everHealthy = false;
  let stopping = false;
  let fastFailures = 0;
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  let resolveExited!: (code: number | null) => void;
  const exited = new Promise<number | null>((r) => (resolveExited = r));
  const finish = (code: number | null) => {
    if (done) return;
    done = true;
    log.end();
    resolveExited(code);
  };
  const note = (line: string) =>
    log.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'hub', msg: line })}\n`);

  const launch = () => {
    startedAt = Date.now();
    child = spawn(process.execPath, [opts.script], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    childExit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        resolve();
        onExit(code, signal);
      }),
    );
  };

  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping || !everHealthy || !policy) return finish(code);
    const exit = code !== null ? `code ${code}` : `signal ${signal}`;
    const decision = nextRestart(policy, fastFailures, Date.now() - startedAt);
    fastFailures = decision.fastFailures;
    if (decision.action === 'give-up') {
      note(`exited (${exit}); ${fastFailures} fast failures in a row, not restarting`);
      opts.onEvent?.({ kind: 'gave-up', service: opts.name, exit, fastFailures });
      return finish(code);
    }
    note(`exited (${exit}); restarting in ${decision.delayMs} ms`);
    opts.onEvent?.({ kind: 'restarting', service: opts.name, exit, delayMs: decision.delayMs, fastFailures });
    timer = setTimeout(() => {
      timer = undefined;
      if (stopping) return finish(code);
      launch();
      opts.onEvent?.({ kind: 'restarted', service: opts.name, pid: child.pid ?? -1 });
    }, decision.delayMs);
  };

  launch();

  const waitHealthy = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let detail = 'not started';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        return { ok: false, detail: `exited with ${child.exitCode ?? child.signalCode}` };
      }
      try {
        const res = await fetch(opts.healthUrl);
        if (res.ok) {
          everHealthy = true;
          return { ok: true, detail: 'ok' };
        }
        detail = `${res.status} ${await res.text()}`;
      } catch (err) {
        detail = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { ok: false, detail };
  };

  const stop = async (graceMs = 10_000) => {
    stopping = true;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const running = child.exitCode === null && child.signalCode === null;
    if (running && child.pid !== undefined) {
      const pid = child.pid;
      process.kill(pid, 'SIGTERM');
      const kill = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await childExit;
      clearTimeout(kill);
    }
    finish(child.exitCode);
  };

  return {
    name: opts.name,
    get pid() {
      return child.pid ?? -1;
    },
    healthUrl: opts.healthUrl,
    logFile,
    exited,
    waitHealthy,
    stop,
  };
}
