/**
 * Charts with uPlot, loaded only when a chart is first shown (its own chunk, not in the initial
 * JS). Bars per category (agencies, months) with one or two series side by side.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Series {
  label: string;
  values: number[];
  /** A colour from the palette: 0 blue, 1 orange, 2 green. */
  colour: 0 | 1 | 2;
}

const COLOURS = ['#1d4e89', '#d9822b', '#2e8540'];

export function BarChart(props: {
  title: string;
  labels: string[];
  series: Series[];
  height?: number;
  testid?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el || props.labels.length === 0) return;
    let chart: { destroy(): void } | undefined;
    let live = true;
    import('./uplot-bars')
      .then(({ drawBars }) => {
        if (!live) return;
        chart = drawBars(el, {
          labels: props.labels,
          series: props.series.map((s) => ({
            label: s.label,
            values: s.values,
            colour: COLOURS[s.colour] ?? '#333',
          })),
          height: props.height ?? 260,
        });
      })
      .catch(() => setFailed(true));
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [JSON.stringify([props.labels, props.series])]);
  return (
    <figure class="chart" data-testid={props.testid}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={props.title} />
      {failed && <p class="error">图表加载失败 (the chart could not be loaded)</p>}
      {props.labels.length === 0 && <p class="muted">无数据 (no data)</p>}
    </figure>
  );
}
