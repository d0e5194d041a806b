/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --runs N] [-- --scale 10m] [-- --list]`
 *
 * Runs every scenario in its own child process (several runs each), prints median/min/max
 * and the ratios between figures of this same run, and writes the results with the machine's
 * description to .bench-out/results-<timestamp>.json.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { runScenarioHere, type ChildResult } from './lib/child.js';
import { deriveFigures } from './lib/derived.js';
import { describeMachine } from './lib/machine.js';
import { parseScale, SCALE_ENV, SCALED_SCENARIOS } from './lib/scale.js';
import {
  formatDerived,
  formatTable,
  summarizeScenario,
  writeResults,
  type ScenarioReport,
} from './lib/report.js';
import { BOUNDS, RATIOS, SCENARIOS } from './suites/index.js';

interface Args {
  quick: boolean;
  only: string[];
  runs: number | undefined;
  list: boolean;
  child: string | undefined;
  timeoutMin: number | undefined;
  scale: number | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    only: [],
    runs: undefined,
    list: false,
    child: undefined,
    timeoutMin: undefined,
    scale: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--list') args.list = true;
    else if (a === '--only') args.only.push(...value().split(','));
    else if (a === '--runs') args.runs = Number(value());
    else if (a === '--timeout-min') args.timeoutMin = Number(value());
    else if (a === '--scale') {
      const v = value();
      args.scale = parseScale(v);
      if (args.scale === undefined)
        throw new Error(`--scale 应为事件数，如 10m (must be an event count, e.g. 10m): ${v}`);
    } else if (a === '--child') args.child = value();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        '用法 usage: npm run bench [-- --quick] [-- --only <scenario,...>] [-- --runs N] [-- --scale 10m] [-- --list]\n',
      );
      process.exit(0);
    } else throw new Error(`未知参数 (unknown argument): ${a}`);
  }
  return args;
}

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function childMain(name: string, args: Args): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const result = await runScenarioHere(scenario, { quick: args.quick, runs: args.runs });
  process.send?.(result);
  // Let the IPC message drain before leaving.
  await new Promise((r) => setTimeout(r, 50));
  process.exit(0);
}

function runInChild(name: string, args: Args): Promise<ChildResult> {
  const childArgs = [
    '--child',
    name,
    ...(args.quick ? ['--quick'] : []),
    ...(args.runs ? ['--runs', String(args.runs)] : []),
  ];
  const child = fork(fileURLToPath(import.meta.url), childArgs, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=4096'],
  });
  const timeoutMs = (args.timeoutMin ?? (args.quick ? 3 : 30)) * 60_000;
  return new Promise((resolveResult) => {
    let result: ChildResult | undefined;
    const timer = setTimeout(() => {
      result ??= { status: 'failed', error: `timed out after ${timeoutMs / 60_000} min`, runs: [] };
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000).unref();
    }, timeoutMs);
    child.on('message', (m) => (result = m as ChildResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolveResult(
        result ?? { status: 'failed', error: `scenario process exited (${code ?? signal})`, runs: [] },
      );
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Scenario processes inherit the scale through their environment.
  if (args.scale !== undefined) process.env[SCALE_ENV] = String(args.scale);
  if (args.child) return childMain(args.child, args);
  if (args.list) {
    for (const s of SCENARIOS)
      process.stdout.write(
        `${s.name.padEnd(22)} ${s.title}${s.optIn ? ` (only with --only ${s.name})` : ''}\n`,
      );
    return;
  }
  // `--scale` alone runs the stream-sized scenarios: catch-up and history at that size.
  const only = args.only.length ? args.only : args.scale !== undefined ? [...SCALED_SCENARIOS] : [];
  // Opt-in scenarios run only when named in full.
  const selected = only.length
    ? SCENARIOS.filter((s) => only.some((o) => s.name === o || (!s.optIn && s.name.startsWith(o))))
    : SCENARIOS.filter((s) => !s.optIn);
  if (selected.length === 0) throw new Error(`没有匹配的场景 (no scenario matches): ${only.join(', ')}`);
  // A 10 M-event catch-up takes the better part of an hour on two cores, its history setup as long.
  if (args.scale !== undefined && args.timeoutMin === undefined)
    args.timeoutMin = Math.max(args.quick ? 3 : 30, Math.ceil(args.scale / 100_000) * 3);

  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const mode = args.quick ? 'quick' : 'full';
  process.stdout.write(
    `hub bench (${mode}) — ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.natsServer}, load ${machine.loadAverage.join(' ')}\n`,
  );
  const reports: ScenarioReport[] = [];
  for (const s of selected) {
    process.stdout.write(`\n▶ ${s.name}: ${s.title}\n`);
    const t0 = performance.now();
    const result = await runInChild(s.name, args);
    const report = summarizeScenario(
      s.name,
      s.title,
      result,
      Math.round((performance.now() - t0) / 100) / 10,
    );
    reports.push(report);
    process.stdout.write(`${formatTable([report])}\n`);
    if (result.status === 'failed') process.stderr.write(`${result.error}\n`);
  }
  // An opt-in scenario's figures are left out of a run that did not name it, not shown as n/a.
  const notRun = new Set(SCENARIOS.filter((s) => s.optIn && !selected.includes(s)).map((s) => s.name));
  const derived = deriveFigures(
    reports,
    RATIOS,
    BOUNDS.filter((b) => !notRun.has(b.figure[0])),
  );
  process.stdout.write(`\n\n${formatTable(reports)}\n${formatDerived(derived)}\n`);
  const file = writeResults(resolve(ROOT, '.bench-out'), {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode,
    command: `npm run ${args.quick ? 'bench:quick' : 'bench'}${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    scenarios: reports,
    derived,
  });
  process.stdout.write(`\n结果 results: ${file}\n`);
  if (reports.some((r) => r.status === 'failed')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
