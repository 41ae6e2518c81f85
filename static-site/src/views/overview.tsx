import { useMemo } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { delta, formatCompact, formatDuration, formatInt, formatPercent, formatUsd, plural } from '../format';
import { param } from '../route';
import { dayKey, resolveTime } from '../time';
import { daysBetween, pivot, top, totalTokens, windowsEnding } from '../usage-math';
import { TimeChart } from '../components/chart';
import { ConnectHelp } from '../components/connect';
import { DataTable } from '../components/table';
import { BarList, ErrorNote, Panel, Spinner, Stat, Status, Tabs } from '../components/ui';

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function OverviewView() {
  const { route, range, navigate, href } = useApp();
  const tz = param(route, 'tz', browserZone());
  const by = (param(route, 'by', 'tool') as 'tool' | 'model');
  const measure = (param(route, 'measure', 'cost') as 'cost' | 'tokens');
  const now = new Date();
  // Figures are "as of" the end of the selected range, so an absolute range gives a stable page.
  const end = resolveTime(range.to, now) ?? now;
  const start = resolveTime(range.from, now) ?? new Date(end.getTime() - 86400e3);
  const endDay = dayKey(new Date(end.getTime() - 1), tz);
  const windowFrom = new Date(end.getTime() - 61 * 86400e3).toISOString();

  const days = useLoad(() => api.usage({ from: windowFrom, to: end.toISOString(), groupBy: ['day'], tz }), [windowFrom, tz, range.to]);
  const overTime = useLoad(() => api.usage({ ...range, groupBy: ['day', by], tz }), [range.from, range.to, by, tz]);
  const byTool = useLoad(() => api.usage({ ...range, groupBy: ['tool'], tz }), [range.from, range.to, tz]);
  const byModel = useLoad(() => api.usage({ ...range, groupBy: ['model'], tz }), [range.from, range.to, tz]);
  const byProject = useLoad(() => api.usage({ ...range, groupBy: ['project'], tz }), [range.from, range.to, tz]);
  const byHost = useLoad(() => api.usage({ ...range, groupBy: ['host'], tz }), [range.from, range.to, tz]);
  const sessions = useLoad(() => api.sessions({ from: start.toISOString(), to: end.toISOString(), limit: SESSION_LIMIT }), [range.from, range.to]);
  const calls = useLoad(() => api.callFigures(start.toISOString(), end.toISOString()), [range.from, range.to]);
  const lake = useLoad(() => api.stats(), []);
  const unknown = useLoad(() => api.unknownModels(), []);

  const windows = useMemo(() => (days.data ? windowsEnding(days.data.rows, endDay) : null), [days.data, endDay]);
  const field = measure === 'cost' ? 'cost_usd' : 'input_tokens';
  const chart = useMemo(() => {
    if (!overTime.data) return null;
    const rows = measure === 'cost' ? overTime.data.rows : overTime.data.rows.map((r) => ({ ...r, input_tokens: totalTokens(r) }));
    return pivot(rows, 'day', by, field, daysBetween(dayKey(start, tz), endDay));
  }, [overTime.data, by, measure, tz, endDay]);

  const totals = byTool.data?.totals ?? null;
  const noData = byTool.data && totals && totals.calls === 0 && totalTokens(totals) === 0;
  const f = useMemo(() => (sessions.data ? sessionFigures(sessions.data) : null), [sessions.data]);
  const c = calls.data;

  return (
    <div class="view overview">
      <div class="view-head">
        <h1>Overview</h1>
        <span class="muted small">Day boundaries in {tz}</span>
      </div>
      {unknown.data && unknown.data.length > 0 && (
        <div class="note note-warn" data-testid="unpriced-banner">
          <strong>Unpriced models:</strong> {unknown.data.map((m) => `${m.model} (${[...m.tools, plural(m.calls, 'call')].join(', ')})`).join('; ')}. Their cost is
          shown as unknown, not $0, until the price table knows them.
        </div>
      )}
      {byTool.error?.missing ? (
        <ErrorNote error={byTool.error} what="usage figures" />
      ) : noData ? (
        <Panel><ConnectHelp /></Panel>
      ) : (
        <>
          <div class="cards cards-3" data-testid="period-cards">
            {(['today', 'd7', 'd30'] as const).map((k) => {
              const w = windows?.[k];
              const label = k === 'today' ? 'Today' : k === 'd7' ? 'Last 7 days' : 'Last 30 days';
              return (
                <Stat
                  testId={'period-' + k}
                  label={label + ' · cost'}
                  value={w ? formatUsd(w.current.cost_usd) : days.error ? '–' : '…'}
                  delta={w ? delta(w.current.cost_usd, w.previous.cost_usd) : null}
                  sub={w && <span class="muted"> {formatCompact(totalTokens(w.current))} tokens · {formatInt(w.current.calls)} calls</span>}
                  hint={'vs. the previous ' + (k === 'today' ? 'day' : k === 'd7' ? '7 days' : '30 days') + ', ending ' + endDay}
                />
              );
            })}
          </div>
          <div class="cards cards-6" data-testid="range-stats">
            <Stat label="Cost in range" value={totals ? formatUsd(totals.cost_usd) : '…'} testId="range-cost" sub={totals?.reported_cost_usd != null && <span class="muted">reported {formatUsd(totals.reported_cost_usd)}</span>} />
            <Stat label="Tokens in range" value={totals ? formatCompact(totalTokens(totals)) : '…'} testId="range-tokens" sub={totals && <span class="muted">{formatInt(totals.calls)} model calls</span>} />
            <Stat label="Sessions" value={f ? formatInt(f.sessions) + (f.sessions >= SESSION_LIMIT ? '+' : '') : '…'} testId="stat-sessions" sub={f && <span class="muted">{plural(f.prompts, 'prompt')}</span>} />
            <Stat label="Tool-call success" testId="stat-tool-success" value={f ? (f.toolCalls ? formatPercent(1 - f.toolFailures / f.toolCalls) : '–') : '…'} sub={f && <span class="muted">{plural(f.toolCalls, 'tool call')}{f.toolFailures ? ', ' + formatInt(f.toolFailures) + ' failed' : ''}</span>} />
            <Stat label="API error rate" testId="stat-api-errors" value={f ? (f.modelCalls + f.apiErrors ? formatPercent(f.apiErrors / (f.modelCalls + f.apiErrors)) : '–') : '…'} sub={f && <span class="muted">{formatInt(f.apiErrors)} errors in {plural(f.modelCalls + f.apiErrors, 'request')}</span>} />
            <Stat label="API latency p50 / p95" testId="stat-latency" value={c ? formatDuration(c.latency_p50_ms) : '…'} sub={c && <span class="muted">p95 {formatDuration(c.latency_p95_ms)}</span>} />
          </div>
          {sessions.error && <ErrorNote error={sessions.error} what="session figures" />}
          {calls.error && <ErrorNote error={calls.error} what="model-call latency" />}
          <Panel
            title={measure === 'cost' ? 'Cost over time' : 'Tokens over time'}
            actions={
              <>
                {overTime.loading && <Spinner />}
                <Tabs name="measure" value={measure} onChange={(v) => navigate({ params: { measure: v } }, true)} options={[{ value: 'cost', label: 'Cost' }, { value: 'tokens', label: 'Tokens' }]} />
                <Tabs name="stack by" value={by} onChange={(v) => navigate({ params: { by: v } }, true)} options={[{ value: 'tool', label: 'By tool' }, { value: 'model', label: 'By model' }]} />
              </>
            }
          >
            <Status state={overTime} what="usage over time">
              {chart && <TimeChart x={chart.x} series={chart.series} kind="stacked" timeZone="UTC" format={measure === 'cost' ? formatUsd : formatCompact} axisFormat={formatCompact} usd={measure === 'cost'} testId="cost-chart" />}
            </Status>
          </Panel>
          <div class="grid-2">
            <Panel title="Tokens by kind">
              <Status state={byTool} what="usage">
                {totals && (
                  <BarList
                    testId="tokens-by-kind"
                    rows={[
                      { label: 'Input (fresh)', value: totals.input_tokens, text: formatInt(totals.input_tokens) },
                      { label: 'Output', value: totals.output_tokens, text: formatInt(totals.output_tokens) },
                      { label: 'Cache read', value: totals.cache_read_tokens, text: formatInt(totals.cache_read_tokens) },
                      { label: 'Cache write', value: totals.cache_write_tokens, text: formatInt(totals.cache_write_tokens) },
                      { label: 'Reasoning (part of output)', value: totals.reasoning_tokens, text: formatInt(totals.reasoning_tokens) },
                    ]}
                  />
                )}
                {c && (
                  <p class="muted small pad-top" data-testid="user-facing">
                    Claude Code: {formatInt(c.claude_code_user_facing_calls)} user-facing of {plural(c.claude_code_calls, 'model call')}
                    {c.routing_calls > 0 && <> · all tools: {formatInt(c.routing_calls)} of {plural(c.calls, 'call')} were routing calls the assistant made for itself</>}.
                  </p>
                )}
              </Status>
            </Panel>
            <Panel title="By tool">
              <Status state={byTool} what="usage by tool">
                <DataTable
                  testId="usage-by-tool"
                  rows={byTool.data?.rows ?? []}
                  initialSort={{ key: 'cost_usd', desc: true }}
                  onRowClick={(r) => navigate({ view: 'sessions', params: { tool: r.tool ?? '' } })}
                  columns={[
                    { key: 'tool', label: 'Tool', render: (r) => <span class={'tool tool-' + r.tool}>{r.tool}</span> },
                    { key: 'calls', label: 'Calls', align: 'right', render: (r) => formatInt(r.calls) },
                    { key: 'input_tokens', label: 'Input', align: 'right', render: (r) => formatInt(r.input_tokens) },
                    { key: 'output_tokens', label: 'Output', align: 'right', render: (r) => formatInt(r.output_tokens) },
                    { key: 'cache_read_tokens', label: 'Cache read', align: 'right', render: (r) => formatInt(r.cache_read_tokens) },
                    { key: 'cache_write_tokens', label: 'Cache write', align: 'right', render: (r) => formatInt(r.cache_write_tokens) },
                    { key: 'cost_usd', label: 'Cost', align: 'right', value: (r) => r.cost_usd ?? -1, render: (r) => formatUsd(r.cost_usd) },
                  ]}
                />
              </Status>
            </Panel>
          </div>
          <div class="grid-3">
            {([['Top models', byModel, 'model'], ['Top projects', byProject, 'project'], ['Top machines', byHost, 'host']] as const).map(([title, state, key]) => (
              <Panel title={title}>
                <Status state={state} what={title.toLowerCase()}>
                  <BarList
                    testId={'top-' + key}
                    rows={top(state.data?.rows ?? [], key, 'cost_usd').map((r) => ({
                      label: r.label,
                      value: r.value,
                      text: formatUsd(r.value),
                      href: key === 'model' ? href({ view: 'usage', params: { group: 'model' } }) : undefined,
                    }))}
                  />
                </Status>
              </Panel>
            ))}
          </div>
          {lake.data && (
            <p class="muted small" data-testid="lake-stats">
              In the lake: {plural(lake.data.log_records, 'log record')}, {plural(lake.data.usage_rows, 'model call')}; snapshot {lake.data.snapshot_version}
              {lake.data.landing_files > 0 && <>, {plural(lake.data.landing_files, 'file')} not compacted yet (already counted)</>}.
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** The overview caps its session figures at this many sessions (the API's largest page). */
const SESSION_LIMIT = 1000;

/** Sessions, prompts, tool calls and API errors in range, summed over the sessions list. */
export function sessionFigures(rows: api.SessionSummary[]) {
  const sum = (k: 'prompts' | 'tool_calls' | 'tool_failures' | 'errors' | 'calls') => rows.reduce((a, s) => a + s[k], 0);
  return { sessions: rows.length, prompts: sum('prompts'), toolCalls: sum('tool_calls'), toolFailures: sum('tool_failures'), apiErrors: sum('errors'), modelCalls: sum('calls') };
}
