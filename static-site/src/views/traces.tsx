import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatDuration, formatInt, formatTime } from '../format';
import { param } from '../route';
import { ConnectHelp } from '../components/connect';
import { DataTable, type Column } from '../components/table';
import { ErrorNote, Panel, Spinner, Status } from '../components/ui';
import { Waterfall } from '../components/waterfall';

export function TracesView() {
  const { route, range, navigate, href } = useApp();
  const tool = param(route, 'tool', '');
  const list = useLoad(() => api.traces({ ...range, tool: tool || undefined, limit: 200 }), [range.from, range.to, tool]);
  const spans = useLoad(() => (route.id ? api.traceSpans(route.id) : Promise.resolve([] as api.Span[])), [route.id]);
  const picked = list.data?.find((t) => t.trace_id === route.id);
  return (
    <div class="view">
      <div class="view-head">
        <h1>Traces</h1>
        <div class="filters">
          <select value={tool} onChange={(e) => navigate({ params: { tool: (e.target as HTMLSelectElement).value } }, true)} aria-label="Tool">
            <option value="">All tools</option>
            {['claude-code', 'codex', 'gemini-cli'].map((t) => <option value={t}>{t}</option>)}
          </select>
        </div>
      </div>
      <div class={route.id ? 'grid-split' : ''}>
        <Panel title="Traces" actions={list.loading && <Spinner />}>
          {list.error ? (
            <ErrorNote error={list.error} what="traces" />
          ) : list.data && list.data.length === 0 ? (
            <ConnectHelp title="No traces in this time range" />
          ) : (
            <Status state={list} what="traces">
              <DataTable
                testId="traces-table"
                rows={list.data ?? []}
                rowClass={(t) => (t.trace_id === route.id ? 'selected' : '')}
                onRowClick={(t) => navigate({ id: t.trace_id })}
                initialSort={{ key: 'start', desc: true }}
                columns={[
                  { key: 'start', label: 'Start', render: (t) => <span class="mono nowrap">{formatTime(t.start)}</span> },
                  { key: 'tool', label: 'Tool', value: (t) => t.tools.join(', '), render: (t) => t.tools.map((tool) => <span class={'tool tool-' + tool}>{tool}</span>) },
                  { key: 'name', label: 'Root span', value: (t) => t.name ?? '', render: (t) => <span class="mono small">{t.name}{t.virtual && <span class="badge" title="One turn of a Codex session, shown as a trace of its own">turn</span>}</span> },
                  { key: 'spans', label: 'Spans', align: 'right', render: (t) => formatInt(t.spans) },
                  { key: 'duration_ms', label: 'Duration', align: 'right', render: (t) => formatDuration(t.duration_ms) },
                  ...(route.id ? [] : [{ key: 'session_id', label: 'Session', render: (t) => t.session_id && <a class="mono small" href={href({ view: 'sessions', id: t.session_id })} onClick={(e) => e.stopPropagation()}>{t.session_id.slice(0, 8)}</a> } as Column<api.TraceSummary>]),
                ]}
              />
            </Status>
          )}
        </Panel>
        {route.id && (
          <Panel title={<>{picked?.virtual ? 'Turn' : 'Trace'} <span class="mono">{route.id.slice(0, 16)}</span>{picked?.name && <span class="muted small"> · {picked.name}</span>}</>} actions={<a href={href({ id: null })} class="btn btn-small">Close</a>}>
            <Status state={spans} what="the spans of this trace">
              <Waterfall spans={spans.data ?? []} testId="trace-waterfall" />
            </Status>
          </Panel>
        )}
      </div>
    </div>
  );
}
