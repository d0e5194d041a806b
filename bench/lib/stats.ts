/** Order statistics over a handful of runs or many latency samples. */

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank: the value below which q of the samples fall, never interpolated.
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, n };
}

/** Latency samples in ms → p50/p99/max. */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  return { p50: quantile(arr, 0.5), p99: quantile(arr, 0.99), max: arr[arr.length - 1] ?? Number.NaN };
}

export const elapsed = (start: number): number => performance.now() - start;
