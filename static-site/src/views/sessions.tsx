import { useMemo, useState } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatCompact, formatDuration, formatInt, formatTime, formatUsd, plural } from '../format';
import { param } from '../route';
import { totalTokens } from '../usage-math';
import { ConnectHelp } from '../components/connect';
import { DataTable } from '../components/table';
import { ErrorNote, Panel, Spinner, Stat, Status } from '../components/ui';
import { Waterfall } from '../components/waterfall';

export function SessionsView() {
  const { route } = useApp();
  return route.id ? <SessionPage id={route.id} /> : <SessionList />;
}

function SessionList() {
  const { route, range, navigate } = useApp();
  const tool = param(route, 'tool', '');
  const search = param(route, 'q', '');
  const [text, setText] = useState(search);
  const state = useLoad(() => api.sessions({ ...range, tool: tool || undefined, limit: 1000 }), [range.from, range.to, tool]);
  // The API filters by tool; the text search (session, project, machine, model) runs over the page's rows.
  const rows = useMemo(
    () => (state.data ?? []).filter((s) => !search || [s.session_id, s.project, s.host_name, ...s.models].join(' ').toLowerCase().includes(search.toLowerCase())),
    [state.data, search],
  );
  return (
    <div class="view">
      <div class="view-head">
        <h1>Sessions</h1>
        <div class="filters">
          <form onSubmit={(e) => { e.preventDefault(); navigate({ params: { q: text } }, true); }}>
            <input type="search" class="search" placeholder="Session, project, machine, model…" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </form>
          <select value={tool} onChange={(e) => navigate({ params: { tool: (e.target as HTMLSelectElement).value } }, true)} aria-label="Tool">
            <option value="">All tools</option>
            {['claude-code', 'codex', 'gemini-cli'].map((t) => <option value={t}>{t}</option>)}
          </select>
        </div>
      </div>
      <Panel title={<span data-testid="sessions-count">{plural(rows.length, 'session')}</span>} actions={state.loading && <Spinner />}>
        {state.error ? (
          <ErrorNote error={state.error} what="sessions" />
        ) : state.data && rows.length === 0 ? (
          search || tool ? <div class="muted pad">No sessions match.</div> : <ConnectHelp />
        ) : (
          <Status state={state} what="sessions">
            <DataTable
              testId="sessions-table"
              rows={rows}
              rowKey={(s) => s.session_id}
              initialSort={{ key: 'start', desc: true }}
              onRowClick={(s) => navigate({ id: s.session_id })}
              columns={[
                { key: 'start', label: 'Started', render: (s) => <span class="mono nowrap">{formatTime(s.start)}</span> },
                { key: 'session_id', label: 'Session', render: (s) => <span class="mono">{s.session_id}</span> },
                { key: 'tool', label: 'Tool', render: (s) => <span class={'tool tool-' + s.tool}>{s.tool}</span> },
                { key: 'models', label: 'Models', value: (s) => s.models.join(', ') },
                { key: 'project', label: 'Project', value: (s) => s.project ?? '' },
                { key: 'duration', label: 'Duration', align: 'right', value: (s) => (s.start && s.end ? Date.parse(s.end) - Date.parse(s.start) : 0), render: (s) => (s.start && s.end ? formatDuration(Date.parse(s.end) - Date.parse(s.start)) : '–') },
                { key: 'prompts', label: 'Prompts', align: 'right', render: (s) => formatInt(s.prompts) },
                { key: 'calls', label: 'Model calls', align: 'right', render: (s) => formatInt(s.calls) },
                { key: 'tool_calls', label: 'Tool calls', align: 'right', render: (s) => formatInt(s.tool_calls) + (s.tool_failures ? ' (' + formatInt(s.tool_failures) + ' failed)' : '') },
                { key: 'input_tokens', label: 'Input', align: 'right', render: (s) => formatInt(s.input_tokens) },
                { key: 'tokens', label: 'Tokens', align: 'right', value: (s) => totalTokens(s), render: (s) => formatCompact(totalTokens(s)) },
                { key: 'cost_usd', label: 'Cost', align: 'right', value: (s) => s.cost_usd ?? -1, render: (s) => formatUsd(s.cost_usd) },
              ]}
            />
          </Status>
        )}
      </Panel>
    </div>
  );
}

const KIND_LABEL: Record<string, string> = { prompt: 'Prompt', model_call: 'Model call', model_request: 'Request', tool_decision: 'Tool decision', tool_result: 'Tool result', error: 'Error' };

/** What a person wants to read of a timeline item; the API sends the rest too (click to see it). */
function TimelineEntry(props: { item: api.TimelineItem }) {
  const f = props.item.fields;
  const a = (f.attributes ?? {}) as Record<string, any>;
  const [open, setOpen] = useState(false);
  const has = (v: unknown) => v !== undefined && v !== null;
  let main: any = null;
  let kind: string = props.item.kind;
  switch (props.item.kind) {
    case 'prompt':
      main = <span class="prompt-text">{String(a.prompt ?? a.prompt_text ?? f.body ?? '(prompt not recorded)')}</span>;
      break;
    case 'model_call':
      if (!has(f.input_tokens) && !has(f.output_tokens) && !has(f.duration_ms)) {
        // The request went out; its answer (with the tokens) is the next model call of the same model.
        kind = 'model_request';
        main = <span class="muted">request to <strong>{f.model ?? 'the model'}</strong></span>;
        break;
      }
      main = (
        <span>
          <strong>{f.model ?? 'model'}</strong>
          <span class="muted"> · in {formatInt(f.input_tokens)} · out {formatInt(f.output_tokens)}{f.cache_read_tokens ? ' · cache read ' + formatInt(f.cache_read_tokens) : ''}{f.cache_write_tokens ? ' · cache write ' + formatInt(f.cache_write_tokens) : ''}{f.reasoning_tokens ? ' · reasoning ' + formatInt(f.reasoning_tokens) : ''}</span>
          {has(f.cost_usd) && <span class="cost"> {formatUsd(Number(f.cost_usd))}</span>}
          {has(f.duration_ms) && <span class="muted"> · {formatDuration(Number(f.duration_ms))}</span>}
        </span>
      );
      break;
    case 'tool_decision':
      main = <span><strong class="mono">{f.tool_name}</strong> <span class="muted">{f.decision ?? ''}{a.source ? ' (' + a.source + ')' : ''}</span></span>;
      break;
    case 'tool_result':
      main = (
        <span>
          <strong class="mono">{f.tool_name}</strong>{' '}
          {f.success === false ? <span class="bad">failed</span> : f.success === true ? <span class="good">ok</span> : null}
          {has(f.duration_ms) && <span class="muted"> · {formatDuration(Number(f.duration_ms))}</span>}
        </span>
      );
      break;
    case 'error':
      main = <span class="bad">{String(a.error ?? f.body ?? 'error')}</span>;
      break;
    default:
      main = <span>{String(f.event_name ?? props.item.kind)}</span>;
  }
  return (
    <li class={'tl tl-' + kind} data-kind={props.item.kind}>
      <span class="tl-dot" />
      <div class="tl-head" onClick={() => setOpen(!open)}>
        <span class="tl-kind">{KIND_LABEL[kind] ?? kind}</span>
        <span class="tl-time mono">{formatTime(props.item.time, undefined, true).slice(11)}</span>
      </div>
      <div class="tl-main">{main}</div>
      {open && <pre class="tl-fields">{JSON.stringify(f, null, 2)}</pre>}
    </li>
  );
}

function SessionPage(props: { id: string }) {
  const { href } = useApp();
  const detail = useLoad(() => api.session(props.id), [props.id]);
  const s = detail.data?.summary;
  const traceIds = useMemo(() => [...new Set((detail.data?.timeline ?? []).map((i) => i.fields.trace_id as string).filter(Boolean))], [detail.data]);
  const traces = useLoad(
    () => api.traces({ from: s?.start ? new Date(Date.parse(s.start) - 60e3).toISOString() : 'now-365d', to: s?.end ? new Date(Date.parse(s.end) + 60e3).toISOString() : 'now', session: props.id }),
    [props.id, s?.start, s?.end],
  );
  // Codex keeps a session in one trace and the API splits it into turns: show the turns, not the whole.
  const listed = (traces.data ?? []).filter((t) => t.session_id === props.id);
  const split = new Set(listed.filter((t) => t.virtual).map((t) => t.trace_id.slice(0, 32)));
  const ids = [...new Set([...listed.filter((t) => t.virtual || !split.has(t.trace_id)).sort((x, y) => (x.start ?? '').localeCompare(y.start ?? '')).map((t) => t.trace_id), ...traceIds.filter((id) => !split.has(id))])];
  const [picked, setPicked] = useState<string | null>(null);
  const traceId = picked ?? ids[0] ?? null;
  const spans = useLoad(() => (traceId ? api.traceSpans(traceId) : Promise.resolve([] as api.Span[])), [traceId]);
  return (
    <div class="view">
      <div class="view-head">
        <h1>
          <a href={href({ id: null })} class="crumb">Sessions</a> / <span class="mono" data-testid="session-id">{props.id}</span>
        </h1>
      </div>
      <Status state={detail} what="this session">
        {detail.data && s && (
          <>
            <div class="cards cards-6">
              <Stat label="Tool" value={s.tool ?? '–'} sub={<span class="muted">{s.models.join(', ')}</span>} />
              <Stat label="Started" value={formatTime(s.start).slice(11)} sub={<span class="muted">{formatTime(s.start).slice(0, 10)}{s.start && s.end ? ' · ' + formatDuration(Date.parse(s.end) - Date.parse(s.start)) : ''}</span>} />
              <Stat label="Model calls" value={formatInt(s.calls)} testId="session-calls" sub={<span class="muted">{plural(s.prompts, 'prompt')} · {plural(s.tool_calls, 'tool call')}{s.tool_failures ? ' (' + formatInt(s.tool_failures) + ' failed)' : ''}{s.errors ? ' · ' + plural(s.errors, 'API error') : ''}</span>} />
              <Stat label="Tokens" value={formatCompact(totalTokens(s))} testId="session-tokens" sub={<span class="muted">in {formatInt(s.input_tokens)} · out {formatInt(s.output_tokens)}{s.reasoning_tokens ? ' (reasoning ' + formatInt(s.reasoning_tokens) + ')' : ''}</span>} />
              <Stat label="Cache" value={formatInt(s.cache_read_tokens) + ' read'} testId="session-cache" sub={<span class="muted">{formatInt(s.cache_write_tokens)} written</span>} />
              <Stat label="Cost" value={formatUsd(s.cost_usd)} testId="session-cost" sub={<span class="muted">{s.project ? 'project ' + s.project : ''}{s.project && s.host_name ? ' · ' : ''}{s.host_name ? 'on ' + s.host_name : ''}</span>} />
            </div>
            <div class="grid-split">
              <Panel title="Timeline">
                {detail.data.timeline.length ? (
                  <ol class="timeline" data-testid="session-timeline">
                    {detail.data.timeline.map((item) => <TimelineEntry item={item} />)}
                  </ol>
                ) : (
                  <div class="muted pad">No prompts, model calls or tool calls recorded for this session.</div>
                )}
              </Panel>
              <Panel
                title="Trace"
                actions={
                  ids.length > 1 && (
                    <select value={traceId ?? ''} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)} aria-label="Trace">
                      {ids.map((id, i) => <option value={id}>{split.size ? 'Turn' : 'Trace'} {i + 1} · {id.slice(0, 8)}</option>)}
                    </select>
                  )
                }
              >
                {!traceId ? (
                  traces.error ? <ErrorNote error={traces.error} what="traces" /> : <div class="muted pad">No trace recorded for this session.</div>
                ) : (
                  <Status state={spans} what="the trace">
                    <Waterfall spans={spans.data ?? []} testId="session-waterfall" />
                    <div class="pad-top small"><a href={href({ view: 'traces', id: traceId })}>Open in Traces</a></div>
                  </Status>
                )}
              </Panel>
            </div>
          </>
        )}
      </Status>
    </div>
  );
}
