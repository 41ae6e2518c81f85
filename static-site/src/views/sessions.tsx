import { useMemo, useState } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatCompact, formatDuration, formatInt, formatTime, formatUsd, plural } from '../format';
import { param } from '../route';
import { sessionsFromLogs, timelineFromLogs } from '../session-math';
import { totalTokens } from '../usage-math';
import { ConnectHelp } from '../components/connect';
import { DataTable } from '../components/table';
import { ErrorNote, Panel, Spinner, Stat, Status } from '../components/ui';
import { Waterfall } from '../components/waterfall';

/** Sessions from the API; from log records when this server has no /api/sessions yet. */
async function loadSessions(q: api.TimeWindow & { tool?: string; search?: string }): Promise<{ rows: api.SessionSummary[]; derived: boolean }> {
  try {
    return { rows: await api.sessions({ ...q, limit: 500 }), derived: false };
  } catch (e) {
    if (!(e instanceof api.ApiError && e.missing)) throw e;
    const page = await api.logs({ ...q, limit: 10000 });
    return { rows: sessionsFromLogs(page.rows), derived: true };
  }
}

async function loadSession(id: string): Promise<api.SessionDetail & { derived: boolean }> {
  try {
    return { ...(await api.session(id)), derived: false };
  } catch (e) {
    if (!(e instanceof api.ApiError && e.missing)) throw e;
    // The session's log records, wherever they fall in time (sessions are short; a year is the cap).
    const page = await api.logs({ from: 'now-365d', to: 'now+1d', session: id, limit: 10000 });
    const rows = page.rows.filter((r) => r.session_id === id);
    if (!rows.length) throw new api.ApiError(404, 'not_found', 'no session ' + id, '/api/sessions/' + id);
    return { summary: sessionsFromLogs(rows)[0], timeline: timelineFromLogs(rows), derived: true };
  }
}

export function SessionsView() {
  const { route } = useApp();
  return route.id ? <SessionPage id={route.id} /> : <SessionList />;
}

function SessionList() {
  const { route, range, navigate } = useApp();
  const tool = param(route, 'tool', '');
  const search = param(route, 'q', '');
  const [text, setText] = useState(search);
  const state = useLoad(() => loadSessions({ ...range, tool: tool || undefined, search: search || undefined }), [range.from, range.to, tool, search]);
  const rows = useMemo(
    () => (state.data?.rows ?? []).filter((s) => (!tool || s.tool === tool) && (!search || [s.session_id, s.project, s.host_name, ...s.models].join(' ').toLowerCase().includes(search.toLowerCase()))),
    [state.data, tool, search],
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
      {state.data?.derived && <div class="note note-info small">Built from log records: this server does not offer <code>/api/sessions</code> yet, so costs are the ones the assistants reported.</div>}
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
                { key: 'calls', label: 'Calls', align: 'right', render: (s) => formatInt(s.calls) },
                { key: 'tokens', label: 'Tokens', align: 'right', value: (s) => totalTokens(s), render: (s) => formatCompact(totalTokens(s)) },
                { key: 'cost_usd', label: 'Cost', align: 'right', value: (s) => s.cost_usd ?? s.reported_cost_usd ?? -1, render: (s) => formatUsd(s.cost_usd ?? s.reported_cost_usd) },
              ]}
            />
          </Status>
        )}
      </Panel>
    </div>
  );
}

const KIND_LABEL: Record<string, string> = { prompt: 'Prompt', model_call: 'Model call', tool_decision: 'Tool decision', tool_result: 'Tool result', error: 'Error' };

function TimelineEntry(props: { item: api.TimelineItem }) {
  const f = props.item.fields as Record<string, any>;
  const [open, setOpen] = useState(false);
  let main: any = null;
  switch (props.item.kind) {
    case 'prompt':
      main = <span class="prompt-text">{String(f.prompt ?? f.text ?? '(prompt redacted)')}</span>;
      break;
    case 'model_call':
      main = (
        <span>
          <strong>{f.model ?? 'model'}</strong>
          <span class="muted"> · in {formatInt(f.input_tokens)} · out {formatInt(f.output_tokens)}{f.cache_read_tokens ? ' · cache read ' + formatInt(f.cache_read_tokens) : ''}{f.cache_write_tokens ? ' · cache write ' + formatInt(f.cache_write_tokens) : ''}</span>
          {f.cost_usd !== undefined && f.cost_usd !== null && <span class="cost"> {formatUsd(Number(f.cost_usd))}</span>}
          {f.duration_ms !== undefined && <span class="muted"> · {formatDuration(Number(f.duration_ms))}</span>}
        </span>
      );
      break;
    case 'tool_decision':
      main = <span><strong class="mono">{f.tool_name}</strong> <span class="muted">{f.decision ?? ''}{f.source ? ' (' + f.source + ')' : ''}</span></span>;
      break;
    case 'tool_result':
      main = (
        <span>
          <strong class="mono">{f.tool_name}</strong>{' '}
          {f.success === false ? <span class="bad">failed</span> : f.success === true ? <span class="good">ok</span> : null}
          {f.duration_ms !== undefined && <span class="muted"> · {formatDuration(Number(f.duration_ms))}</span>}
        </span>
      );
      break;
    case 'error':
      main = <span class="bad">{String(f.error ?? f.message ?? 'error')}</span>;
      break;
    default:
      main = <span>{String(f.event ?? props.item.kind)}</span>;
  }
  return (
    <li class={'tl tl-' + props.item.kind} data-kind={props.item.kind}>
      <span class="tl-dot" />
      <div class="tl-head" onClick={() => setOpen(!open)}>
        <span class="tl-kind">{KIND_LABEL[props.item.kind] ?? props.item.kind}</span>
        <span class="tl-time mono">{formatTime(props.item.time, undefined, true).slice(11)}</span>
      </div>
      <div class="tl-main">{main}</div>
      {open && <pre class="tl-fields">{JSON.stringify(f, null, 2)}</pre>}
    </li>
  );
}

function SessionPage(props: { id: string }) {
  const { href } = useApp();
  const detail = useLoad(() => loadSession(props.id), [props.id]);
  const s = detail.data?.summary;
  const traceIds = useMemo(() => [...new Set((detail.data?.timeline ?? []).map((i) => i.fields.trace_id as string).filter(Boolean))], [detail.data]);
  const traces = useLoad(
    () => api.traces({ from: s?.start ? new Date(Date.parse(s.start) - 60e3).toISOString() : 'now-365d', to: s?.end ? new Date(Date.parse(s.end) + 60e3).toISOString() : 'now', session: props.id }),
    [props.id, s?.start, s?.end],
  );
  const ids = [...new Set([...(traces.data ?? []).filter((t) => !t.session_id || t.session_id === props.id).map((t) => t.trace_id), ...traceIds])];
  const [picked, setPicked] = useState<string | null>(null);
  const traceId = picked ?? ids[0] ?? null;
  const spans = useLoad(() => (traceId ? api.traceSpans(traceId) : Promise.resolve([] as api.Span[])), [traceId]);
  const cost = s ? s.cost_usd ?? s.reported_cost_usd : null;
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
            {detail.data.derived && <div class="note note-info small">Built from the session's log records: this server does not offer <code>/api/sessions/{'{id}'}</code> yet.</div>}
            <div class="cards cards-6">
              <Stat label="Tool" value={s.tool ?? '–'} sub={<span class="muted">{s.models.join(', ')}</span>} />
              <Stat label="Started" value={formatTime(s.start).slice(11)} sub={<span class="muted">{formatTime(s.start).slice(0, 10)}</span>} />
              <Stat label="Duration" value={s.start && s.end ? formatDuration(Date.parse(s.end) - Date.parse(s.start)) : '–'} />
              <Stat label="Model calls" value={formatInt(s.calls)} sub={<span class="muted">{plural(s.prompts, 'prompt')} · {plural(s.tool_calls, 'tool call')}</span>} />
              <Stat label="Tokens" value={formatCompact(totalTokens(s))} testId="session-tokens" sub={<span class="muted">in {formatInt(s.input_tokens)} · out {formatInt(s.output_tokens)}</span>} />
              <Stat label="Cost" value={formatUsd(cost)} testId="session-cost" />
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
                      {ids.map((id, i) => <option value={id}>Turn {i + 1} · {id.slice(0, 8)}</option>)}
                    </select>
                  )
                }
              >
                {!traceId ? (
                  traces.error && !traces.error.missing ? <ErrorNote error={traces.error} what="traces" /> : <div class="muted pad">No trace recorded for this session{traces.error?.missing ? ' (this server does not offer /api/traces yet)' : ''}.</div>
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
