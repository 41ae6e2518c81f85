// The page's only door to the server: every /api call, its parameters and the shapes of its answers.
// Field names follow issue 5's contract; where the contract leaves a shape open, the normalisers below
// accept the plausible spellings so a view never has to guess. Change names here, nowhere else.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Params = Record<string, string | number | boolean | undefined | null | string[]>;

/** A failed call: HTTP status plus the API's {error, message}. Status 0 = the server could not be reached. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly path: string) {
    super(message);
  }
  /**
   * The endpoint does not exist on this server (yet): views show a "not available" state, not an error.
   * An unknown route reaches the site's file handler ("no such file") or the framework's default 404;
   * an API's own 404 ("no session …") names the missing thing instead.
   */
  get missing(): boolean {
    return (this.status === 404 || this.status === 405) && (this.code.startsWith('http_') || this.message === 'no such file' || this.message === 'Not Found' || this.message === 'Page Not Found');
  }
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

const TOKEN_KEY = 'agentlake.token';
let base = '';
let memoryToken: string | null = null;
let unauthorizedListener: (() => void) | null = null;

/** Where the API lives: '' = same origin as the page (how the query function serves it). */
export function setApiBase(url: string): void {
  base = url.replace(/\/+$/, '');
}

export function token(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(value: string | null): void {
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the token lives for this page only */
  }
  memoryToken = value;
}

/** Called when any call answers 401, so the shell can ask for a token once. */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

export function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

async function call<T>(method: string, path: string, params: Params = {}, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token() ?? memoryToken;
  if (bearer) headers.Authorization = 'Bearer ' + bearer;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(base + path + query(params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'the server cannot be reached (' + (e as Error).message + ')', path);
  }
  const text = await response.text();
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && unauthorizedListener) unauthorizedListener();
    const code = data && typeof data.error === 'string' ? data.error : 'http_' + response.status;
    const message = data && typeof data.message === 'string' ? data.message : response.statusText || 'HTTP ' + response.status;
    throw new ApiError(response.status, code, message, path);
  }
  return data as T;
}

// ---------------------------------------------------------------- shared shapes

/** The token and cost counters of the usage table's one convention (see issue 5). */
export interface Counters {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  reported_cost_usd: number | null;
}

export const COUNTER_KEYS = [
  'calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'cost_usd', 'reported_cost_usd',
] as const;

export type UsageGroup = 'day' | 'week' | 'month' | 'tool' | 'model' | 'session' | 'project' | 'host';

export type UsageRow = Counters & { [key in UsageGroup]?: string | null };

export interface UsageReport {
  rows: UsageRow[];
  totals: Counters;
}

export interface TimeWindow {
  from: string;
  to: string;
}

function counters(raw: any): Counters {
  const out: any = {};
  for (const key of COUNTER_KEYS) {
    const v = raw?.[key];
    out[key] = v === null || v === undefined ? (key.endsWith('usd') ? null : 0) : Number(v);
  }
  return out as Counters;
}

function array(raw: any, ...keys: string[]): any[] {
  if (Array.isArray(raw)) return raw;
  for (const key of keys) if (Array.isArray(raw?.[key])) return raw[key];
  return [];
}

function first(row: any, ...keys: string[]): any {
  for (const key of keys) if (row?.[key] !== undefined && row?.[key] !== null) return row[key];
  return undefined;
}

function str(v: any): string | null {
  return v === undefined || v === null ? null : String(v);
}

function numOrNull(v: any): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

// ---------------------------------------------------------------- logs

export interface LogRecord {
  time: string;
  tool: string | null;
  service_name: string | null;
  host_name: string | null;
  severity_text: string | null;
  severity_number: number;
  event_name: string | null;
  session_id: string | null;
  prompt_id: string | null;
  model: string | null;
  body: string | null;
  trace_id: string | null;
  span_id: string | null;
  attributes: Record<string, Json>;
  resource: Record<string, Json>;
}

export interface LogFilter extends TimeWindow {
  limit?: number;
  offset?: number;
  tool?: string;
  service?: string;
  severity?: string;
  event?: string;
  session?: string;
  trace?: string;
  search?: string;
}

export interface LogsPage {
  rows: LogRecord[];
}

export async function logs(filter: LogFilter): Promise<LogsPage> {
  const raw = await call<any>('GET', '/api/logs', { ...filter });
  return { rows: array(raw, 'rows') as LogRecord[] };
}

export async function logLevels(window: TimeWindow): Promise<string[]> {
  const raw = await call<any>('GET', '/api/logs/levels', { ...window });
  return array(raw, 'levels', 'rows').map((l: any) => (typeof l === 'string' ? l : str(first(l, 'severity_text', 'level', 'name')) ?? ''));
}

// ---------------------------------------------------------------- usage

export interface UsageQuery extends TimeWindow {
  groupBy: UsageGroup[];
  tz?: string;
  tool?: string;
  model?: string;
}

export async function usage(q: UsageQuery): Promise<UsageReport> {
  const raw = await call<any>('GET', '/api/usage', { ...q, groupBy: q.groupBy });
  return {
    rows: array(raw, 'rows').map((r: any) => {
      const row: any = counters(r);
      for (const key of q.groupBy) row[key] = str(r[key]);
      return row as UsageRow;
    }),
    totals: counters(raw?.totals),
  };
}

export interface UsageBlock extends Counters {
  start: string;
  end: string;
  active: boolean;
  models: string[];
}

export async function usageBlocks(q: TimeWindow & { tz?: string; tool?: string }): Promise<{ rows: UsageBlock[]; totals: Counters }> {
  const raw = await call<any>('GET', '/api/usage/blocks', { ...q });
  return {
    rows: array(raw, 'rows', 'blocks').map((b: any) => ({
      ...counters(b),
      start: String(first(b, 'start', 'block_start', 'start_time') ?? ''),
      end: String(first(b, 'end', 'block_end', 'end_time') ?? ''),
      active: Boolean(first(b, 'active', 'is_active')),
      models: array(first(b, 'models'), 'models').map(String),
    })),
    totals: counters(raw?.totals),
  };
}

// ---------------------------------------------------------------- sessions

export interface SessionSummary extends Counters {
  session_id: string;
  tool: string | null;
  start: string | null;
  end: string | null;
  host_name: string | null;
  project: string | null;
  models: string[];
  prompts: number | null;
  tool_calls: number | null;
  errors: number | null;
}

export type TimelineKind = 'prompt' | 'model_call' | 'tool_decision' | 'tool_result' | 'error';

export interface TimelineItem {
  kind: TimelineKind | string;
  time: string;
  fields: Record<string, Json>;
}

export interface SessionDetail {
  summary: SessionSummary;
  timeline: TimelineItem[];
}

function sessionSummary(raw: any): SessionSummary {
  const models = first(raw, 'models', 'model');
  return {
    ...counters(raw),
    session_id: String(first(raw, 'session_id', 'id') ?? ''),
    tool: str(first(raw, 'tool')),
    start: str(first(raw, 'start', 'start_time', 'first_seen', 'started_at', 'from')),
    end: str(first(raw, 'end', 'end_time', 'last_seen', 'ended_at', 'to')),
    host_name: str(first(raw, 'host_name', 'host')),
    project: str(first(raw, 'project')),
    models: Array.isArray(models) ? models.map(String) : models ? [String(models)] : [],
    prompts: numOrNull(first(raw, 'prompts', 'prompt_count')),
    tool_calls: numOrNull(first(raw, 'tool_calls', 'tool_call_count', 'tool_results')),
    errors: numOrNull(first(raw, 'errors', 'error_count', 'api_errors')),
  };
}

export async function sessions(q: TimeWindow & { tool?: string; search?: string; limit?: number; offset?: number }): Promise<SessionSummary[]> {
  const raw = await call<any>('GET', '/api/sessions', { ...q });
  return array(raw, 'rows', 'sessions').map(sessionSummary);
}

export async function session(id: string): Promise<SessionDetail> {
  const raw = await call<any>('GET', '/api/sessions/' + encodeURIComponent(id));
  const summary = sessionSummary({ session_id: id, ...(raw?.summary ?? raw?.session ?? raw) });
  const timeline = array(first(raw, 'timeline', 'items', 'events'), 'rows').map((item: any) => {
    const { kind, type, time, timestamp, fields, ...rest } = item ?? {};
    return {
      kind: String(kind ?? type ?? 'event'),
      time: String(time ?? timestamp ?? ''),
      fields: (fields && typeof fields === 'object' ? { ...rest, ...fields } : rest) as Record<string, Json>,
    };
  });
  return { summary, timeline };
}

// ---------------------------------------------------------------- traces

export interface TraceSummary {
  trace_id: string;
  tool: string | null;
  name: string | null;
  start: string | null;
  duration_ms: number | null;
  spans: number | null;
  session_id: string | null;
  errors: number | null;
}

export interface Span {
  span_id: string;
  parent_span_id: string | null;
  trace_id: string;
  name: string;
  tool: string | null;
  start: string;
  end: string | null;
  duration_ms: number;
  status: string | null;
  kind: string | null;
  attributes: Record<string, Json>;
}

export async function traces(q: TimeWindow & { tool?: string; session?: string; limit?: number }): Promise<TraceSummary[]> {
  const raw = await call<any>('GET', '/api/traces', { ...q });
  return array(raw, 'rows', 'traces').map((t: any) => ({
    trace_id: String(first(t, 'trace_id', 'id') ?? ''),
    tool: str(first(t, 'tool', 'service_name')),
    name: str(first(t, 'name', 'root_name', 'root_span', 'root')),
    start: str(first(t, 'start', 'start_time', 'time')),
    duration_ms: numOrNull(first(t, 'duration_ms', 'duration')),
    spans: numOrNull(first(t, 'spans', 'span_count')),
    session_id: str(first(t, 'session_id')),
    errors: numOrNull(first(t, 'errors', 'error_count')),
  }));
}

export async function traceSpans(traceId: string): Promise<Span[]> {
  const raw = await call<any>('GET', '/api/traces/' + encodeURIComponent(traceId) + '/spans');
  return array(raw, 'rows', 'spans').map((s: any) => {
    const start = String(first(s, 'start', 'start_time', 'time') ?? '');
    const end = str(first(s, 'end', 'end_time'));
    let duration = numOrNull(first(s, 'duration_ms', 'duration'));
    if (duration === null && end) duration = Date.parse(end) - Date.parse(start);
    return {
      span_id: String(first(s, 'span_id', 'id') ?? ''),
      parent_span_id: str(first(s, 'parent_span_id', 'parent_id')) || null,
      trace_id: String(first(s, 'trace_id') ?? traceId),
      name: String(first(s, 'name', 'span_name') ?? ''),
      tool: str(first(s, 'tool', 'service_name')),
      start,
      end,
      duration_ms: duration ?? 0,
      status: str(first(s, 'status', 'status_code')),
      kind: str(first(s, 'kind', 'span_kind')),
      attributes: (first(s, 'attributes', 'span_attributes') ?? {}) as Record<string, Json>,
    };
  });
}

// ---------------------------------------------------------------- metrics

export interface MetricName {
  name: string;
  type: string | null;
  unit: string | null;
  tool: string | null;
  attributes: string[];
}

export interface Series {
  key: string;
  points: [number, number][]; // [epoch seconds, value]
}

export async function metricNames(window: TimeWindow): Promise<MetricName[]> {
  const raw = await call<any>('GET', '/api/metrics/names', { ...window });
  return array(raw, 'rows', 'names', 'metrics').map((m: any) =>
    typeof m === 'string'
      ? { name: m, type: null, unit: null, tool: null, attributes: [] }
      : {
          name: String(first(m, 'name', 'metric_name') ?? ''),
          type: str(first(m, 'type', 'metric_type')),
          unit: str(first(m, 'unit')),
          tool: str(first(m, 'tool')),
          attributes: array(first(m, 'attributes', 'attribute_keys'), 'keys').map(String),
        },
  );
}

export async function metricSeries(q: TimeWindow & { name: string; interval?: string; groupBy?: string }): Promise<Series[]> {
  const raw = await call<any>('GET', '/api/metrics/series', { ...q });
  const series = array(raw, 'series');
  if (series.length) {
    return series.map((s: any) => ({
      key: String(first(s, 'key', 'group', 'name', 'label') ?? ''),
      points: array(first(s, 'points', 'values', 'data'), 'rows').map((p: any) =>
        Array.isArray(p) ? [toEpoch(p[0]), Number(p[1])] : [toEpoch(first(p, 'time', 't', 'bucket')), Number(first(p, 'value', 'v'))],
      ) as [number, number][],
    }));
  }
  // Long form: rows of {time, group?, value}.
  const byKey = new Map<string, [number, number][]>();
  for (const r of array(raw, 'rows')) {
    const key = String(first(r, 'group', 'key', q.groupBy ?? '__') ?? q.name);
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push([toEpoch(first(r, 'time', 'bucket', 't')), Number(first(r, 'value', 'v'))]);
  }
  return [...byKey].map(([key, points]) => ({ key, points }));
}

function toEpoch(v: any): number {
  if (typeof v === 'number') return v > 1e11 ? v / 1000 : v;
  return Date.parse(String(v)) / 1000;
}

// ---------------------------------------------------------------- stats, services, pricing

/** Headline numbers for the overview. All optional: a missing figure is shown as "–". */
export interface Stats {
  sessions?: number;
  tool_calls?: number;
  tool_call_success_rate?: number;
  api_requests?: number;
  api_errors?: number;
  api_error_rate?: number;
  api_latency_p50_ms?: number;
  api_latency_p95_ms?: number;
  claude_code_calls?: number;
  claude_code_user_facing_calls?: number;
  [key: string]: number | undefined;
}

export async function stats(window: TimeWindow): Promise<Stats> {
  const raw = await call<any>('GET', '/api/stats', { ...window });
  const out: Stats = {};
  const flat = (obj: any, prefix: string) => {
    for (const [k, v] of Object.entries(obj ?? {})) {
      if (typeof v === 'number') out[prefix + k] = v;
      else if (v && typeof v === 'object' && !Array.isArray(v)) flat(v, prefix + k + '_');
    }
  };
  flat(raw, '');
  return out;
}

export interface ServiceInfo {
  tool: string;
  service_name: string | null;
  version: string | null;
  hosts: number | null;
  last_seen: string | null;
}

export async function services(window: TimeWindow): Promise<ServiceInfo[]> {
  const raw = await call<any>('GET', '/api/services', { ...window });
  return array(raw, 'rows', 'services').map((s: any) => ({
    tool: String(first(s, 'tool', 'service_name') ?? ''),
    service_name: str(first(s, 'service_name', 'service')),
    version: str(first(s, 'service_version', 'version')),
    hosts: numOrNull(first(s, 'hosts', 'host_count')),
    last_seen: str(first(s, 'last_seen', 'last')),
  }));
}

export interface UnknownModel {
  model: string;
  tool: string | null;
  calls: number | null;
}

export async function unknownModels(window: TimeWindow): Promise<UnknownModel[]> {
  const raw = await call<any>('GET', '/api/pricing/unknown-models', { ...window });
  return array(raw, 'rows', 'models').map((m: any) =>
    typeof m === 'string'
      ? { model: m, tool: null, calls: null }
      : { model: String(first(m, 'model', 'name') ?? ''), tool: str(first(m, 'tool')), calls: numOrNull(first(m, 'calls', 'count')) },
  );
}

// ---------------------------------------------------------------- dashboards

export type WidgetKind = 'stat' | 'timeseries' | 'bar' | 'table' | 'topn';

/** What a widget shows: a usage figure grouped one way, a metric series, or a read-only SQL query. */
export type WidgetQuery =
  | { source: 'usage'; field: keyof Counters; groupBy?: UsageGroup; tool?: string }
  | { source: 'metric'; name: string; groupBy?: string }
  | { source: 'sql'; sql: string };

export interface Widget {
  id: string;
  title: string;
  kind: WidgetKind;
  query: WidgetQuery;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Dashboard {
  id?: string;
  name: string;
  widgets: Widget[];
  updated?: string;
}

function dashboard(raw: any): Dashboard {
  const d = raw?.dashboard ?? raw;
  return { id: str(first(d, 'id')) ?? undefined, name: String(first(d, 'name', 'title') ?? 'Untitled'), widgets: array(d?.widgets, 'rows') as Widget[], updated: str(first(d, 'updated', 'updated_at')) ?? undefined };
}

export async function dashboards(): Promise<Dashboard[]> {
  const raw = await call<any>('GET', '/api/dashboards');
  return array(raw, 'rows', 'dashboards').map(dashboard);
}

export async function loadDashboard(id: string): Promise<Dashboard> {
  return dashboard(await call<any>('GET', '/api/dashboards/' + encodeURIComponent(id)));
}

/** Creates (no id) or replaces (id) a dashboard; answers the stored copy with its id. */
export async function saveDashboard(d: Dashboard): Promise<Dashboard> {
  const body = { name: d.name, widgets: d.widgets };
  const raw = d.id
    ? await call<any>('PUT', '/api/dashboards/' + encodeURIComponent(d.id), {}, { id: d.id, ...body })
    : await call<any>('POST', '/api/dashboards', {}, body);
  const saved = dashboard(raw ?? {});
  return { ...d, ...saved, id: saved.id ?? d.id, widgets: saved.widgets.length ? saved.widgets : d.widgets };
}

export async function deleteDashboard(id: string): Promise<void> {
  await call<any>('DELETE', '/api/dashboards/' + encodeURIComponent(id));
}

// ---------------------------------------------------------------- SQL and live

export interface SqlResult {
  columns: string[];
  rows: Json[][];
  truncated: boolean;
}

export async function sql(text: string): Promise<SqlResult> {
  const raw = await call<any>('POST', '/api/sql', {}, { sql: text });
  const columns = array(raw?.columns, 'columns').map((c: any) => (typeof c === 'string' ? c : String(first(c, 'name') ?? '')));
  const rows = array(raw, 'rows').map((r: any) => (Array.isArray(r) ? r : columns.map((c) => r?.[c] ?? null)));
  return { columns, rows, truncated: Boolean(first(raw, 'truncated', 'limited')) };
}

export interface LiveAnswer {
  changed: boolean;
  cursor: string | null;
}

/**
 * Asks whether anything arrived since {@code cursor}. The server answers a cursor to send next time;
 * an answer without a "changed" flag counts as a change when its cursor moved.
 */
export async function live(cursor: string | null): Promise<LiveAnswer> {
  const raw = await call<any>('GET', '/api/live', { since: cursor ?? undefined });
  const next = str(first(raw, 'cursor', 'now', 'latest', 'until', 'since'));
  const changed = typeof raw?.changed === 'boolean' ? raw.changed : next !== cursor;
  return { changed, cursor: next };
}

export async function health(): Promise<boolean> {
  try {
    await call<any>('GET', '/api/health');
    return true;
  } catch {
    return false;
  }
}
