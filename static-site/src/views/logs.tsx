import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { formatTime, plural } from '../format';
import { param } from '../route';
import { ConnectHelp } from '../components/connect';
import { ErrorNote, Panel, Spinner } from '../components/ui';

const KNOWN_TOOLS = ['claude-code', 'codex', 'gemini-cli'];
const FILTERS = ['tool', 'severity', 'event', 'session', 'trace', 'search'] as const;
type Filter = (typeof FILTERS)[number];

export function LogsView() {
  const { route, range, navigate, href } = useApp();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, route.params[k] ?? ''])) as Record<Filter, string>;
  const limit = Number(param(route, 'limit', '200')) || 200;
  const [tail, setTail] = useState(false);
  const [tailTick, setTailTick] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [search, setSearch] = useState(filters.search);
  const seen = useRef<Set<string>>(new Set());

  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (!tail) return;
    const id = setInterval(() => setTailTick((t) => t + 1), 2000);
    return () => clearInterval(id);
  }, [tail]);

  // A tail always looks at "now", whatever the range says.
  const window = tail ? { from: 'now-15m', to: 'now' } : range;
  const state = useLoad(
    () => api.logs({ ...window, limit, tool: filters.tool, severity: filters.severity, event: filters.event, session: filters.session, trace: filters.trace, search: filters.search }),
    [window.from, window.to, limit, ...FILTERS.map((k) => filters[k]), tailTick],
  );
  // The API applies every filter (search covers bodies and attributes, case-insensitively).
  const rows = useMemo(() => state.data?.rows ?? [], [state.data]);
  const keyOf = (r: api.LogRecord, i: number) => r.time + '|' + (r.span_id ?? '') + '|' + (r.event_name ?? '') + '|' + i;
  const fresh = new Set<string>();
  if (tail) rows.forEach((r, i) => !seen.current.has(keyOf(r, i)) && seen.current.size > 0 && fresh.add(keyOf(r, i)));
  useEffect(() => {
    seen.current = new Set(rows.map(keyOf));
  }, [rows]);

  const tools = [...new Set([...KNOWN_TOOLS, ...rows.map((r) => r.tool ?? '').filter(Boolean)])];
  const levels = [...new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', ...rows.map((r) => (r.severity_text ?? '').toUpperCase()).filter(Boolean)])];
  const set = (key: Filter, value: string) => navigate({ params: { [key]: value } }, key === 'search');
  const active = FILTERS.filter((k) => filters[k]);

  return (
    <div class="view">
      <div class="view-head">
        <h1>Logs</h1>
        <div class="filters">
          <form onSubmit={(e) => { e.preventDefault(); set('search', search); }}>
            <input type="search" class="search" placeholder="Search bodies and attributes…" value={search} data-testid="logs-search"
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          </form>
          <select value={filters.tool} onChange={(e) => set('tool', (e.target as HTMLSelectElement).value)} aria-label="Tool" data-testid="logs-tool">
            <option value="">All tools</option>
            {tools.map((t) => <option value={t}>{t}</option>)}
          </select>
          <select value={filters.severity} onChange={(e) => set('severity', (e.target as HTMLSelectElement).value)} aria-label="Severity">
            <option value="">Any severity</option>
            {levels.map((l) => <option value={l}>{l}</option>)}
          </select>
          <input placeholder="Event name" value={filters.event} onChange={(e) => set('event', (e.target as HTMLInputElement).value)} class="narrow" />
          <input placeholder="Session id" value={filters.session} onChange={(e) => set('session', (e.target as HTMLInputElement).value)} class="narrow" data-testid="logs-session" />
          <label class="toggle">
            <input type="checkbox" checked={tail} onChange={(e) => setTail((e.target as HTMLInputElement).checked)} data-testid="logs-tail" /> Live tail
          </label>
        </div>
      </div>
      {active.length > 0 && (
        <div class="chips">
          {active.map((k) => (
            <button type="button" class="chip" onClick={() => set(k, '')} title="Remove filter">
              {k}: <strong>{filters[k]}</strong> ✕
            </button>
          ))}
        </div>
      )}
      <Panel
        title={<span data-testid="logs-count">{plural(rows.length, 'record')}{tail ? ' · live, last 15 minutes' : ''}</span>}
        actions={state.loading && <Spinner />}
      >
        {state.error ? (
          <ErrorNote error={state.error} what="log records" />
        ) : state.data && rows.length === 0 ? (
          active.length ? <div class="muted pad">No records match these filters in this range.</div> : <ConnectHelp />
        ) : (
          <div class="table-wrap">
            <table class="data logs" data-testid="logs-table">
              <thead>
                <tr><th>Time</th><th>Tool</th><th>Severity</th><th>Event</th><th>Session</th><th>Body</th></tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const key = keyOf(r, i);
                  return (
                    <>
                      <tr key={key} class={'clickable' + (fresh.has(key) ? ' fresh' : '') + (open === key ? ' open' : '')} onClick={() => setOpen(open === key ? null : key)}>
                        <td class="mono nowrap">{formatTime(r.time, undefined, true)}</td>
                        <td><span class={'tool tool-' + r.tool}>{r.tool}</span></td>
                        <td><span class={'sev sev-' + (r.severity_text ?? '').toLowerCase()}>{r.severity_text ?? ''}</span></td>
                        <td class="nowrap">{r.event_name}</td>
                        <td class="mono small" data-col="session">
                          {r.session_id && <a href={href({ view: 'sessions', id: r.session_id })} onClick={(e) => e.stopPropagation()}>{r.session_id.slice(0, 8)}</a>}
                        </td>
                        <td class="body">{r.body}</td>
                      </tr>
                      {open === key && (
                        <tr class="detail">
                          <td colSpan={6}>
                            <div class="kv-grid">
                              <div><h4>Attributes</h4><pre>{JSON.stringify(r.attributes, null, 2)}</pre></div>
                              <div><h4>Resource</h4><pre>{JSON.stringify(r.resource, null, 2)}</pre></div>
                            </div>
                            <div class="detail-links">
                              {r.session_id && <a href={href({ view: 'logs', params: { session: r.session_id } })}>All records of this session</a>}
                              {r.trace_id && <a href={href({ view: 'traces', id: r.trace_id })}>Open trace {r.trace_id.slice(0, 8)}</a>}
                              {r.model && <span class="muted">model {r.model}</span>}
                            </div>
                          </td>
                        </tr>
                      )}
                    </>
                  );
                })}
              </tbody>
            </table>
            {state.data && state.data.rows.length >= limit && (
              <div class="pad">
                <button type="button" class="btn" onClick={() => navigate({ params: { limit: String(Math.min(limit * 2, 10000)) } }, true)}>Show more</button>
              </div>
            )}
          </div>
        )}
      </Panel>
    </div>
  );
}
