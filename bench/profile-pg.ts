/**
 * `node bench/dist/profile-pg.js [events]`
 *
 * Where a catch-up into PostgreSQL spends its time: publishes the bench's mixed workload
 * (default 30 000 events) to a nats-server of its own, starts a throwaway PostgreSQL, then over
 * the same stream times (1) the projector into a plain SQLite file, (2) into a working copy with
 * change capture but no shipping, (3) the whole path — working copy shipped to PostgreSQL by the
 * writer thread, whose shipments are logged (rows, read and ship milliseconds) — and (4) the
 * naive COPY pipeline.
 */
import { join } from 'node:path';
import { createLogger } from '@hub/platform';
import { createPgWriter, createProjector, prepareWorkingCopy } from '@hub/projector';
import { currentReadModelPath, openPostgresReadModel } from '@hub/read-model';
import { startTestPostgres, tempDir } from '@hub/testing';
import { runNaivePgPipeline } from './lib/naive-pg-pipeline.js';
import { preloadStream } from './suites/hub-projector.js';
import type { RunContext } from './lib/types.js';

const total = Number(process.argv[2] ?? 30_000);
const cleanups: (() => void | Promise<void>)[] = [];
const ctx: RunContext = {
  quick: true,
  log: (m) => process.stderr.write(`${m}\n`),
  defer: (c) => cleanups.push(c),
};

try {
  const f = await preloadStream(ctx, total);
  const postgres = await startTestPostgres();
  ctx.defer(() => postgres.stop());
  const rate = (ms: number) => `${Math.round((total / ms) * 1000).toLocaleString('en-US')} ev/s`;

  const catchUp = async (path: string, onBatch?: () => void) => {
    const p = createProjector({ nc: f.nats.nc, readModelPath: path, mode: 'rebuild', onBatch });
    const t0 = performance.now();
    await p.start();
    await p.catchUp();
    const ms = performance.now() - t0;
    await p.stop();
    return ms;
  };

  const plain = tempDir('hub-prof-pg-');
  ctx.defer(() => plain.remove());
  process.stdout.write(
    `plain SQLite file:            ${rate(await catchUp(join(plain.path, 'rm.sqlite')))}\n`,
  );

  const captured = tempDir('hub-prof-pg-');
  ctx.defer(() => captured.remove());
  await prepareWorkingCopy(captured.path);
  process.stdout.write(
    `working copy, capture only:   ${rate(await catchUp(currentReadModelPath(captured.path)))}\n`,
  );

  const shipped = tempDir('hub-prof-pg-');
  ctx.defer(() => shipped.remove());
  const url = await postgres.createDatabase('profiled');
  await (await openPostgresReadModel({ url, max: 1 })).destroy();
  const level = process.env.LOG_LEVEL ?? 'debug';
  const writer = createPgWriter({
    dataDir: shipped.path,
    url,
    log: createLogger('bench', level),
    logLevel: level,
  });
  await writer.prepare();
  const t0 = performance.now();
  writer.start();
  const localMs = await catchUp(currentReadModelPath(shipped.path), () => writer.kick());
  for (;;) {
    writer.kick();
    await writer.idle();
    if (writer.status().pgPosition >= total) break;
  }
  const ms = performance.now() - t0;
  process.stdout.write(
    `working copy + shipping:      ${rate(localMs)} local, ${rate(ms)} into PostgreSQL, ${writer.status().shipments} shipments\n`,
  );
  await writer.stop();

  const naiveUrl = await postgres.createDatabase('naive');
  process.stdout.write(
    `naive COPY pipeline:          ${rate(await runNaivePgPipeline(f.nats.js, naiveUrl, total))}\n`,
  );
} finally {
  for (const c of cleanups.reverse()) await c();
}
