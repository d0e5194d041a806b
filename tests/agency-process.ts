/**
 * Agency services as real child processes (their built main.js), and a burst of submissions
 * that records what was acknowledged with 202.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@hub/testing';

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnAgencyService(
  service: string,
  env: Record<string, string>,
  port?: number,
): Promise<ServiceProcess> {
  const script = fileURLToPath(new URL(`../services/${service}/dist/main.js`, import.meta.url));
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(p), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const pid = child.pid!;
  const url = `http://127.0.0.1:${p}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited: ${stderr}`);
      return (await fetch(`${url}/healthz`)).status === 200 ? true : undefined;
    },
    { what: `${service} healthy`, timeoutMs: 60_000 },
  ).catch(async (err: unknown) => {
    // Never leave a process behind that the test can no longer reach.
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    await exited;
    throw err;
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid,
    child,
    async kill() {
      if (alive()) process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
}

export interface BurstResult {
  /** msg id (`agency/record/revision`) → event id, for every 202. */
  accepted: Map<string, string>;
  failed: number;
}

/**
 * Posts `total` events, `perRequest` to a request, `concurrency` requests at a time; calls
 * `onProgress` after each answer (to kill something mid-burst).
 */
export async function burst(opts: {
  url: () => string;
  token: string;
  total: number;
  perRequest: number;
  concurrency: number;
  event: (i: number) => Record<string, unknown>;
  onProgress?: (accepted: number) => void | Promise<void>;
}): Promise<BurstResult> {
  const accepted = new Map<string, string>();
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < opts.total) {
      const start = next;
      next += opts.perRequest;
      const events = Array.from({ length: Math.min(opts.perRequest, opts.total - start) }, (_, k) =>
        opts.event(start + k),
      );
      try {
        const res = await fetch(`${opts.url()}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
          body: JSON.stringify({ events }),
        });
        if (res.status !== 202) {
          failed += events.length;
          continue;
        }
        const body = (await res.json()) as { events: { index: number; eventId: string }[] };
        for (const e of body.events) {
          const ev = events[e.index] as { agency: string; source: { recordId: string; revision?: number } };
          accepted.set(`${ev.agency}/${ev.source.recordId}/${ev.source.revision ?? 0}`, e.eventId);
        }
      } catch {
        failed += events.length;
      }
      await opts.onProgress?.(accepted.size);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { accepted, failed };
}
