/** The results table and the JSON written to .bench-out/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, type ChildResult } from './child.js';
import type { MachineDescription } from './machine.js';
import { summarize, type Summary } from './stats.js';
import type { Better } from './types.js';

export interface MetricSummary extends Summary {
  readonly metric: string;
  readonly unit: string;
  readonly better: Better;
  readonly values: number[];
}

export interface ScenarioReport {
  readonly name: string;
  readonly title: string;
  readonly status: ChildResult['status'];
  readonly reason?: string;
  readonly sizes?: Record<string, number>;
  readonly seconds: number;
  readonly metrics: MetricSummary[];
}

/** A figure computed from two medians of the same run of the bench, e.g. hub ÷ peer. */
export interface DerivedFigure {
  readonly name: string;
  readonly description: string;
  readonly value: number | undefined;
  /** What the figure should reach (a ratio, a share, or a latency bound). */
  readonly goal?: string;
  readonly met?: boolean;
  readonly missing?: string;
}

export function summarizeScenario(
  name: string,
  title: string,
  result: ChildResult,
  seconds: number,
): ScenarioReport {
  const runs = result.status === 'skipped' ? [] : result.runs;
  const byMetric = new Map<string, { unit: string; better: Better; values: number[] }>();
  for (const run of runs) {
    for (const m of run) {
      const entry = byMetric.get(m.metric) ?? { unit: m.unit, better: m.better, values: [] };
      entry.values.push(m.value);
      byMetric.set(m.metric, entry);
    }
  }
  const metrics = [...byMetric].map(([metric, e]) => ({ metric, ...e, ...summarize(e.values) }));
  return {
    name,
    title,
    status: result.status,
    ...(result.status === 'skipped' ? { reason: result.reason } : {}),
    ...(result.status === 'failed' ? { reason: result.error } : {}),
    ...(result.status === 'ok' ? { sizes: result.sizes } : {}),
    seconds,
    metrics,
  };
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));
const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
const padW = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function formatTable(reports: readonly ScenarioReport[]): string {
  const lines: string[] = [];
  const head = `${padW('scenario', 22)} ${padW('metric', 46)} ${pad('median', 12, true)} ${pad('min', 12, true)} ${pad('max', 12, true)}  unit    runs`;
  lines.push(head, '-'.repeat(head.length));
  for (const r of reports) {
    if (r.status !== 'ok' && r.metrics.length === 0) {
      const reason = (r.reason ?? '').split('\n')[0] ?? '';
      lines.push(`${padW(r.name, 22)} ${r.status.toUpperCase()}: ${reason}`);
      continue;
    }
    r.metrics.forEach((m, i) => {
      lines.push(
        `${padW(i === 0 ? r.name : '', 22)} ${padW(m.metric, 46)} ${pad(fmt(m.median), 12, true)} ${pad(fmt(m.min), 12, true)} ${pad(fmt(m.max), 12, true)}  ${padW(m.unit, 7)} ${m.n}`,
      );
    });
    if (r.status === 'failed') lines.push(`${padW('', 22)} FAILED: ${(r.reason ?? '').split('\n')[0]}`);
  }
  return lines.join('\n');
}

export function formatDerived(derived: readonly DerivedFigure[]): string {
  const lines = ['', 'Ratios within this run (medians):'];
  for (const d of derived) {
    const value = d.value === undefined ? `n/a (${d.missing ?? 'missing'})` : fmt(d.value);
    const goal = d.goal ? `  goal ${d.goal}${d.met === undefined ? '' : d.met ? ' ✓' : ' ✗'}` : '';
    lines.push(`  ${padW(d.name, 58)} ${value}${goal}`);
  }
  if (derived.some((d) => d.met !== undefined)) {
    lines.push(
      '',
      '  ✓ 达到目标 the figure meets its goal · ✗ 未达到目标 it does not, in this run (the run still passed:',
      '  goals are targets, not checks; quick runs on a busy machine read low — docs/benchmarks.md says',
      '  which goals are met on a quiet machine and where the time goes)',
    );
  }
  return lines.join('\n');
}

export function writeResults(
  dir: string,
  body: {
    startedAt: string;
    finishedAt: string;
    mode: 'quick' | 'full';
    command: string;
    machine: MachineDescription;
    scenarios: ScenarioReport[];
    derived: DerivedFigure[];
  },
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `results-${body.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
