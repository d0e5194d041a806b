/**
 * A throwaway PostgreSQL cluster for tests, started the way the tests start nats-server: `initdb`
 * and `pg_ctl` in a temporary folder on a free port (as the `postgres` user when the tests run as
 * root, which PostgreSQL requires), stopped by its postmaster's PID, folder removed.
 *
 * Skipping PostgreSQL tests is allowed only when `HUB_TEST_PG=off` is set explicitly: a machine
 * without PostgreSQL fails them with the install hint instead of passing them silently.
 *
 * @example
 * const pg = await startTestPostgres();
 * const url = await pg.createDatabase('contract'); // postgres://hub@127.0.0.1:<port>/contract
 * await pg.stop();
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './nats-harness.js';

const run = promisify(execFile);

/** True when the PostgreSQL tests are switched off on purpose (`HUB_TEST_PG=off`). */
export const PG_TESTS_OFF = process.env.HUB_TEST_PG === 'off';

export const PG_INSTALL_HINT = [
  '未找到 PostgreSQL (initdb/pg_ctl not found). 请安装 / install it:',
  '  Debian/Ubuntu: sudo apt-get install -y postgresql',
  '  macOS:         brew install postgresql@15',
  '或设置 PG_BIN 指向其 bin 目录 (or set PG_BIN to its bin folder);',
  '仅当确实不测 PostgreSQL 时设置 HUB_TEST_PG=off (set HUB_TEST_PG=off only to skip those tests on purpose).',
].join('\n');

/** The folder holding `initdb` and `pg_ctl`: PG_BIN, Debian's versioned folders, then PATH. */
export function findPostgresBin(env: Record<string, string | undefined> = process.env): string | undefined {
  const debian = [17, 16, 15, 14, 13].map((v) => `/usr/lib/postgresql/${v}/bin`);
  const dirs = [env.PG_BIN, ...debian, ...(env.PATH ?? '').split(':'), '/usr/local/bin', '/opt/homebrew/bin'];
  return dirs.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

export interface TestPostgres {
  /** Connection URL of the cluster's `postgres` database (superuser `hub`, no password). */
  readonly url: string;
  readonly port: number;
  /** The postmaster's PID (not a child of the test: `pg_ctl` daemonises it). */
  readonly pid: number;
  readonly dataDir: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** URL of a database in this cluster. */
  urlOf(database: string): string;
  /** Whether the postmaster still runs. */
  running(): boolean;
  /** Fast shutdown by PID (SIGINT), then the folder is removed. */
  stop(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: then everything runs as the `postgres` user. */
function postgresUser(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      '以 root 运行测试需要系统用户 postgres (running as root needs the postgres user; install postgresql)',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(PG_INSTALL_HINT);
  const as = postgresUser();
  const root = mkdtempSync(join(tmpdir(), 'hub-pg-'));
  if (as.uid !== undefined) chownSync(root, as.uid, as.gid ?? as.uid);
  chmodSync(root, 0o700);
  const dataDir = join(root, 'data');
  const port = await freePort();
  const opts = { ...as, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };
  try {
    await run(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'hub', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      opts,
    );
    // Tests never crash PostgreSQL itself, so durability settings are traded for speed.
    const server = [
      `-p ${port}`,
      `-k ${root}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    await run(
      join(bin, 'pg_ctl'),
      ['-D', dataDir, '-l', join(root, 'server.log'), '-o', server, '-w', 'start'],
      opts,
    );
  } catch (err) {
    const log = existsSync(join(root, 'server.log')) ? readFileSync(join(root, 'server.log'), 'utf8') : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL 测试集群启动失败 (test cluster did not start): ${String(err)}\n${log}`);
  }
  const pidFile = join(dataDir, 'postmaster.pid');
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const urlOf = (database: string) => `postgres://hub@127.0.0.1:${port}/${database}`;
  let stopped: Promise<void> | undefined;
  return {
    url: urlOf('postgres'),
    port,
    pid,
    dataDir,
    urlOf,
    running: () => alive(pid),
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
      await run(
        join(bin, 'psql'),
        [
          '-q',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'hub',
          '-d',
          'postgres',
          '-c',
          `CREATE DATABASE ${name}`,
        ],
        {
          env: process.env,
        },
      );
      return urlOf(name);
    },
    stop() {
      stopped ??= (async () => {
        try {
          process.kill(pid, 'SIGINT'); // fast shutdown: ends sessions, removes postmaster.pid
        } catch {
          // already gone
        }
        // Not our child, so no exit event: the server removes its PID file last thing.
        const deadline = Date.now() + 20_000;
        while (existsSync(pidFile) && alive(pid) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        if (alive(pid)) process.kill(pid, 'SIGKILL');
        rmSync(root, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited daemon not yet reaped (PID 1 may not reap) is a zombie: gone for our purposes.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}
