/**
 * Runs a nats-server child process with JetStream: the launcher's embedded default and the
 * tests' harness. Only processes started here are ever signalled, by their own PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { delimiter, join } from 'node:path';
import { HubError } from '@hub/domain';

export interface NatsServerOptions {
  /** JetStream store folder; created when missing. */
  storeDir: string;
  port: number;
  host?: string;
  /** Extra arguments, e.g. ['-c', 'deploy/nats/hub.conf']. */
  args?: string[];
  /** Where stderr lines go (nats-server logs there). */
  onLog?: (line: string) => void;
  binary?: string;
  /** Environment of the process (a config file may read variables from it). @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface NatsServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after the grace period; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): Promise<void>;
}

export const INSTALL_HINT = [
  '未找到 nats-server (nats-server is not installed). 请安装 / install it:',
  '  Debian/Ubuntu: sudo apt-get install -y nats-server',
  '  macOS:         brew install nats-server',
  '或设置 NATS_URL 使用已有的 NATS 服务 (or set NATS_URL to use a running NATS server).',
].join('\n');

/** The nats-server binary on PATH (or NATS_SERVER_BIN), or undefined. */
export function findNatsServer(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.NATS_SERVER_BIN && existsSync(env.NATS_SERVER_BIN)) return env.NATS_SERVER_BIN;
  const dirs = (env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/local/bin', '/opt/homebrew/bin']);
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function startNatsServer(opts: NatsServerOptions): Promise<NatsServerProcess> {
  const binary = opts.binary ?? findNatsServer();
  if (!binary) throw new HubError('NATS_SERVER_MISSING', INSTALL_HINT);
  mkdirSync(opts.storeDir, { recursive: true });
  const host = opts.host ?? '127.0.0.1';
  // Debian's package starts a system nats-server on 4222: without this check the launcher would
  // mistake it for its own child and use a server without our store.
  if (await canConnect(host, opts.port)) {
    throw new HubError(
      'NATS_UNAVAILABLE',
      `端口 ${host}:${opts.port} 已被占用，可能已有 nats-server 在运行 (port in use, perhaps by another nats-server): ` +
        `设置 NATS_PORT 换一个端口，或设置 NATS_URL 使用它 (set NATS_PORT to another port, or NATS_URL to use that server)`,
    );
  }
  const args = ['-js', '-sd', opts.storeDir, '-a', host, '-p', String(opts.port), ...(opts.args ?? [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], env: opts.env ?? process.env });
  let buffered = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) opts.onLog?.(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new HubError('NATS_UNAVAILABLE', `nats-server did not start: ${binary}`);
  await waitForPort(host, opts.port, exited, 15_000);
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGKILL');
    await exited;
  };
  return { url: `nats://${host}:${opts.port}`, port: opts.port, pid, child, stop, kill };
}

async function waitForPort(
  host: string,
  port: number,
  exited: Promise<void>,
  timeoutMs: number,
): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead)
      throw new HubError('NATS_UNAVAILABLE', `nats-server exited before listening on ${host}:${port}`);
    if (await canConnect(host, port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new HubError(
    'NATS_UNAVAILABLE',
    `nats-server did not listen on ${host}:${port} within ${timeoutMs} ms`,
  );
}

const canConnect = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
