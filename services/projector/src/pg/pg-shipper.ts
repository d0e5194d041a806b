/**
 * The projector's PostgreSQL side (run on its own thread by pg-writer.ts, so that shipping and
 * the writer lock are never starved by the projector's own work). The projector applies events to its SQLite read model as
 * always (the *working copy*, `<HUB_DATA_DIR>/read-model/…`); triggers record which rows each
 * transaction changed (`@hub/read-model` change-capture). After each commit, and every
 * `passMs`, this writer ships what changed to PostgreSQL in one transaction with the position,
 * guarded by a compare on PostgreSQL's position (`shipChangesByCopy`: rows COPYed, the guard of
 * `shipChanges`), then forgets what it shipped.
 *
 * High availability: several projector processes (each with its own data folder) may run over
 * one PostgreSQL read model. Only the holder of a session advisory lock, taken on a dedicated
 * connection, ships; the others follow the stream into their own working copies (warm standbys)
 * and try the lock every `lockPollMs`. When the holder dies its session ends, the lock is free,
 * and a standby ships from where PostgreSQL is. Exactly once does not rest on the lock (a
 * shipment is refused unless PostgreSQL's position is at or behind it, and it carries every row
 * changed since), so a holder that lost its lock without noticing cannot double anything.
 *
 * After a large catch-up (`vacuumAfterRows` rows shipped since the last time) the active writer,
 * once it has nothing left to ship, runs `VACUUM (ANALYZE)` over the read model's tables on a
 * connection of its own, beside the shipments: the planner's statistics, the visibility map and
 * the rows' hint bits are then set by it, not by the first reads (autovacuum would come within a
 * minute or so, and the reads before it would set the hint bits themselves, dirtying the pages).
 *
 * @example
 * await prepareWorkingCopy(dataDir);      // capture installed before the projector writes
 * const shipper = createPgShipper({ dataDir, db, url, log });
 * shipper.start(); shipper.kick();        // after each commit
 */
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { Logger } from '@hub/platform';
import {
  captureInfo,
  copyWorkingCopy,
  currentReadModelPath,
  installChangeCapture,
  openReadModelFile,
  openSqlite,
  postgresPosition,
  pruneChanges,
  READ_MODEL_TABLES,
  readChanges,
  readModelDir,
  sealChanges,
  type ReadModelDatabase,
  type SqliteDb,
} from '@hub/read-model';
import { shipChangesByCopy } from './pg-copy-ship.js';
import { lacksRetries, reseedFromPostgres } from './reseed.js';

/** The advisory lock naming the one projector that writes a PostgreSQL read model. */
export const PG_WRITER_LOCK = 72_610_002;

export type PgRole = 'active' | 'standby';

export interface PgWriterStatus {
  role: PgRole;
  /** PostgreSQL's position as last seen. */
  pgPosition: number;
  shipments: number;
  rowsShipped: number;
  fullCopies: number;
  /** `VACUUM (ANALYZE)` runs finished, and whether one is running now. */
  vacuums: number;
  vacuuming: boolean;
  /** Rows shipped since the last one started (one starts, once idle, at `vacuumAfterRows`). */
  rowsSinceVacuum: number;
  lastError?: string | undefined;
}

/** Rows shipped after which a writer with nothing left to ship vacuums and analyzes the read model. */
export const PG_VACUUM_AFTER_ROWS = 100_000;

export interface PgShipper {
  start(): void;
  /** Ship soon (after a commit). */
  kick(): void;
  status(): PgWriterStatus;
  /** Resolves once the current pass (if any) ended. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface PgShipperOptions {
  dataDir: string;
  /** The PostgreSQL read model (migrated). */
  db: Kysely<ReadModelDatabase>;
  /** Its URL, for the lock's own connection. */
  url: string;
  log: Logger;
  /** A standby tries the lock this often. @default 1000 */
  lockPollMs?: number;
  /** A pass (ship or prune) at least this often. @default 1000 */
  passMs?: number;
  /** `VACUUM (ANALYZE)` once idle after this many rows shipped; 0: never. @default PG_VACUUM_AFTER_ROWS */
  vacuumAfterRows?: number;
}

export function createPgShipper(opts: PgShipperOptions): PgShipper {
  const log = opts.log;
  const lockPollMs = opts.lockPollMs ?? 1000;
  const passMs = opts.passMs ?? 1000;
  const vacuumAfterRows = opts.vacuumAfterRows ?? PG_VACUUM_AFTER_ROWS;
  const status: PgWriterStatus = {
    role: 'standby',
    pgPosition: 0,
    shipments: 0,
    rowsShipped: 0,
    fullCopies: 0,
    vacuums: 0,
    vacuuming: false,
    rowsSinceVacuum: 0,
  };
  let vacuum: { client: pg.Client; done: Promise<void> } | undefined;
  let lock: pg.Client | undefined;
  /** The connection shipments are COPYed over (pg-copy-ship.ts); replaced after any failure. */
  let shipClient: pg.Client | undefined;
  let lockTriedAt = 0;
  let copy: { path: string; sqlite: SqliteDb } | undefined;
  /**
   * The projection PostgreSQL was last seen holding by this writer (a working copy's model id).
   * A pass with nothing to ship may rest only when it is the working copy's: after a rebuild
   * that stands where PostgreSQL stands, PostgreSQL still holds the old projection.
   */
  let pgModel: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const lost = (why: string) => {
    if (status.role === 'active')
      log.warn({ why }, '失去写入锁，转为备用 (lost the writer lock: now standby)');
    status.role = 'standby';
    pgModel = undefined;
    const c = lock;
    lock = undefined;
    void c?.end().catch(() => undefined);
  };

  const tryLock = async () => {
    if (Date.now() - lockTriedAt < lockPollMs) return;
    lockTriedAt = Date.now();
    const client = new pg.Client({ connectionString: opts.url, keepAlive: true });
    client.on('error', (err) => lost(String(err)));
    try {
      await client.connect();
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        PG_WRITER_LOCK,
      ]);
      if (r.rows[0]?.ok !== true) {
        await client.end();
        return;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    client.on('end', () => {
      if (lock === client) lost('lock connection ended');
    });
    lock = client;
    status.role = 'active';
    log.info('获得写入锁，本进程写入 PostgreSQL (took the writer lock: this projector writes PostgreSQL)');
  };

  const shipConnection = async (): Promise<pg.Client> => {
    if (shipClient) return shipClient;
    const client = new pg.Client({ connectionString: opts.url, keepAlive: true });
    client.on('error', () => {
      if (shipClient === client) shipClient = undefined;
    });
    await client.connect();
    shipClient = client;
    return client;
  };
  const dropShipConnection = () => {
    const c = shipClient;
    shipClient = undefined;
    void c?.end().catch(() => undefined);
  };

  /**
   * VACUUM (ANALYZE) of the read model's tables on its own connection (VACUUM cannot run in a
   * transaction, and shipments go on meanwhile: it takes no lock they need). Its failure is
   * logged; the rows count again towards the next one.
   */
  const startVacuum = () => {
    const rows = status.rowsSinceVacuum;
    status.rowsSinceVacuum = 0;
    status.vacuuming = true;
    const client = new pg.Client({ connectionString: opts.url, keepAlive: true });
    client.on('error', () => undefined);
    const t0 = Date.now();
    const done = client
      .connect()
      .then(() => client.query(`VACUUM (ANALYZE) ${Object.keys(READ_MODEL_TABLES).join(', ')}`))
      .then(
        () => {
          status.vacuums += 1;
          log.info({ rows, ms: Date.now() - t0 }, 'vacuumed and analyzed the PostgreSQL read model');
        },
        (err: unknown) => {
          status.rowsSinceVacuum += rows;
          log.warn({ err }, 'PostgreSQL 读模型整理失败 (VACUUM ANALYZE of the PostgreSQL read model failed)');
        },
      )
      .finally(() => {
        status.vacuuming = false;
        vacuum = undefined;
        void client.end().catch(() => undefined);
      });
    vacuum = { client, done };
  };

  /** The working copy named by CURRENT, with capture installed (a rebuild switches it). */
  const workingCopy = (): SqliteDb | undefined => {
    const path = currentReadModelPath(opts.dataDir);
    if (copy?.path === path) return copy.sqlite;
    copy?.sqlite.close();
    copy = undefined;
    let sqlite: SqliteDb;
    try {
      sqlite = openSqlite(path, false);
    } catch {
      return undefined; // not created yet: the projector creates it
    }
    try {
      const info = installChangeCapture(sqlite);
      log.info({ path, ...info }, 'change capture on the working copy');
    } catch (err) {
      sqlite.close();
      throw err;
    }
    copy = { path, sqlite };
    return sqlite;
  };

  const pass = async () => {
    const sqlite = workingCopy();
    if (!sqlite) return;
    const wasStandby = status.role === 'standby';
    if (wasStandby) await tryLock();
    // Before following or shipping: a copy lacking a retry PostgreSQL holds continues from PostgreSQL.
    if (wasStandby && (await lacksRetries(opts.db, sqlite))) {
      await reseedFromPostgres(opts.db, opts.dataDir, log);
      return;
    }
    if (status.role === 'standby') {
      // Follow: what PostgreSQL already holds need not be kept for shipping.
      const pgNow = await postgresPosition(opts.db);
      status.pgPosition = pgNow.position;
      const mine = captureInfo(sqlite)?.modelId;
      if (mine !== undefined && pgNow.modelId === mine) {
        sealChanges(sqlite);
        pruneChanges(sqlite, pgNow.position);
      }
      return;
    }
    const t0 = Date.now();
    const changes = readChanges(sqlite);
    if (changes.count === 0 && changes.position === status.pgPosition && changes.modelId === pgModel) {
      if (vacuumAfterRows > 0 && status.rowsSinceVacuum >= vacuumAfterRows && !vacuum) startVacuum();
      return;
    }
    const t1 = Date.now();
    let r: Awaited<ReturnType<typeof shipChangesByCopy>>;
    try {
      r = await shipChangesByCopy(await shipConnection(), changes);
    } catch (err) {
      dropShipConnection(); // its state is unknown: the next pass starts on a new one
      throw err;
    }
    log.debug(
      {
        kind: r.kind,
        position: changes.position,
        rows: changes.count,
        readMs: t1 - t0,
        shipMs: Date.now() - t1,
      },
      'shipment',
    );
    if (r.kind === 'shipped') {
      status.pgPosition = r.position;
      status.shipments += 1;
      status.rowsShipped += r.rows;
      status.rowsSinceVacuum += r.rows;
      pgModel = changes.modelId;
      pruneChanges(sqlite, r.position);
    } else if (r.kind === 'behind') {
      // A crash between the two commits, or a standby just promoted: the working copy catches up.
      status.pgPosition = r.pgPosition;
      pgModel = changes.modelId;
      pruneChanges(sqlite, r.pgPosition);
    } else {
      log.warn(
        { pgPosition: r.pgPosition, pgModel: r.pgModel, workingCopy: changes.modelId },
        'PostgreSQL 读模型与工作副本不同，整体复制 (PostgreSQL holds another projection: copying the working copy whole)',
      );
      const c = await copyWorkingCopy(opts.db, sqlite);
      status.pgPosition = c.position;
      status.fullCopies += 1;
      pgModel = changes.modelId;
      status.rowsSinceVacuum = Math.max(status.rowsSinceVacuum, vacuumAfterRows);
      pruneChanges(sqlite, c.position);
      log.info(c, 'working copy copied into PostgreSQL');
    }
  };

  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .then(() => {
        if (status.lastError) log.info('PostgreSQL 写入恢复 (writing PostgreSQL again)');
        status.lastError = undefined;
      })
      .catch((err: unknown) => {
        if (status.lastError === undefined)
          log.error({ err }, 'PostgreSQL 写入失败，稍后重试 (writing PostgreSQL failed; retrying)');
        status.lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };

  return {
    start() {
      timer = setInterval(run, passMs);
      timer.unref();
      run();
    },
    kick: run,
    status: () => ({ ...status }),
    idle: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (running) await running;
      const v = vacuum;
      if (v) {
        // Not worth waiting for at shutdown: cancelled (autovacuum will come).
        await cancelBackend(opts.url, v.client);
        await v.done;
      }
      copy?.sqlite.close();
      copy = undefined;
      if (shipClient) {
        const c = shipClient;
        shipClient = undefined;
        await c.end().catch(() => undefined);
      }
      if (lock) {
        const c = lock;
        lock = undefined;
        status.role = 'standby';
        await c.end().catch(() => undefined);
      }
    },
  };
}

/** Cancels what `client`'s backend runs, from a connection of its own. */
async function cancelBackend(url: string, client: pg.Client): Promise<void> {
  const pid = (client as pg.Client & { processID?: number }).processID;
  if (pid === undefined) return;
  const other = new pg.Client({ connectionString: url });
  other.on('error', () => undefined);
  try {
    await other.connect();
    await other.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // PostgreSQL away: the vacuum's connection ends with it
  } finally {
    await other.end().catch(() => undefined);
  }
}

/** Opens (creating, migrating) the current working copy and installs change capture on it. */
export async function prepareWorkingCopy(dataDir: string): Promise<void> {
  mkdirSync(readModelDir(dataDir), { recursive: true });
  const opened = await openReadModelFile(currentReadModelPath(dataDir));
  try {
    installChangeCapture(opened.sqlite);
  } finally {
    await opened.db.destroy(); // closes the connection
  }
}
