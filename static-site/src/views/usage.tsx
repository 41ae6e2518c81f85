import { useMemo } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { download, formatInt, formatTime, formatUsd, toCsv } from '../format';
import { param } from '../route';
import { timeZones } from '../time';
import { totalTokens } from '../usage-math';
import { ConnectHelp } from '../components/connect';
import { DataTable, type Column } from '../components/table';
import { ErrorNote, Panel, Spinner, Tabs } from '../components/ui';
import { browserZone } from './overview';

type Group = 'day' | 'week' | 'month' | 'session' | 'blocks' | 'tool' | 'model' | 'project' | 'host';

const GROUPS: { value: Group; label: string }[] = [
  { value: 'day', label: 'Daily' },
  { value: 'week', label: 'Weekly' },
  { value: 'month', label: 'Monthly' },
  { value: 'session', label: 'Session' },
  { value: 'blocks', label: '5-hour blocks' },
  { value: 'tool', label: 'Tool' },
  { value: 'model', label: 'Model' },
  { value: 'project', label: 'Project' },
  { value: 'host', label: 'Machine' },
];

const KEY_LABEL: Record<Group, string> = {
  day: 'Day', week: 'Week', month: 'Month', session: 'Session', blocks: 'Block', tool: 'Tool', model: 'Model', project: 'Project', host: 'Machine',
};

type Row = api.Counters & Record<string, unknown>;

const COUNTER_COLUMNS: Column<Row>[] = [
  { key: 'calls', label: 'Calls', align: 'right', render: (r) => formatInt(r.calls) },
  { key: 'input_tokens', label: 'Input', align: 'right', render: (r) => formatInt(r.input_tokens) },
  { key: 'output_tokens', label: 'Output', align: 'right', render: (r) => formatInt(r.output_tokens) },
  { key: 'cache_write_tokens', label: 'Cache write', align: 'right', render: (r) => formatInt(r.cache_write_tokens) },
  { key: 'cache_read_tokens', label: 'Cache read', align: 'right', render: (r) => formatInt(r.cache_read_tokens) },
  { key: 'reasoning_tokens', label: 'Reasoning', align: 'right', render: (r) => formatInt(r.reasoning_tokens) },
  { key: 'total_tokens', label: 'Total tokens', align: 'right', value: (r) => totalTokens(r), render: (r) => formatInt(totalTokens(r)) },
  { key: 'cost_usd', label: 'Cost', align: 'right', value: (r) => r.cost_usd ?? -1, render: (r) => formatUsd(r.cost_usd) },
];

export function UsageView() {
  const { route, range, navigate, href } = useApp();
  const group = (param(route, 'group', 'day') as Group);
  const tz = param(route, 'tz', browserZone());
  const tool = param(route, 'tool', '');
  const split = param(route, 'split', '') === 'model' && ['day', 'week', 'month'].includes(group);
  const zones = useMemo(timeZones, []);

  const report = useLoad<{ rows: Row[]; totals: api.Counters }>(
    () =>
      group === 'blocks'
        ? api.usageBlocks({ ...range, tool: tool || undefined }) as unknown as Promise<{ rows: Row[]; totals: api.Counters }>
        : api.usage({ ...range, groupBy: split ? [group, 'model'] : [group], tz, tool: tool || undefined }) as unknown as Promise<{ rows: Row[]; totals: api.Counters }>,
    [range.from, range.to, group, group === 'blocks' ? '' : tz, tool, split],
  );

  const keyColumns: Column<Row>[] =
    group === 'blocks'
      ? [
          { key: 'start', label: 'Block start', render: (r) => <span class="mono nowrap">{formatTime(r.start as string, tz)}{r.active ? <span class="badge">active</span> : null}</span>, value: (r) => r.start as string },
          { key: 'end', label: 'End', render: (r) => <span class="mono nowrap">{formatTime(r.end as string, tz)}</span>, value: (r) => r.end as string },
          { key: 'models', label: 'Models', render: (r) => ((r.models as string[]) ?? []).join(', ') },
        ]
      : [
          {
            key: group,
            label: KEY_LABEL[group],
            value: (r) => (r[group] as string) ?? '',
            render: (r) =>
              group === 'session' && r.session ? (
                <a class="mono" href={href({ view: 'sessions', id: r.session as string })}>{String(r.session)}</a>
              ) : group === 'tool' ? (
                <span class={'tool tool-' + r.tool}>{String(r.tool ?? '(none)')}</span>
              ) : (
                <span class={group === 'day' || group === 'week' || group === 'month' ? 'mono' : ''}>{String(r[group] ?? '(none)')}</span>
              ),
          },
          ...(split ? [{ key: 'model', label: 'Model', value: (r: Row) => (r.model as string) ?? '' } as Column<Row>] : []),
        ];
  const columns = [...keyColumns, ...COUNTER_COLUMNS];
  const rows = report.data?.rows ?? [];
  const totals = report.data?.totals;

  const exportRows = () => {
    const keys = columns.map((c) => c.key);
    return { keys, rows: rows.map((r) => keys.map((k) => (k === 'total_tokens' ? totalTokens(r) : k === 'models' ? ((r.models as string[]) ?? []).join(' ') : (r as any)[k] ?? null))) };
  };
  const name = `agentlake-usage-${group}${split ? '-by-model' : ''}`;

  return (
    <div class="view">
      <div class="view-head">
        <h1>Usage report</h1>
        <div class="filters">
          <label class="field-inline">
            Time zone
            <select value={tz} onChange={(e) => navigate({ params: { tz: (e.target as HTMLSelectElement).value } }, true)} data-testid="tz-select">
              {zones.map((z) => <option value={z}>{z}</option>)}
            </select>
          </label>
          <select value={tool} onChange={(e) => navigate({ params: { tool: (e.target as HTMLSelectElement).value } }, true)} aria-label="Tool">
            <option value="">All tools</option>
            {['claude-code', 'codex', 'gemini-cli'].map((t) => <option value={t}>{t}</option>)}
          </select>
        </div>
      </div>
      <div class="toolbar-row">
        <Tabs name="group" value={group} onChange={(v) => navigate({ params: { group: v } }, true)} options={GROUPS} />
        {['day', 'week', 'month'].includes(group) && (
          <label class="toggle">
            <input type="checkbox" checked={split} onChange={(e) => navigate({ params: { split: (e.target as HTMLInputElement).checked ? 'model' : '' } }, true)} /> Split by model
          </label>
        )}
        <span class="spacer" />
        <button type="button" class="btn" disabled={!rows.length} data-testid="download-csv" onClick={() => { const x = exportRows(); download(name + '.csv', toCsv(x.keys, x.rows), 'text/csv'); }}>
          ⤓ CSV
        </button>
        <button type="button" class="btn" disabled={!report.data} data-testid="download-json" onClick={() => download(name + '.json', JSON.stringify({ group, tz, from: range.from, to: range.to, rows, totals }, null, 2), 'application/json')}>
          ⤓ JSON
        </button>
      </div>
      <Panel title={GROUPS.find((g) => g.value === group)!.label + ' usage'} actions={report.loading && <Spinner />}>
        {report.error ? (
          <ErrorNote error={report.error} what={group === 'blocks' ? '5-hour blocks' : 'the usage report'} />
        ) : report.data && rows.length === 0 ? (
          <ConnectHelp />
        ) : (
          <DataTable
            testId="usage-table"
            rows={rows}
            columns={columns}
            initialSort={['day', 'week', 'month', 'blocks'].includes(group) ? { key: group === 'blocks' ? 'start' : group, desc: true } : { key: 'cost_usd', desc: true }}
            footer={
              totals && (
                <tr class="totals" data-testid="usage-totals">
                  <td colSpan={keyColumns.length}>Total</td>
                  {COUNTER_COLUMNS.map((c) => <td class="num">{c.render!(totals as Row)}</td>)}
                </tr>
              )
            }
          />
        )}
      </Panel>
    </div>
  );
}
