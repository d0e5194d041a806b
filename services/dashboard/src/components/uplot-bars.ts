/** The uPlot part of the charts (a lazily loaded chunk with its stylesheet). */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarsInput {
  labels: string[];
  series: { label: string; values: number[]; colour: string }[];
  height: number;
}

export function drawBars(el: HTMLElement, input: BarsInput): uPlot {
  const n = input.labels.length;
  const k = input.series.length;
  const width = Math.max(320, el.clientWidth || 600);
  const xs = input.labels.map((_, i) => i);
  const size = k > 1 ? 0.35 : 0.6;
  const opts: uPlot.Options = {
    width,
    height: input.height,
    scales: {
      x: { time: false, range: [-0.6, n - 0.4] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    axes: [
      {
        splits: () => xs,
        values: (_u, splits) => splits.map((i) => input.labels[i] ?? ''),
        rotate: n > 8 ? -35 : 0,
        size: n > 8 ? 80 : 40,
        gap: 4,
        grid: { show: false },
        font: '12px system-ui, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
      },
      { font: '12px system-ui, sans-serif' },
    ],
    series: [
      { label: '' },
      ...input.series.map((s, j) => ({
        label: s.label,
        stroke: s.colour,
        fill: `${s.colour}cc`,
        width: 0,
        points: { show: false },
        // Two series side by side: the first left of its category, the second right.
        paths: uPlot.paths.bars?.({ size: [size, 60], gap: 2, align: k === 1 ? 0 : j === 0 ? -1 : 1 }),
      })),
    ],
  };
  return new uPlot(opts, [xs, ...input.series.map((s) => s.values)], el);
}
