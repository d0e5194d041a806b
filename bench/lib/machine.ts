/** The machine and versions a run was measured on, recorded beside its figures. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem, freemem, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { findNatsServer } from '@hub/platform';

const require = createRequire(import.meta.url);

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly loadAverage: number[];
  readonly os: string;
  readonly node: string;
  readonly natsServer: string;
  readonly sqlite: { betterSqlite3: string; nodeSqlite3: string };
  readonly packages: Record<string, string>;
  readonly git: { commit: string; dirty: boolean };
}

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return 'unknown';
  }
};

/** A package's version, found from its resolved entry point (exports may hide package.json). */
function packageVersion(name: string): string {
  try {
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      } catch {
        // no package.json at this level; keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'not installed';
}

function sqliteVersions(): { betterSqlite3: string; nodeSqlite3: string } {
  const db = new Database(':memory:');
  const row = db.prepare('select sqlite_version() as v').get() as { v: string };
  db.close();
  let nodeSqlite3 = 'not installed';
  try {
    nodeSqlite3 = (require('sqlite3') as { VERSION: string }).VERSION;
  } catch {
    // the peer's driver is optional for the rest of the bench
  }
  return { betterSqlite3: row.v, nodeSqlite3 };
}

export function describeMachine(): MachineDescription {
  const cpu = cpus();
  const nats = findNatsServer();
  const status = run('git', ['status', '--porcelain']);
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${platform()} ${release()}`,
    node: process.version,
    natsServer: nats ? run(nats, ['--version']) : 'not installed',
    sqlite: sqliteVersions(),
    packages: Object.fromEntries(
      [
        '@nats-io/transport-node',
        '@nats-io/jetstream',
        'better-sqlite3',
        'kysely',
        'fastify',
        '@event-driven-io/emmett-sqlite',
        '@event-driven-io/emmett',
        'sqlite3',
      ].map((p) => [p, packageVersion(p)]),
    ),
    git: { commit: run('git', ['rev-parse', 'HEAD']), dirty: status !== '' && status !== 'unknown' },
  };
}
