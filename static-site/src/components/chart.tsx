import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { barRange, colorFor, stack, usdTicks } from '../chart-data';

export { colorFor } from '../chart-data';

export type ChartKind = 'line' | 'bar' | 'stacked';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** A uPlot time chart: x in epoch seconds; line, bar or stacked bars; resizes with its box. */
export function TimeChart(props: {
  x: number[];
  series: ChartSeries[];
  kind?: ChartKind;
  height?: number;
  format?: (v: number) => string;
  /** Tick labels; defaults to {@code format}. */
  axisFormat?: (v: number) => string;
  /** Dollar amounts: tick labels get the decimals their spacing needs. */
  usd?: boolean;
  testId?: string;
  timeZone?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const kind = props.kind ?? 'line';
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = cssVar('--muted', '#888');
    const grid = cssVar('--grid', '#8882');
    const fmt = props.format ?? ((v: number) => String(v));
    const raw = props.series.map((s) => s.values);
    const drawn = kind === 'stacked' ? stack(raw) : raw.map((v) => v.map((x) => (x === null ? null : x)));
    // uPlot paints series in order; for stacks the tallest goes first so smaller ones stay visible.
    const order = props.series.map((_, i) => i);
    if (kind === 'stacked') order.reverse();
    // Plain bars share their x: the tallest goes first so the smaller ones stay visible in front.
    const peak = (i: number) => Math.max(0, ...raw[i].map((v) => v ?? 0));
    if (kind === 'bar') order.sort((a, b) => peak(b) - peak(a));
    const bars = kind !== 'line' ? uPlot.paths.bars!({ size: [0.7, 48], align: 0 }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 220,
      tzDate: props.timeZone ? (ts) => uPlot.tzDate(new Date(ts * 1e3), props.timeZone!) : undefined,
      legend: { show: props.series.length > 0, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Bars are centred on their x: widen the scale by half a step so the first and last are whole.
        x: { time: true, range: kind !== 'line' && props.x.length ? (_u, min, max) => barRange(props.x, min, max) : undefined },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 64, values: (_u, ticks) => (props.usd ? usdTicks(ticks) : ticks.map(props.axisFormat ?? fmt)) },
      ],
      series: [
        {},
        ...order.map((i) => {
          const color = colorFor(props.series[i].label, i);
          return {
            label: props.series[i].label,
            stroke: color,
            width: kind === 'line' ? 2 : 0,
            fill: kind === 'line' ? color + '18' : color + 'cc',
            paths: bars,
            points: { show: kind === 'line' && props.x.length < 60 },
            // The legend shows each series' own value, not the stacked running total.
            value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) =>
              idx === null ? '' : props.series[i].values[idx] === null ? '–' : fmt(props.series[i].values[idx] as number),
          } as uPlot.Series;
        }),
      ],
    };
    const data = [props.x, ...order.map((i) => drawn[i])] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 220 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.x, props.series, kind, props.height, props.timeZone, document.documentElement.dataset.theme]);
  return <div class="chart" ref={box} data-testid={props.testId} />;
}
