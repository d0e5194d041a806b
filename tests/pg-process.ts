/**
 * The built projector as a child process over a PostgreSQL read model, for the PostgreSQL
 * tests: its own data folder (working copy), `/healthz` on a free port telling its role.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@hub/testing';

const MAIN = join(import.meta.dirname, '..', 'services', 'projector', 'dist', 'main.js');

export interface PgProjectorProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<void>;
  /** Resolves once it listens (or exited). */
  readonly ready: Promise<void>;
  /** `active`/`standby` from /healthz, undefined while it does not answer. */
  role(): Promise<'active' | 'standby' | undefined>;
  log(): string;
}

export async function spawnPgProjector(opts: {
  natsUrl: string;
  pgUrl: string;
  dataDir: string;
  batchSize?: number;
  env?: Record<string, string>;
}): Promise<PgProjectorProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NATS_URL: opts.natsUrl,
      HUB_DATA_DIR: opts.dataDir,
      READ_MODEL_URL: opts.pgUrl,
      PORT: String(port),
      LOG_LEVEL: process.env.PG_TEST_LOG_LEVEL ?? 'info',
      PROJECTOR_BATCH_SIZE: String(opts.batchSize ?? 500),
      // The sample stream is unsigned (the migration switch), and no ticks or calendars are
      // published, so the stream holds exactly what the test publishes.
      PROJECTOR_ALLOW_UNSIGNED: 'true',
      PROJECTOR_CLOCK_TICK_MS: '0',
      PROJECTOR_PUBLISH_CALENDAR: 'false',
      PROJECTOR_PG_LOCK_POLL_MS: '500',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out = (out + chunk).slice(-20_000);
      if (out.includes('"msg":"listening"')) resolve();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      out = (out + chunk).slice(-20_000);
    });
    void exited.then(() => resolve());
  });
  return {
    child,
    port,
    exited,
    ready,
    log: () => out,
    async role() {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        const body = (await res.json()) as { checks?: { postgres?: { detail?: string } } };
        const detail = body.checks?.postgres?.detail ?? '';
        return detail.startsWith('active') ? 'active' : detail.startsWith('standby') ? 'standby' : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** PostgreSQL's read-model position (0 before the first shipment). */
export async function pgPosition(pgUrl: string): Promise<number> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const r = await client.query<{ last_seq: string }>(
      "SELECT last_seq FROM projection_position WHERE name = 'events'",
    );
    return Number(r.rows[0]?.last_seq ?? 0);
  } catch {
    return 0; // not migrated yet
  } finally {
    await client.end();
  }
}
