/** Ratios between figures of the same bench run: machine noise shifts both sides alike. */
import type { DerivedFigure, ScenarioReport } from './report.js';

export interface RatioDefinition {
  readonly name: string;
  readonly description: string;
  readonly numerator: readonly [scenario: string, metric: string];
  readonly denominator: readonly [scenario: string, metric: string];
  /** The ratio should be at least this much. */
  readonly atLeast?: number;
  /** Shown as a percentage (a stage's share of its ceiling). */
  readonly percent?: boolean;
  /** The numerator's worst run against the denominator's best (instead of the medians). */
  readonly worstCase?: boolean;
}

export interface BoundDefinition {
  readonly name: string;
  readonly description: string;
  readonly figure: readonly [scenario: string, metric: string];
  readonly atMost: number;
  /** @default 'ms' */
  readonly unit?: string;
}

type Pick = 'median' | 'min' | 'max';

function median(
  reports: readonly ScenarioReport[],
  [scenario, metric]: readonly [string, string],
  pick: Pick = 'median',
) {
  const r = reports.find((x) => x.name === scenario);
  if (!r) return { missing: `${scenario} not run` };
  const m = r.metrics.find((x) => x.metric === metric);
  if (!m)
    return { missing: r.status === 'ok' ? `${scenario}.${metric} not measured` : `${scenario} ${r.status}` };
  return { value: m[pick] };
}

export function deriveFigures(
  reports: readonly ScenarioReport[],
  ratios: readonly RatioDefinition[],
  bounds: readonly BoundDefinition[],
): DerivedFigure[] {
  const out: DerivedFigure[] = [];
  for (const d of ratios) {
    // Higher is better for every ratio here: the worst case is the lowest over the highest.
    const num = median(reports, d.numerator, d.worstCase ? 'min' : 'median');
    const den = median(reports, d.denominator, d.worstCase ? 'max' : 'median');
    const goal =
      d.atLeast === undefined ? undefined : d.percent ? `≥ ${d.atLeast * 100} %` : `≥ ${d.atLeast}×`;
    if (num.value === undefined || den.value === undefined || den.value === 0) {
      out.push({
        name: d.name,
        description: d.description,
        value: undefined,
        missing: num.missing ?? den.missing ?? 'zero',
        ...(goal ? { goal } : {}),
      });
      continue;
    }
    const ratio = num.value / den.value;
    const value = d.percent ? ratio * 100 : ratio;
    out.push({
      name: d.percent ? `${d.name} (%)` : `${d.name} (×)`,
      description: d.description,
      value,
      ...(goal ? { goal, met: ratio >= d.atLeast! } : {}),
    });
  }
  for (const b of bounds) {
    const fig = median(reports, b.figure);
    const unit = b.unit ?? 'ms';
    out.push({
      name: `${b.name} (${unit})`,
      description: b.description,
      value: fig.value,
      goal: `≤ ${b.atMost} ${unit}`,
      ...(fig.value === undefined ? { missing: fig.missing } : { met: fig.value <= b.atMost }),
    });
  }
  return out;
}
