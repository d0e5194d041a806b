/**
 * `node bench/scenario/dist/main.js [--businesses 3000] [--seed 1] [--year 2026] [--out scenario.ndjson]`
 *
 * Writes the scenario's events as NDJSON (one canonical JSON event a line, arrival order) and
 * prints what was planted: the alert counts by kind that the coordination rules must raise.
 * Build first: `npm run build && npx tsc -p bench/scenario`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateScenario } from '@hub/testing';

function parse(argv: string[]): { businesses: number; seed: number; year: number; out: string | undefined } {
  const args = { businesses: 3000, seed: 1, year: 2026, out: undefined as string | undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(
        '用法 usage: main.js [--businesses N] [--seed N] [--year YYYY] [--out file.ndjson]\n',
      );
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} 缺少取值 (needs a value)`);
    if (flag === '--out') args.out = value;
    else if (flag === '--businesses' || flag === '--seed' || flag === '--year') {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0)
        throw new Error(`${flag} 应为非负整数 (must be a non-negative integer)`);
      args[flag.slice(2) as 'businesses' | 'seed' | 'year'] = n;
    } else throw new Error(`未知参数 (unknown argument): ${flag}`);
  }
  return args;
}

const args = parse(process.argv.slice(2));
const scenario = generateScenario(args);
if (args.out !== undefined) {
  const out = createWriteStream(args.out);
  for (const e of scenario.events) {
    if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
process.stdout.write(
  `${JSON.stringify(
    {
      seed: args.seed,
      businesses: scenario.businesses,
      events: scenario.events.length,
      out: args.out ?? null,
      planted: scenario.planted,
      plantedWithdrawn: scenario.plantedWithdrawn,
      episodes: scenario.episodes,
    },
    null,
    2,
  )}\n`,
);
