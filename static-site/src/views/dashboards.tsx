import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as api from '../api';
import { useApp, useLoad } from '../context';
import { download, formatCompact, formatInt, formatUsd } from '../format';
import { intervalFor, rangeDays, rangeMillis } from '../time';
import { daysBetween, pivot, top } from '../usage-math';
import { COLUMNS, freeSlot, moveWidget, newId, parseDashboardJson, resizeWidget, starterWidgets } from '../dashboard-layout';
import { TimeChart } from '../components/chart';
import { BarList, ErrorNote, Panel, Spinner } from '../components/ui';
import { alignSeries } from './metrics';
import { browserZone } from './overview';

const ROW_PX = 72;
const GAP_PX = 12;

/** Chart height that fits a widget of h rows: rows and gaps, less header, padding and legend. */
function chartHeight(h: number): number {
  return h * ROW_PX + (h - 1) * GAP_PX - 36 - 16 - 34;
}

function fieldFormat(field: string): (v: number) => string {
  return field.endsWith('usd') ? formatUsd : (v: number) => (Math.abs(v) < 1e6 ? formatInt(v) : formatCompact(v));
}

// ---------------------------------------------------------------- one widget's data

function WidgetBody(props: { widget: api.Widget }) {
  const { range } = useApp();
  const w = props.widget;
  const q = w.query;
  // Days in the browser's zone, as on the overview and the usage report, so the same calls fall on the same days.
  const tz = browserZone();
  const state = useLoad<any>(async () => {
    if (q.source === 'usage') {
      const groupBy: api.UsageGroup[] = w.kind === 'timeseries' ? (q.groupBy ? ['day', q.groupBy] : ['day']) : q.groupBy ? [q.groupBy] : [];
      return api.usage({ ...range, groupBy, tool: q.tool, tz });
    }
    if (q.source === 'metric') return api.metricSeries({ ...range, name: q.name, groupBy: q.groupBy, interval: intervalFor(rangeMillis(range, new Date())) });
    return api.sql(q.sql);
  }, [JSON.stringify(q), w.kind, range.from, range.to]);

  if (state.error) return <ErrorNote error={state.error} what="this widget" />;
  if (!state.data) return <div class="muted pad"><Spinner /></div>;

  if (q.source === 'usage') {
    const report = state.data as api.UsageReport;
    const fmt = fieldFormat(q.field);
    if (w.kind === 'stat') return <div class="widget-figure" data-testid="widget-stat">{fmt((report.totals[q.field] as number | null) ?? 0)}</div>;
    if (w.kind === 'timeseries') {
      const days = rangeDays(range, new Date(), tz);
      const p = pivot(report.rows, 'day', q.groupBy && q.groupBy !== 'day' && q.groupBy !== 'week' && q.groupBy !== 'month' && q.groupBy !== 'session' ? q.groupBy : 'tool', q.field, daysBetween(days.first, days.last));
      return <TimeChart x={p.x} series={p.series} kind="stacked" height={chartHeight(w.h)} format={fmt} axisFormat={fmt} usd={q.field.endsWith('usd')} timeZone="UTC" />;
    }
    const key = (q.groupBy ?? 'tool') as 'model' | 'project' | 'host' | 'tool' | 'session';
    if (w.kind === 'table')
      return (
        <table class="data compact">
          <thead><tr><th>{key}</th><th class="num">{q.field}</th></tr></thead>
          <tbody>{report.rows.map((r) => <tr><td>{r[key] ?? '(none)'}</td><td class="num">{fmt((r[q.field] as number | null) ?? 0)}</td></tr>)}</tbody>
        </table>
      );
    return <BarList rows={top(report.rows, key, q.field, w.kind === 'topn' ? 5 : 12).map((r) => ({ ...r, text: fmt(r.value) }))} />;
  }

  if (q.source === 'metric') {
    const series = state.data as api.Series[];
    if (w.kind === 'stat') return <div class="widget-figure">{formatCompact(series.reduce((s, x) => s + x.points.reduce((a, p) => a + p[1], 0), 0))}</div>;
    if (w.kind === 'timeseries') {
      const a = alignSeries(series);
      return <TimeChart x={a.x} series={a.series} height={chartHeight(w.h)} format={formatCompact} />;
    }
    const sums = series.map((s) => ({ label: s.key || '(all)', value: s.points.reduce((a, p) => a + p[1], 0) })).sort((a, b) => b.value - a.value);
    return <BarList rows={sums.slice(0, w.kind === 'topn' ? 5 : 20).map((r) => ({ ...r, text: formatCompact(r.value) }))} />;
  }

  const result = state.data as api.SqlResult;
  if (w.kind === 'stat') return <div class="widget-figure">{result.rows.length ? String(result.rows[0][result.columns.length > 1 ? 1 : 0] ?? '–') : '–'}</div>;
  if (w.kind === 'bar' || w.kind === 'topn')
    return <BarList rows={result.rows.slice(0, w.kind === 'topn' ? 5 : 20).map((r) => ({ label: String(r[0]), value: Number(r[1]) || 0, text: formatCompact(Number(r[1]) || 0) }))} />;
  if (w.kind === 'timeseries') {
    const x = result.rows.map((r) => Date.parse(String(r[0])) / 1000);
    return <TimeChart x={x} series={result.columns.slice(1).map((c, i) => ({ label: c, values: result.rows.map((r) => (r[i + 1] === null ? null : Number(r[i + 1]))) }))} height={chartHeight(w.h)} format={formatCompact} />;
  }
  return (
    <table class="data compact">
      <thead><tr>{result.columns.map((c) => <th>{c}</th>)}</tr></thead>
      <tbody>{result.rows.map((r) => <tr>{r.map((v) => <td>{v === null ? '' : String(v)}</td>)}</tr>)}</tbody>
    </table>
  );
}

// ---------------------------------------------------------------- the grid

function Grid(props: { widgets: api.Widget[]; editing: boolean; onChange(widgets: api.Widget[]): void; onEdit(w: api.Widget): void; onRemove(id: string): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  // Listeners are added in the pointerdown handler itself, so no move is lost before a re-render.
  const latest = useRef(props);
  latest.current = props;
  const rows = Math.max(4, ...props.widgets.map((w) => w.y + w.h));
  const start = (e: PointerEvent, w: api.Widget, mode: 'move' | 'resize') => {
    if (!props.editing || e.button !== 0) return;
    e.preventDefault();
    const colPx = ((box.current?.clientWidth ?? 1200) + GAP_PX) / COLUMNS;
    const startX = e.clientX;
    const startY = e.clientY;
    const before = latest.current.widgets;
    const onMove = (m: PointerEvent) => {
      const dx = Math.round((m.clientX - startX) / colPx);
      const dy = Math.round((m.clientY - startY) / (ROW_PX + GAP_PX));
      // Always from the layout at pointerdown: rounding never accumulates and pushed widgets come back.
      latest.current.onChange(mode === 'move' ? moveWidget(before, w.id, w.x + dx, w.y + dy) : resizeWidget(before, w.id, w.w + dx, w.h + dy));
    };
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      setDragging(null);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    setDragging(w.id);
  };
  return (
    <div class={'dash-grid' + (props.editing ? ' editing' : '')} ref={box} style={{ gridTemplateRows: `repeat(${rows}, ${ROW_PX}px)` }} data-testid="dashboard-grid">
      {props.widgets.map((w) => (
        <div
          class={'widget widget-' + w.kind + (dragging === w.id ? ' dragging' : '')}
          data-widget={w.title}
          style={{ gridColumn: `${w.x + 1} / span ${w.w}`, gridRow: `${w.y + 1} / span ${w.h}` }}
        >
          <header class="widget-head" onPointerDown={(e) => start(e, w, 'move')}>
            <span class="widget-title">{w.title || 'Untitled'}</span>
            {props.editing && (
              <span class="widget-tools">
                <button type="button" class="btn btn-icon btn-small" title="Edit" onPointerDown={(e) => e.stopPropagation()} onClick={() => props.onEdit(w)}>✎</button>
                <button type="button" class="btn btn-icon btn-small" title="Remove" onPointerDown={(e) => e.stopPropagation()} onClick={() => props.onRemove(w.id)}>✕</button>
              </span>
            )}
          </header>
          <div class="widget-body"><WidgetBody widget={w} /></div>
          {props.editing && <span class="resize-handle" title="Drag to resize" onPointerDown={(e) => start(e, w, 'resize')} />}
        </div>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------- widget editor

function WidgetEditor(props: { widget: api.Widget; onSave(w: api.Widget): void; onCancel(): void }) {
  const [w, setW] = useState<api.Widget>(props.widget);
  const q = w.query as any;
  const setQ = (patch: any) => setW({ ...w, query: { ...q, ...patch } });
  return (
    <div class="modal-backdrop">
      <form class="modal modal-wide" data-testid="widget-editor" onSubmit={(e) => { e.preventDefault(); props.onSave(w); }}>
        <h2>{props.widget.title ? 'Edit widget' : 'Add widget'}</h2>
        <label class="field">Title <input name="title" value={w.title} onInput={(e) => setW({ ...w, title: (e.target as HTMLInputElement).value })} required /></label>
        <div class="field-row">
          <label class="field">Shows
            <select name="kind" value={w.kind} onChange={(e) => setW({ ...w, kind: (e.target as HTMLSelectElement).value as api.WidgetKind })}>
              <option value="stat">Stat</option><option value="timeseries">Time series</option><option value="bar">Bar</option><option value="table">Table</option><option value="topn">Top N</option>
            </select>
          </label>
          <label class="field">Data
            <select name="source" value={q.source} onChange={(e) => {
              const source = (e.target as HTMLSelectElement).value;
              setW({ ...w, query: source === 'usage' ? { source, field: 'cost_usd' } : source === 'metric' ? { source, name: '' } : { source, sql: 'SELECT tool, count(*) FROM logs GROUP BY ALL' } } as api.Widget);
            }}>
              <option value="usage">Usage</option><option value="metric">Metric</option><option value="sql">SQL</option>
            </select>
          </label>
        </div>
        {q.source === 'usage' && (
          <div class="field-row">
            <label class="field">Figure
              <select name="field" value={q.field} onChange={(e) => setQ({ field: (e.target as HTMLSelectElement).value })}>
                {api.COUNTER_KEYS.map((k) => <option value={k}>{k}</option>)}
              </select>
            </label>
            <label class="field">Grouped by
              <select name="groupBy" value={q.groupBy ?? ''} onChange={(e) => setQ({ groupBy: (e.target as HTMLSelectElement).value || undefined })}>
                <option value="">nothing</option>
                {['tool', 'model', 'project', 'host', 'session'].map((k) => <option value={k}>{k}</option>)}
              </select>
            </label>
          </div>
        )}
        {q.source === 'metric' && (
          <div class="field-row">
            <label class="field">Metric <input name="metric" value={q.name} onInput={(e) => setQ({ name: (e.target as HTMLInputElement).value })} placeholder="claude_code.token.usage" /></label>
            <label class="field">Group by attribute <input name="groupBy" value={q.groupBy ?? ''} onInput={(e) => setQ({ groupBy: (e.target as HTMLInputElement).value || undefined })} placeholder="model" /></label>
          </div>
        )}
        {q.source === 'sql' && <label class="field">SQL <textarea name="sql" class="mono" rows={5} value={q.sql} onInput={(e) => setQ({ sql: (e.target as HTMLTextAreaElement).value })} /></label>}
        <div class="modal-actions">
          <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
          <button type="submit" class="btn btn-primary" data-testid="widget-save">Save widget</button>
        </div>
      </form>
    </div>
  );
}

// ---------------------------------------------------------------- the view

export function DashboardsView() {
  const { route, navigate } = useApp();
  const list = useLoad(() => api.dashboards(), []);
  const [current, setCurrent] = useState<api.Dashboard | null>(null);
  const [dirty, setDirty] = useState(false);
  const [editing, setEditing] = useState(false);
  const [editWidget, setEditWidget] = useState<api.Widget | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const serverMissing = list.error?.missing ?? false;

  // Open the dashboard named in the URL, else the first saved one, else a starter.
  useEffect(() => {
    if (list.loading && !list.data && !list.error) return;
    if (route.id) {
      if (current?.id === route.id) return;
      api.loadDashboard(route.id).then(
        (d) => { setCurrent(d); setDirty(false); },
        (e) => setMessage({ kind: 'error', text: 'Cannot open dashboard ' + route.id + ': ' + e.message }),
      );
    } else if (!current) {
      const firstSaved = list.data?.[0];
      if (firstSaved?.id) navigate({ id: firstSaved.id }, true);
      else setCurrent({ name: 'My dashboard', widgets: starterWidgets() });
    }
  }, [route.id, list.data, list.error]);

  const change = (d: api.Dashboard) => { setCurrent(d); setDirty(true); };
  const save = async () => {
    if (!current) return;
    setSaving(true);
    try {
      const saved = await api.saveDashboard(current);
      setCurrent(saved);
      setDirty(false);
      setMessage({ kind: 'ok', text: 'Saved “' + saved.name + '”.' });
      if (saved.id && saved.id !== route.id) navigate({ id: saved.id }, true);
    } catch (e) {
      setMessage({ kind: 'error', text: 'Not saved: ' + (e as Error).message });
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    if (!current?.id || !confirm('Delete dashboard “' + current.name + '”?')) return;
    await api.deleteDashboard(current.id).catch((e) => setMessage({ kind: 'error', text: e.message }));
    setCurrent(null);
    navigate({ id: null });
  };
  const importFile = async (file: File) => {
    try {
      const d = parseDashboardJson(await file.text());
      setCurrent({ ...d, id: undefined });
      setDirty(true);
      setMessage({ kind: 'ok', text: 'Imported “' + d.name + '” with ' + d.widgets.length + ' widgets. Save to keep it.' });
      if (route.id) navigate({ id: null }, true);
    } catch (e) {
      setMessage({ kind: 'error', text: 'Cannot import ' + file.name + ': ' + (e as Error).message });
    }
  };
  const options = useMemo(() => list.data ?? [], [list.data]);

  return (
    <div class="view">
      <div class="view-head">
        <h1>Dashboards</h1>
        <div class="filters">
          {options.length > 0 && (
            <select value={current?.id ?? ''} onChange={(e) => { setCurrent(null); navigate({ id: (e.target as HTMLSelectElement).value || null }); }} aria-label="Dashboard" data-testid="dashboard-select">
              {!current?.id && <option value="">(unsaved)</option>}
              {options.map((d) => <option value={d.id}>{d.name}</option>)}
            </select>
          )}
          <button type="button" class="btn" onClick={() => { navigate({ id: null }, true); setCurrent({ name: 'New dashboard', widgets: [] }); setDirty(true); setEditing(true); }} data-testid="dashboard-new">+ New</button>
        </div>
      </div>
      {serverMissing && (
        <div class="note note-info" data-testid="dashboards-unavailable">
          This server cannot store dashboards yet (<code>/api/dashboards</code> answered 404). You can still build one here and keep it with Export / Import.
        </div>
      )}
      {list.error && !serverMissing && <ErrorNote error={list.error} what="saved dashboards" />}
      {message && <div class={'note ' + (message.kind === 'ok' ? 'note-ok' : 'note-error')} data-testid="dashboard-message">{message.text}</div>}
      {current && (
        <Panel
          title={editing ? <input class="title-input" value={current.name} data-testid="dashboard-name" onInput={(e) => change({ ...current, name: (e.target as HTMLInputElement).value })} /> : <span data-testid="dashboard-title">{current.name}</span>}
          actions={
            <>
              {dirty && <span class="muted small">unsaved changes</span>}
              {editing && (
                <button type="button" class="btn" data-testid="widget-add" onClick={() => {
                  const slot = freeSlot(current.widgets, 4, 3);
                  setEditWidget({ id: newId(), title: '', kind: 'stat', query: { source: 'usage', field: 'cost_usd' }, x: slot.x, y: slot.y, w: 4, h: 3 });
                }}>+ Widget</button>
              )}
              <button type="button" class={'btn' + (editing ? ' btn-on' : '')} data-testid="dashboard-edit" onClick={() => setEditing(!editing)}>{editing ? 'Done' : 'Edit'}</button>
              <button type="button" class="btn btn-primary" disabled={serverMissing || saving || (!dirty && !!current.id)} data-testid="dashboard-save" onClick={save}>{saving ? 'Saving…' : 'Save'}</button>
              <button type="button" class="btn" title="Download as JSON" data-testid="dashboard-export" onClick={() => download((current.name || 'dashboard').replace(/[^\w.-]+/g, '-').toLowerCase() + '.json', JSON.stringify({ name: current.name, widgets: current.widgets }, null, 2), 'application/json')}>Export</button>
              <button type="button" class="btn" title="Load a JSON export" onClick={() => fileInput.current?.click()}>Import</button>
              {current.id && <button type="button" class="btn btn-danger" onClick={remove}>Delete</button>}
              <input type="file" accept="application/json,.json" hidden ref={fileInput} data-testid="dashboard-import" onChange={(e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) importFile(f); (e.target as HTMLInputElement).value = ''; }} />
            </>
          }
        >
          {current.widgets.length === 0 ? (
            <div class="muted pad">No widgets yet. Press <strong>+ Widget</strong> to add a stat, chart, table or top-N list.</div>
          ) : (
            <Grid
              widgets={current.widgets}
              editing={editing}
              onChange={(widgets) => change({ ...current, widgets })}
              onEdit={setEditWidget}
              onRemove={(id) => change({ ...current, widgets: current.widgets.filter((w) => w.id !== id) })}
            />
          )}
        </Panel>
      )}
      {editWidget && current && (
        <WidgetEditor
          widget={editWidget}
          onCancel={() => setEditWidget(null)}
          onSave={(w) => {
            const exists = current.widgets.some((x) => x.id === w.id);
            change({ ...current, widgets: exists ? current.widgets.map((x) => (x.id === w.id ? w : x)) : [...current.widgets, w] });
            setEditWidget(null);
          }}
        />
      )}
    </div>
  );
}
