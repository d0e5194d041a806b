/**
 * Building read models from the stream: `catchUpInto` (benchmarks, tests), `rebuildLive`
 * (a fresh file beside the live one, then CURRENT switches), `replayReadModel` (audit: the
 * read model as of a stream sequence or time) and `verifyReadModel` (the live model against
 * a rebuild to the same position, table by table). None of them publishes anything.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { HubError } from '@hub/domain';
import { silentLogger, type Logger } from '@hub/platform';
import {
  createProjector,
  type CommittedBatch,
  type ProjectorMode,
  type SignaturePolicy,
  type ProjectorStats,
} from './projector.js';
import {
  readModelDir,
  switchCurrentReadModel,
  currentReadModelPath,
  openSqlite,
  type ReadModelTable,
} from '@hub/read-model';
import { digestReadModel, digestReadModelFile } from './digest.js';

export interface BuildOptions {
  nc: NatsConnection;
  /** A new file; refused when it exists. */
  path: string;
  mode?: Exclude<ProjectorMode, 'live'>;
  until?: { seq?: number | undefined; time?: string | undefined };
  batchSize?: number;
  /** Decode on a worker thread. @default false */
  decodeInWorker?: boolean;
  /** As the live projector checks them (PROJECTOR_ALLOW_UNSIGNED). @default 'off' */
  signatures?: SignaturePolicy | undefined;
  logger?: Logger;
  /** Progress after each commit: the last applied sequence and the sequence aimed at. */
  onProgress?: (appliedSeq: number, targetSeq: number) => void;
}

export interface BuildResult {
  path: string;
  lastSeq: number;
  stats: ProjectorStats;
  seconds: number;
}

/**
 * Applies the stream from sequence 1 into a new read model file until the stream's end as
 * of the call (or `until`), then closes it. What a benchmark measures.
 *
 * @example
 * const r = await catchUpInto({ nc, path: '/tmp/rm.sqlite' });
 * console.log(r.stats.eventsApplied / r.seconds, 'events/s');
 */
export async function catchUpInto(opts: BuildOptions): Promise<BuildResult> {
  if (existsSync(opts.path)) {
    throw new HubError('CONFLICT', `目标文件已存在 (the target file already exists): ${opts.path}`);
  }
  const started = process.hrtime.bigint();
  let target = 0;
  const projector = createProjector({
    nc: opts.nc,
    readModelPath: opts.path,
    mode: opts.mode ?? 'rebuild',
    until: opts.until,
    logger: opts.logger ?? silentLogger(),
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
    ...(opts.decodeInWorker !== undefined ? { decodeInWorker: opts.decodeInWorker } : {}),
    signatures: opts.signatures,
    onBatch: (b: CommittedBatch) => opts.onProgress?.(b.lastSeq, target),
  });
  await projector.start();
  try {
    target = Math.min(await projector.refreshStreamInfo(), opts.until?.seq ?? Number.POSITIVE_INFINITY);
    opts.onProgress?.(projector.position(), target);
    await projector.catchUp();
  } finally {
    await projector.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { path: opts.path, lastSeq: projector.position(), stats: projector.stats(), seconds };
}

/** A new file name in the read-model folder (the wall clock only names files). */
export const newReadModelFile = (dataDir: string, now = new Date()): string =>
  join(
    readModelDir(dataDir),
    `read-model-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}.sqlite`,
  );

/**
 * `hub rebuild`: builds a fresh read model beside the live one from sequence 1 and, once it
 * has caught up, points CURRENT at it. The live projector keeps serving the old file until
 * it sees CURRENT change, then continues on the new file from its position.
 */
export async function rebuildLive(opts: {
  nc: NatsConnection;
  dataDir: string;
  logger?: Logger;
  onProgress?: BuildOptions['onProgress'];
  signatures?: SignaturePolicy | undefined;
}): Promise<BuildResult & { previous: string }> {
  mkdirSync(readModelDir(opts.dataDir), { recursive: true });
  const previous = currentReadModelPath(opts.dataDir);
  const path = newReadModelFile(opts.dataDir);
  const result = await catchUpInto({
    nc: opts.nc,
    path,
    mode: 'rebuild',
    logger: opts.logger,
    onProgress: opts.onProgress,
    signatures: opts.signatures,
  });
  switchCurrentReadModel(opts.dataDir, path);
  return { ...result, previous };
}

/** `hub replay --until`: the read model as the hub showed it at a stream sequence or time. */
export async function replayReadModel(opts: Omit<BuildOptions, 'mode'>): Promise<BuildResult> {
  return catchUpInto({ ...opts, mode: 'replay' });
}

/** Parses `--until`: a stream sequence (digits) or an RFC 3339 time (stream timestamps). */
export function parseUntil(value: string): { seq?: number; time?: string } {
  if (/^\d+$/.test(value)) return { seq: Number(value) };
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(ms)) {
    throw new HubError(
      'VALIDATION_FAILED',
      `--until 应为流序号或时间 (must be a stream sequence or an RFC 3339 time): ${value}`,
      {
        issues: [
          {
            field: '--until',
            message: '如 12345 或 2026-03-01T18:00:00+08:00 (e.g. 12345 or 2026-03-01T18:00:00+08:00)',
          },
        ],
      },
    );
  }
  return { time: new Date(ms).toISOString() };
}

export interface VerifyReport {
  equal: boolean;
  position: number;
  tables: {
    table: ReadModelTable;
    equal: boolean;
    liveRows: number;
    rebuiltRows: number;
    live: string;
    rebuilt: string;
  }[];
}

/**
 * `hub verify`: holds a read snapshot of the live file, rebuilds a temporary file to exactly
 * the snapshot's position, and compares the two table by table.
 */
export async function verifyReadModel(opts: {
  nc: NatsConnection;
  livePath: string;
  tempDir: string;
  logger?: Logger;
  onProgress?: BuildOptions['onProgress'];
  signatures?: SignaturePolicy | undefined;
}): Promise<VerifyReport> {
  const live = openSqlite(opts.livePath, true);
  const tmp = join(opts.tempDir, `verify-${process.pid}-${Date.now()}.sqlite`);
  try {
    live.prepare('BEGIN').run();
    const position =
      (
        live.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
          { last_seq: number } | undefined
      )?.last_seq ?? 0;
    await catchUpInto({
      nc: opts.nc,
      path: tmp,
      mode: 'replay',
      until: { seq: position },
      logger: opts.logger,
      onProgress: opts.onProgress,
      signatures: opts.signatures,
    });
    const a = digestReadModel(live);
    live.prepare('COMMIT').run();
    const b = digestReadModelFile(tmp);
    const tables = (Object.keys(a.tables) as ReadModelTable[]).map((table) => ({
      table,
      equal: a.tables[table] === b.tables[table],
      liveRows: a.rows[table],
      rebuiltRows: b.rows[table],
      live: a.tables[table],
      rebuilt: b.tables[table],
    }));
    return { equal: tables.every((t) => t.equal), position, tables };
  } finally {
    live.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
  }
}
