/** A catch-up run in a fresh process of its own (catchup-main.ts), from a scenario. */
import { fileURLToPath } from 'node:url';
import type { CatchUpJob, CatchUpResult } from './catchup-main.js';
import { runScript } from './script.js';
import type { RunContext } from './types.js';

export type { CatchUpJob, CatchUpResult };

const CATCH_UP_MAIN = fileURLToPath(new URL('./catchup-main.js', import.meta.url));

/**
 * Runs the job in a fresh process; throws unless it applied every event it should have
 * (`expectSeq`, the stream's last by default; a replay may stop a little past its bound: several
 * events can share the bound's millisecond) with no dead letter — the workload being refused.
 */
export async function catchUpInProcess(
  run: RunContext,
  job: CatchUpJob,
  expectSeq = job.events,
): Promise<CatchUpResult> {
  const what = `${job.mode}${job.signatures ? ` (signatures ${job.signatures})` : ''}`;
  const r = await runScript(run, CATCH_UP_MAIN, [JSON.stringify(job)]);
  if (r.code !== 0) throw new Error(`catch-up ${what} exited ${r.code ?? r.signal}: ${r.stderr}`);
  const result = JSON.parse(r.stdout) as CatchUpResult;
  const short = job.until ? result.appliedSeq < expectSeq : result.appliedSeq !== expectSeq;
  if (short || result.deadLetters !== 0) {
    throw new Error(
      `catch-up ${what}: applied up to ${result.appliedSeq} of ${expectSeq}, ${result.deadLetters} dead letters — the bench workload is being refused`,
    );
  }
  return result;
}
