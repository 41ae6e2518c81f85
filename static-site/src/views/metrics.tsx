import { useMemo } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatCompact } from '../format';
import { param } from '../route';
import { intervalFor, rangeMillis } from '../time';
import { TimeChart, type ChartKind } from '../components/chart';
import { ConnectHelp } from '../components/connect';
import { ErrorNote, Panel, Spinner, Status, Tabs } from '../components/ui';

/** Aligns series with different timestamps onto one x axis (missing points = null). */
export function alignSeries(series: api.Series[]): { x: number[]; series: { label: string; values: (number | null)[] }[] } {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  return {
    x: xs,
    series: series.map((s) => {
      const values: (number | null)[] = xs.map(() => null);
      for (const [t, v] of s.points) values[index.get(t)!] = v;
      return { label: s.key || '(all)', values };
    }),
  };
}

export function MetricsView() {
  const { route, range, navigate } = useApp();
  const name = param(route, 'metric', '');
  const groupBy = param(route, 'groupBy', '');
  const kind = param(route, 'chart', 'line') as ChartKind;
  const names = useLoad(() => api.metricNames(range), [range.from, range.to]);
  const selected = names.data?.find((m) => m.name === name);
  const interval = intervalFor(rangeMillis(range, new Date()));
  const series = useLoad(
    () => (name ? api.metricSeries({ ...range, name, interval, groupBy: groupBy || undefined }) : Promise.resolve([] as api.Series[])),
    [range.from, range.to, name, groupBy, interval],
  );
  const aligned = useMemo(() => alignSeries(series.data ?? []), [series.data]);
  const attributes = selected?.attributes.length ? selected.attributes : ['model', 'type', 'tool', 'session.id', 'host.name', 'decision', 'tool_name'];
  return (
    <div class="view">
      <div class="view-head"><h1>Metrics explorer</h1></div>
      {names.error ? (
        <ErrorNote error={names.error} what="metrics" />
      ) : (
        <Status state={names} what="metric names">
          {names.data && names.data.length === 0 ? (
            <Panel><ConnectHelp title="No metrics in this time range" /></Panel>
          ) : (
            <div class="grid-side">
              <Panel title="Metrics">
                <ul class="pick-list" data-testid="metric-names">
                  {(names.data ?? []).map((m) => (
                    <li>
                      <button type="button" class={m.name === name ? 'on' : ''} onClick={() => navigate({ params: { metric: m.name } }, true)}>
                        <span class="mono">{m.name}</span>
                        <span class="muted small">{[m.type, m.unit, m.tool].filter(Boolean).join(' · ')}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </Panel>
              <Panel
                title={name ? <span class="mono">{name}</span> : 'Pick a metric'}
                actions={
                  <>
                    {series.loading && <Spinner />}
                    <label class="field-inline">
                      Group by
                      <select value={groupBy} onChange={(e) => navigate({ params: { groupBy: (e.target as HTMLSelectElement).value } }, true)}>
                        <option value="">nothing</option>
                        {attributes.map((a) => <option value={a}>{a}</option>)}
                      </select>
                    </label>
                    <Tabs name="chart" value={kind} onChange={(v) => navigate({ params: { chart: v } }, true)} options={[{ value: 'line', label: 'Line' }, { value: 'bar', label: 'Bar' }, { value: 'stacked', label: 'Stacked' }]} />
                  </>
                }
              >
                {!name ? (
                  <div class="muted pad">Choose a metric on the left. Sums are per {interval} bucket; cumulative counters are turned into deltas, gauges averaged.</div>
                ) : series.error ? (
                  <ErrorNote error={series.error} what="this series" />
                ) : aligned.x.length === 0 && !series.loading ? (
                  <div class="muted pad">No points for {name} in this range.</div>
                ) : (
                  <TimeChart x={aligned.x} series={aligned.series} kind={kind} height={320} format={formatCompact} testId="metric-chart" />
                )}
              </Panel>
            </div>
          )}
        </Status>
      )}
    </div>
  );
}
