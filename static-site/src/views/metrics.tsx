import { useMemo } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatCompact, formatInt } from '../format';
import { param } from '../route';
import { intervalFor, rangeMillis, resolveTime } from '../time';
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

/** Per series: the total over the range (a gauge: the average of buckets with points) and the largest bucket. */
export function seriesSummary(series: api.Series[], gauge: boolean): { key: string; value: number; peak: number }[] {
  return series
    .map((s) => {
      const values = s.points.map((p) => p[1]);
      const nonZero = values.filter((v) => v !== 0);
      const total = values.reduce((a, v) => a + v, 0);
      return { key: s.key || '(all)', value: gauge ? (nonZero.length ? total / nonZero.length : 0) : total, peak: Math.max(0, ...values) };
    })
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? formatInt(v) : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The range as absolute instants, for the queries that need them. */
function absolute(range: { from: string; to: string }): { from: string; to: string } {
  const now = new Date();
  const to = resolveTime(range.to, now) ?? now;
  const from = resolveTime(range.from, now) ?? new Date(to.getTime() - 86400e3);
  return { from: from.toISOString(), to: to.toISOString() };
}

export function MetricsView() {
  const { route, range, navigate } = useApp();
  const name = param(route, 'metric', '');
  const groupBy = param(route, 'groupBy', '');
  const kind = param(route, 'chart', 'line') as ChartKind;
  const stat = param(route, 'stat', 'sum') as api.MetricStat;
  const names = useLoad(() => api.metricNames(range), [range.from, range.to]);
  const selected = names.data?.find((m) => m.name === name);
  const histogram = selected?.type === 'histogram' || selected?.type === 'summary';
  const interval = intervalFor(rangeMillis(range, new Date()));
  const series = useLoad(
    () => (name ? api.metricSeries({ ...range, name, interval, groupBy: groupBy || undefined, stat: histogram && stat !== 'sum' ? stat : undefined }) : Promise.resolve([] as api.Series[])),
    [range.from, range.to, name, groupBy, interval, histogram ? stat : ''],
  );
  const aligned = useMemo(() => alignSeries(series.data ?? []), [series.data]);
  const bounds = absolute(range);
  const keys = useLoad(() => (name ? api.metricAttributes(name, bounds.from, bounds.to) : Promise.resolve([] as string[])), [name, range.from, range.to]);
  const attributes = [...new Set([...(keys.data ?? []), ...(groupBy ? [groupBy] : [])])];
  const gauge = selected?.type === 'gauge';
  const summary = useMemo(() => seriesSummary(series.data ?? [], gauge), [series.data, gauge]);
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
                        <span class="muted small">{[m.type, m.unit, ...m.tools].filter(Boolean).join(' · ')}</span>
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
                    {histogram && <Tabs name="stat" value={stat} onChange={(v) => navigate({ params: { stat: v === 'sum' ? '' : v } }, true)} options={[{ value: 'sum', label: 'Sum' }, { value: 'count', label: 'Count' }, { value: 'avg', label: 'Average' }]} />}
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
                  <>
                    {selected?.description && <p class="muted small">{selected.description}{selected.unit ? ' (' + selected.unit + ')' : ''}</p>}
                    <TimeChart x={aligned.x} series={aligned.series} kind={kind} height={320} format={formatCompact} testId="metric-chart" />
                    <table class="data compact pad-top" data-testid="metric-totals">
                      <thead><tr><th>{groupBy || 'series'}</th><th class="num">{gauge ? 'Average' : 'Total in range'}</th><th class="num">Largest per {interval}</th></tr></thead>
                      <tbody>
                        {summary.map((r) => (
                          <tr data-series={r.key}><td class="mono">{r.key}</td><td class="num">{formatNumber(r.value)}</td><td class="num">{formatNumber(r.peak)}</td></tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
              </Panel>
            </div>
          )}
        </Status>
      )}
    </div>
  );
}
