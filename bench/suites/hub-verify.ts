/**
 * The read models are exact at scale: 1 M signed events of the mixed workload (quick: 100 k;
 * `--scale` honoured) caught up by the projector service in its own process, then what an
 * operator runs, from the built CLI against the same data folder and nats-server — `hub verify`
 * and `hub verify --chain`, `hub replay --until` the last event (its file compared with the live
 * one, table by table) and `hub rebuild` (the new file compared with the old, then verified
 * again). Each step's time, and whether what it checked was equal. Not part of the default run:
 * at 1 M events it took 38 min on the shared two cores (`--only hub-verify`).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_STREAM, OFFICE_AGENCY } from '@hub/domain';
import {
  diffDigests,
  digestReadModelFile,
  type ChainReport,
  type ReadModelDigest,
  type VerifyReport,
} from '@hub/projector';
import { currentReadModelPath, openSqlite, readModelDir } from '@hub/read-model';
import { tempDir } from '@hub/testing';
import { streamLastSeq, type BenchNats } from '../lib/nats.js';
import { eventsAtScale } from '../lib/scale.js';
import { runScript } from '../lib/script.js';
import { scoped } from '../lib/scope.js';
import { REPO_ROOT, serviceMissing, startService, type ServiceProcess } from '../lib/service-process.js';
import { throughput, type Measurement, type RunContext, type Scenario } from '../lib/types.js';
import { preloadStream } from './hub-projector.js';

const eventsFor = (quick: boolean) => eventsAtScale(quick, 1_000_000, 100_000);

const HUB_CLI = join(REPO_ROOT, 'services', 'hub', 'dist', 'main.js');

interface VerifyFixture extends Record<string, unknown> {
  nats: BenchNats;
  total: number;
}

const seconds = (metric: string, ms: number): Measurement => ({
  metric,
  value: ms / 1000,
  unit: 's',
  better: 'lower',
});

/**
 * Runs the built `hub` CLI with the data folder and the scenario's nats-server, as an operator
 * on the hub's machine would; resolves with its stdout, exit code and the time it took.
 */
async function hub(
  run: RunContext,
  args: string[],
  env: { NATS_URL: string; HUB_DATA_DIR: string },
): Promise<{ stdout: string; code: number; ms: number }> {
  // No PostgreSQL read model or credentials of the caller's shell: the data folder's file.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const k of ['READ_MODEL_URL', 'NATS_CREDS', 'NATS_USER', 'NATS_PASS']) delete childEnv[k];
  const r = await runScript(run, HUB_CLI, args, childEnv);
  // verify exits 1 when it finds a difference: its report says which.
  if (r.code === 0 || (r.code === 1 && r.stdout.trim().startsWith('{')))
    return { stdout: r.stdout, code: r.code, ms: r.ms };
  throw new Error(`hub ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr}`);
}

/** The projector's applied stream position, from its /metrics. */
async function appliedSeq(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^hub_projector_applied_seq\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * appliedSeq, asked again on a failed request while the process runs: a poll sent on a
 * keep-alive socket as the service closes it fails without anything being wrong.
 */
async function appliedSeqOf(p: ServiceProcess): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await appliedSeq(p.url);
    } catch (err) {
      const exited = p.child.exitCode ?? p.child.signalCode;
      if (exited !== null || attempt === 5) {
        const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
        throw new Error(
          `projector /metrics: ${String(err)}${cause}${exited !== null ? `, exited ${exited}` : ''}\n${p.stderr()}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The position and dead letters of a read model file. */
function positionOf(path: string): { position: number; deadLetters: number } {
  const db = openSqlite(path, true);
  try {
    const position =
      (
        db.prepare("SELECT last_seq FROM projection_position WHERE name = 'events'").get() as
          { last_seq: number } | undefined
      )?.last_seq ?? 0;
    const deadLetters = (db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number }).n;
    return { position, deadLetters };
  } finally {
    db.close();
  }
}

/** What differs between two digests: the tables and their row counts. */
const digestDifferences = (a: ReadModelDigest, b: ReadModelDigest): string[] =>
  diffDigests(a, b).map((t) => `${t} (${a.rows[t]} / ${b.rows[t]} rows)`);

const verifyDifferences = (r: VerifyReport): string[] =>
  r.tables.filter((t) => !t.equal).map((t) => `${t.table} (${t.liveRows} / ${t.rebuiltRows} rows)`);

const chainDifferences = (r: ChainReport): string[] =>
  r.differences.slice(0, 10).map((d) => `seq ${d.seq} ${d.what}: ${d.detail}`);

export const hubVerify: Scenario<VerifyFixture> = {
  name: 'hub-verify',
  title: '大规模读模型核对 (hub verify after catch-up, as-of replay and rebuild)',
  optIn: true,
  unavailable: () => Promise.resolve(serviceMissing('projector') ?? serviceMissing('hub')),
  sizes: (quick) => ({ events: eventsFor(quick) }),
  runs: { full: 1, quick: 1 },
  setup: async (ctx) => {
    const total = eventsFor(ctx.quick);
    const f = await preloadStream(ctx, total, { signed: true });
    return { nats: f.nats, total };
  },
  run: (ctx, f) =>
    scoped(ctx, async (run) => {
      const data = tempDir('hub-bench-verify-');
      run.defer(() => rmSync(data.path, { recursive: true, force: true }));
      mkdirSync(readModelDir(data.path), { recursive: true });
      const env = { NATS_URL: f.nats.server.url, HUB_DATA_DIR: data.path };
      const out: Measurement[] = [];
      const failed: string[] = [];
      const step = (name: string, ms: number, differences: string[], detail = '') => {
        const ok = differences.length === 0;
        out.push(seconds(`${name}: ${ok ? 'equal ✓' : 'differs ✗'}`, ms));
        ctx.log(
          `${name}: ${(ms / 1000).toFixed(1)} s — ${ok ? 'equal ✓' : `differs ✗: ${differences.join('; ')}`}${detail}`,
        );
        if (!ok) failed.push(`${name}: ${differences.join('; ')}`);
      };

      // 1. The projector service catches up (its own process, signatures required, as deployed).
      //    It also publishes the working-day calendars and a clock tick a minute into the stream:
      //    it is caught up when its position is the stream's last sequence.
      //    Those are the committee office's events, signed with its key: registered first, as
      //    the local hub registers it at start.
      //    A tick published as it stops leaves it behind the stream: it is started again then.
      await hub(run, ['keys', 'register', '--agency', OFFICE_AGENCY], env);
      const t0 = performance.now();
      let streamLast = 0;
      do {
        const projector = await startService(
          run,
          'projector',
          env,
          async (url) => (await fetch(`${url}/metrics`)).ok,
        );
        for (;;) {
          if (projector.child.exitCode !== null || projector.child.signalCode !== null)
            throw new Error(
              `projector exited (${projector.child.exitCode ?? projector.child.signalCode}): ${projector.stderr()}`,
            );
          const applied = await appliedSeqOf(projector);
          if (applied >= f.total && applied >= (await streamLastSeq(f.nats.js))) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        await projector.stop();
        streamLast = await streamLastSeq(f.nats.js);
      } while (positionOf(currentReadModelPath(data.path)).position < streamLast);
      const catchUpMs = performance.now() - t0;
      const livePath = currentReadModelPath(data.path);
      const live = positionOf(livePath);
      ctx.log(
        `caught up: ${live.position} of ${streamLast} in ${(catchUpMs / 1000).toFixed(1)} s, ${live.deadLetters} dead letters`,
      );
      out.push(throughput('catch-up, projector service', live.position, catchUpMs));
      if (live.deadLetters !== 0)
        failed.push(`catch-up: ${live.deadLetters} dead letters (the workload is being refused)`);
      const liveDigest = digestReadModelFile(livePath);

      // 2. `hub verify` and `hub verify --chain` on the caught-up read model.
      const verify = async (when: string) => {
        const v = await hub(run, ['verify', '--json'], env);
        const report = JSON.parse(v.stdout) as VerifyReport;
        step(
          `hub verify after ${when}`,
          v.ms,
          report.equal ? [] : verifyDifferences(report),
          ` (seq ${report.position}, ${report.tables.length} tables)`,
        );
        const c = await hub(run, ['verify', '--chain', '--json'], env);
        const chain = JSON.parse(c.stdout) as ChainReport;
        step(
          `hub verify --chain after ${when}`,
          c.ms,
          chain.ok ? [] : chainDifferences(chain),
          ` (${chain.checked} links, ${chain.timelineRows} timeline rows)`,
        );
      };
      await verify('catch-up');

      // 3. The as-of replay to the live position's stream time, compared with the live file.
      const jsm = await f.nats.js.jetstreamManager();
      const lastTime = (await jsm.streams.getMessage(EVENTS_STREAM, { seq: live.position }))!.time;
      const replayPath = join(data.path, 'replay.sqlite');
      const r = await hub(run, ['replay', '--until', lastTime.toISOString(), '--out', replayPath], env);
      const replayed = positionOf(replayPath);
      step(
        'hub replay --until the last event',
        r.ms,
        replayed.position === live.position
          ? digestDifferences(liveDigest, digestReadModelFile(replayPath))
          : [`replayed to seq ${replayed.position}, the live read model is at ${live.position}`],
        ` (seq ${replayed.position})`,
      );
      rmSync(replayPath, { force: true });

      // 4. `hub rebuild`: a fresh file beside the live one, CURRENT switched to it; compared with
      //    the file it replaces, then verified as the live read model.
      const b = await hub(run, ['rebuild'], env);
      const rebuiltPath = currentReadModelPath(data.path);
      if (rebuiltPath === livePath) throw new Error('hub rebuild did not switch CURRENT');
      const rebuilt = positionOf(rebuiltPath);
      step(
        'hub rebuild',
        b.ms,
        rebuilt.position === live.position
          ? digestDifferences(liveDigest, digestReadModelFile(rebuiltPath))
          : [`rebuilt to seq ${rebuilt.position}, the previous read model was at ${live.position}`],
        ` (seq ${rebuilt.position})`,
      );
      await verify('rebuild');

      out.push({ metric: 'checks that differ', value: failed.length, unit: 'checks', better: 'lower' });
      if (failed.length > 0) ctx.log(`DIFFERENT ✗\n    ${failed.join('\n    ')}`);
      return out;
    }),
};
