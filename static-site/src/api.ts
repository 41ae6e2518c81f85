// The page's only door to the server: every /api call, its parameters and the shapes of its answers.
// Each function sends exactly the parameters its endpoint lists (the API answers an unknown one with
// 400) and turns the answer into the types below with an exported normaliser, tested on answers
// recorded from the real query API (test/fixtures). Change names here, nowhere else.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Params = Record<string, string | number | boolean | undefined | null | string[]>;

/** A failed call: HTTP status plus the API's {error, message}. Status 0 = the server could not be reached. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly path: string) {
    super(message);
  }
  /**
   * The endpoint does not exist on this server (yet): views show a "not available" state, not an error.
   * The API answers an unknown route with no_endpoint (404) or method_not_allowed (405); older servers with
   * the site's file handler ("no such file") or the framework's default body. An API's own 404
   * ("no session …", not_found) names the missing thing instead.
   */
  get missing(): boolean {
    return (this.status === 404 || this.status === 405) && (this.code === 'no_endpoint' || this.code === 'method_not_allowed' || this.code.startsWith('http_') || this.message === 'no such file' || this.message === 'Not Found' || this.message === 'Page Not Found');
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
  /** Model calls whose price is unknown (their cost is not in cost_usd). */
  unpriced_calls: number;
}

export const COUNTER_KEYS = [
  'calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'cost_usd', 'reported_cost_usd', 'unpriced_calls',
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

/** Counters from an answer row: missing token counts are 0, a missing cost stays null (unknown, not $0). */
export function counters(raw: any): Counters {
  const out: any = {};
  for (const key of COUNTER_KEYS) {
    const v = raw?.[key];
    out[key] = v === null || v === undefined ? (key.endsWith('usd') ? null : 0) : Number(v);
  }
  return out as Counters;
}

function rows(raw: any, key = 'rows'): any[] {
  return Array.isArray(raw?.[key]) ? raw[key] : [];
}

function str(v: any): string | null {
  return v === undefined || v === null ? null : String(v);
}

function numOrNull(v: any): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function strings(v: any): string[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined).map(String) : [];
}

function object(v: any): Record<string, Json> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
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

/** GET /api/logs takes: from, to, limit, offset, tool, service, severity, event, session, trace, search. */
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

export async function logs(f: LogFilter): Promise<LogsPage> {
  const raw = await call<any>('GET', '/api/logs', {
    from: f.from, to: f.to, limit: f.limit, offset: f.offset, tool: f.tool, service: f.service, severity: f.severity,
    event: f.event, session: f.session, trace: f.trace, search: f.search,
  });
  return { rows: rows(raw).map((r: any) => ({ ...r, attributes: object(r.attributes), resource: object(r.resource) })) as LogRecord[] };
}

export interface LogLevel {
  level: string;
  records: number;
}

export function logLevelsAnswer(raw: any): LogLevel[] {
  return rows(raw).map((l: any) => ({ level: String(l.level), records: Number(l.records) }));
}

/** GET /api/logs/levels takes: from, to. Records per severity ("UNSPECIFIED" when a record has none). */
export async function logLevels(window: TimeWindow): Promise<LogLevel[]> {
  return logLevelsAnswer(await call<any>('GET', '/api/logs/levels', { from: window.from, to: window.to }));
}

// ---------------------------------------------------------------- usage

/** GET /api/usage takes: from, to, groupBy, tz, tool, model. */
export interface UsageQuery extends TimeWindow {
  groupBy: UsageGroup[];
  tz?: string;
  tool?: string;
  model?: string;
}

export function usageReport(raw: any, groupBy: UsageGroup[]): UsageReport {
  return {
    rows: rows(raw).map((r: any) => {
      const row: any = counters(r);
      for (const key of groupBy) row[key] = str(r[key]);
      return row as UsageRow;
    }),
    totals: counters(raw?.totals),
  };
}

export async function usage(q: UsageQuery): Promise<UsageReport> {
  const raw = await call<any>('GET', '/api/usage', { from: q.from, to: q.to, groupBy: q.groupBy, tz: q.tz, tool: q.tool, model: q.model });
  return usageReport(raw, q.groupBy);
}

export interface UsageBlock extends Counters {
  start: string;
  end: string;
  last_call: string | null;
  active: boolean;
  models: string[];
}

/** 5-hour billing windows; the API sends no totals for them, so they are summed here. */
export function usageBlocksReport(raw: any): { rows: UsageBlock[]; totals: Counters } {
  const blocks = rows(raw).map((b: any) => ({
    ...counters(b),
    start: String(b.start),
    end: String(b.end),
    last_call: str(b.last_call),
    active: b.active === true,
    models: strings(b.models),
  }));
  const totals = counters({});
  for (const b of blocks) {
    for (const key of COUNTER_KEYS) {
      const v = b[key];
      if (v !== null) (totals as any)[key] = ((totals as any)[key] ?? 0) + v;
    }
  }
  return { rows: blocks, totals };
}

/** GET /api/usage/blocks takes: from, to, tool (blocks are absolute hours, so no time zone). */
export async function usageBlocks(q: TimeWindow & { tool?: string }): Promise<{ rows: UsageBlock[]; totals: Counters }> {
  return usageBlocksReport(await call<any>('GET', '/api/usage/blocks', { from: q.from, to: q.to, tool: q.tool }));
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
  prompts: number;
  tool_calls: number;
  tool_failures: number;
  errors: number;
}

export type TimelineKind = 'prompt' | 'model_call' | 'tool_decision' | 'tool_result' | 'error';

export interface TimelineItem {
  kind: TimelineKind;
  /** When it happened; a model call's start (it is logged when its answer is complete). */
  time: string;
  /** Everything else the API sends for the item: tokens, tool_name, success, body, attributes… */
  fields: Record<string, any>;
}

export interface SessionDetail {
  summary: SessionSummary;
  timeline: TimelineItem[];
}

export function sessionSummary(raw: any): SessionSummary {
  return {
    ...counters({ ...raw, calls: raw?.model_calls }),
    session_id: String(raw?.session_id ?? ''),
    tool: str(raw?.tool),
    start: str(raw?.first),
    end: str(raw?.last),
    host_name: str(raw?.host_name),
    project: str(raw?.project),
    models: strings(raw?.models),
    prompts: Number(raw?.prompts ?? 0),
    tool_calls: Number(raw?.tool_calls ?? 0),
    tool_failures: Number(raw?.tool_failures ?? 0),
    errors: Number(raw?.api_errors ?? 0),
  };
}

export function sessionDetail(raw: any): SessionDetail {
  const { timeline, ...summary } = raw ?? {};
  return {
    summary: sessionSummary(summary),
    timeline: (Array.isArray(timeline) ? timeline : []).map((item: any) => {
      const { kind, time, ...fields } = item ?? {};
      return { kind: String(kind) as TimelineKind, time: String(time), fields };
    }),
  };
}

/** GET /api/sessions takes: from, to, tool, limit, offset. */
export async function sessions(q: TimeWindow & { tool?: string; limit?: number; offset?: number }): Promise<SessionSummary[]> {
  const raw = await call<any>('GET', '/api/sessions', { from: q.from, to: q.to, tool: q.tool, limit: q.limit, offset: q.offset });
  return rows(raw).map(sessionSummary);
}

export async function session(id: string): Promise<SessionDetail> {
  return sessionDetail(await call<any>('GET', '/api/sessions/' + encodeURIComponent(id)));
}

// ---------------------------------------------------------------- traces

export interface TraceSummary {
  /** A trace id, or {@code <trace id>-<span id>} for one turn of a Codex session (a virtual trace). */
  trace_id: string;
  virtual: boolean;
  tools: string[];
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
  name: string;
  tool: string | null;
  service_name: string | null;
  start: string;
  duration_ms: number;
  /** Depth in the span tree and start relative to the trace's first span, as the API computes them. */
  depth: number;
  offset_ms: number;
  status: string | null;
  status_message: string | null;
  kind: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  attributes: Record<string, Json>;
  resource: Record<string, Json>;
  events: Json;
}

export function traceSummary(t: any): TraceSummary {
  return {
    trace_id: String(t.trace_id),
    virtual: t.virtual === true,
    tools: strings(t.tools),
    name: str(t.root_name),
    start: str(t.start),
    duration_ms: numOrNull(t.duration_ms),
    spans: numOrNull(t.spans),
    session_id: str(t.session_id),
    errors: numOrNull(t.errors),
  };
}

export function span(s: any): Span {
  return {
    span_id: String(s.span_id),
    parent_span_id: str(s.parent_span_id),
    name: String(s.name ?? ''),
    tool: str(s.tool),
    service_name: str(s.service_name),
    start: String(s.start),
    duration_ms: Number(s.duration_ms ?? 0),
    depth: Number(s.depth ?? 0),
    offset_ms: Number(s.offset_ms ?? 0),
    status: str(s.status_code),
    status_message: str(s.status_message),
    kind: str(s.kind),
    model: str(s.model),
    input_tokens: numOrNull(s.input_tokens),
    output_tokens: numOrNull(s.output_tokens),
    attributes: object(s.attributes),
    resource: object(s.resource),
    events: s.events ?? [],
  };
}

/** GET /api/traces takes: from, to, tool, session, limit, offset. */
export async function traces(q: TimeWindow & { tool?: string; session?: string; limit?: number; offset?: number }): Promise<TraceSummary[]> {
  const raw = await call<any>('GET', '/api/traces', { from: q.from, to: q.to, tool: q.tool, session: q.session, limit: q.limit, offset: q.offset });
  return rows(raw).map(traceSummary);
}

/** The spans of a trace (or of a Codex turn) in tree order: parents first, children by start. */
export async function traceSpans(traceId: string): Promise<Span[]> {
  const raw = await call<any>('GET', '/api/traces/' + encodeURIComponent(traceId) + '/spans');
  return rows(raw, 'spans').map(span);
}

// ---------------------------------------------------------------- metrics

export interface MetricName {
  name: string;
  type: string | null;
  unit: string | null;
  description: string | null;
  temporality: string | null;
  points: number;
  tools: string[];
}

export interface Series {
  key: string;
  points: [number, number][]; // [epoch seconds, value]
}

export function metricName(m: any): MetricName {
  return {
    name: String(m.name),
    type: str(m.type),
    unit: str(m.unit),
    description: str(m.description),
    temporality: str(m.temporality),
    points: Number(m.points ?? 0),
    tools: strings(m.tools),
  };
}

/** GET /api/metrics/names takes: from, to. */
export async function metricNames(window: TimeWindow): Promise<MetricName[]> {
  return rows(await call<any>('GET', '/api/metrics/names', { from: window.from, to: window.to })).map(metricName);
}

export function metricSeriesAnswer(raw: any): Series[] {
  return rows(raw, 'series').map((s: any) => ({
    key: String(s.key ?? ''),
    points: (Array.isArray(s.points) ? s.points : []).map((p: any) => [Date.parse(String(p[0])) / 1000, Number(p[1])]) as [number, number][],
  }));
}

export type MetricStat = 'sum' | 'count' | 'avg';

/** GET /api/metrics/series takes: name, from, to, interval (30s, 5m, 1h, 1d), groupBy (an attribute), stat. */
export async function metricSeries(q: TimeWindow & { name: string; interval?: string; groupBy?: string; stat?: MetricStat }): Promise<Series[]> {
  const raw = await call<any>('GET', '/api/metrics/series', { name: q.name, from: q.from, to: q.to, interval: q.interval, groupBy: q.groupBy, stat: q.stat });
  return metricSeriesAnswer(raw);
}

// ---------------------------------------------------------------- what is in the lake, pricing

/** GET /api/stats (no parameters): what the lake holds right now. */
export interface LakeStats {
  snapshot_version: number;
  snapshot_committed_at: string | null;
  /** Files that arrived and are not compacted yet, per signal. */
  landing_files: number;
  log_records: number;
  usage_rows: number;
}

export function lakeStats(raw: any): LakeStats {
  const landing = Object.values(object(raw?.landing)) as any[];
  return {
    snapshot_version: Number(raw?.snapshot_version ?? 0),
    snapshot_committed_at: str(raw?.snapshot_committed_at),
    landing_files: landing.reduce((sum, l) => sum + Number(l?.files ?? 0), 0),
    log_records: Number(raw?.rows?.logs ?? 0),
    usage_rows: Number(raw?.rows?.usage ?? 0),
  };
}

export async function stats(): Promise<LakeStats> {
  return lakeStats(await call<any>('GET', '/api/stats'));
}

/** GET /api/connect: the ingest endpoint's URL, or its port on this page's host (null: not known). */
export interface IngestEndpoint {
  url: string | null;
  port: number | null;
}

export function ingestEndpoint(raw: any): IngestEndpoint {
  const port = Number(raw?.ingest_port);
  return { url: str(raw?.ingest_url), port: Number.isInteger(port) && port > 0 ? port : null };
}

export async function connect(): Promise<IngestEndpoint> {
  return ingestEndpoint(await call<any>('GET', '/api/connect'));
}

export interface ServiceInfo {
  tool: string | null;
  service_name: string | null;
  version: string | null;
  host_name: string | null;
  records: number;
  first: string | null;
  last: string | null;
}

/** GET /api/services takes: from, to. */
export async function services(window: TimeWindow): Promise<ServiceInfo[]> {
  const raw = await call<any>('GET', '/api/services', { from: window.from, to: window.to });
  return rows(raw).map((s: any) => ({
    tool: str(s.tool),
    service_name: str(s.service_name),
    version: str(s.service_version),
    host_name: str(s.host_name),
    records: Number(s.records ?? 0),
    first: str(s.first),
    last: str(s.last),
  }));
}

export interface UnknownModel {
  model: string;
  tools: string[];
  calls: number;
  last_seen: string | null;
}

/** GET /api/pricing/unknown-models (no parameters: every model the price table lacks, any time). */
export async function unknownModels(): Promise<UnknownModel[]> {
  const raw = await call<any>('GET', '/api/pricing/unknown-models');
  return rows(raw).map((m: any) => ({ model: String(m.model), tools: strings(m.tools), calls: Number(m.calls ?? 0), last_seen: str(m.last_seen) }));
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

/** A saved dashboard as listed (the list carries the number of widgets, not the widgets). */
export interface DashboardEntry {
  id: string;
  name: string;
  updated: string | null;
  widgets: number;
}

export function dashboard(raw: any): Dashboard {
  return {
    id: str(raw?.id) ?? undefined,
    name: String(raw?.name ?? 'Untitled'),
    widgets: (Array.isArray(raw?.widgets) ? raw.widgets : []) as Widget[],
    updated: str(raw?.updated_at) ?? undefined,
  };
}

export async function dashboards(): Promise<DashboardEntry[]> {
  const raw = await call<any>('GET', '/api/dashboards');
  return rows(raw).map((d: any) => ({ id: String(d.id), name: String(d.name), updated: str(d.updated_at), widgets: Number(d.widgets ?? 0) }));
}

export async function loadDashboard(id: string): Promise<Dashboard> {
  return dashboard(await call<any>('GET', '/api/dashboards/' + encodeURIComponent(id)));
}

/** Creates (no id: POST, answered 201 with the new id) or replaces (id: PUT) a dashboard; answers the stored copy. */
export async function saveDashboard(d: Dashboard): Promise<Dashboard> {
  const body = { name: d.name, widgets: d.widgets };
  const raw = d.id
    ? await call<any>('PUT', '/api/dashboards/' + encodeURIComponent(d.id), {}, body)
    : await call<any>('POST', '/api/dashboards', {}, body);
  return dashboard(raw);
}

export async function deleteDashboard(id: string): Promise<void> {
  await call<any>('DELETE', '/api/dashboards/' + encodeURIComponent(id));
}

// ---------------------------------------------------------------- SQL and live

export interface SqlResult {
  columns: string[];
  types: string[];
  rows: Json[][];
  truncated: boolean;
  elapsed_ms: number | null;
}

export function sqlResult(raw: any): SqlResult {
  const columns = Array.isArray(raw?.columns) ? raw.columns : [];
  return {
    columns: columns.map((c: any) => String(c?.name ?? '')),
    types: columns.map((c: any) => String(c?.type ?? '')),
    rows: rows(raw) as Json[][],
    truncated: raw?.truncated === true,
    elapsed_ms: numOrNull(raw?.elapsed_ms),
  };
}

/** POST /api/sql {sql, limit}: read-only SQL over the lake's views. */
export async function sql(text: string, limit?: number): Promise<SqlResult> {
  return sqlResult(await call<any>('POST', '/api/sql', {}, limit === undefined ? { sql: text } : { sql: text, limit }));
}

export interface LiveAnswer {
  changed: boolean;
  cursor: string | null;
}

/** GET /api/live?since=: has anything arrived since {@code cursor}? Its "now" is the next cursor. */
export function liveAnswer(raw: any): LiveAnswer {
  return { changed: raw?.changed === true, cursor: str(raw?.now) };
}

export async function live(cursor: string | null): Promise<LiveAnswer> {
  return liveAnswer(await call<any>('GET', '/api/live', { since: cursor ?? undefined }));
}

export async function health(): Promise<boolean> {
  try {
    await call<any>('GET', '/api/health');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- overview figures

/** Model-call figures no endpoint reports directly, read from the usage view with read-only SQL. */
export interface CallFigures {
  calls: number;
  /** Calls an assistant makes for itself (routing, titles), not answering the user. */
  routing_calls: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  claude_code_calls: number;
  claude_code_user_facing_calls: number;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** The SQL behind {@link callFigures}; the bounds are checked instants, so they are safe as literals. */
export function callFiguresSql(from: string, to: string): string {
  if (!INSTANT.test(from) || !INSTANT.test(to)) throw new Error('call figures need absolute UTC instants, not ' + from + ' / ' + to);
  return [
    'SELECT count(*) AS calls, count(*) FILTER (WHERE routing) AS routing_calls,',
    '  quantile_cont(duration_ms, 0.5) AS latency_p50_ms, quantile_cont(duration_ms, 0.95) AS latency_p95_ms,',
    "  count(*) FILTER (WHERE tool = 'claude-code') AS claude_code_calls,",
    "  count(*) FILTER (WHERE tool = 'claude-code' AND NOT coalesce(routing, false)) AS claude_code_user_facing_calls",
    `FROM usage WHERE timestamp >= TIMESTAMPTZ '${from}' AND timestamp < TIMESTAMPTZ '${to}'`,
  ].join('\n');
}

export function callFiguresAnswer(result: SqlResult): CallFigures {
  const row = result.rows[0] ?? [];
  const at = (name: string) => row[result.columns.indexOf(name)];
  return {
    calls: Number(at('calls') ?? 0),
    routing_calls: Number(at('routing_calls') ?? 0),
    latency_p50_ms: numOrNull(at('latency_p50_ms')),
    latency_p95_ms: numOrNull(at('latency_p95_ms')),
    claude_code_calls: Number(at('claude_code_calls') ?? 0),
    claude_code_user_facing_calls: Number(at('claude_code_user_facing_calls') ?? 0),
  };
}

export async function callFigures(from: string, to: string): Promise<CallFigures> {
  return callFiguresAnswer(await sql(callFiguresSql(from, to)));
}

/** The attribute names a metric's points carry in a window (the explorer's group-by choices). */
export function metricAttributesSql(name: string, from: string, to: string): string {
  if (!INSTANT.test(from) || !INSTANT.test(to)) throw new Error('metric attributes need absolute UTC instants, not ' + from + ' / ' + to);
  const literal = "'" + name.replace(/'/g, "''") + "'";
  return [
    'SELECT k AS attribute, count(*) AS points FROM (',
    `  SELECT unnest(json_keys(point_attributes)) AS k FROM metrics WHERE metric_name = ${literal}`,
    `  AND timestamp >= TIMESTAMPTZ '${from}' AND timestamp < TIMESTAMPTZ '${to}')`,
    'GROUP BY k ORDER BY points DESC, k',
  ].join('\n');
}

export async function metricAttributes(name: string, from: string, to: string): Promise<string[]> {
  const result = await sql(metricAttributesSql(name, from, to));
  return result.rows.map((r) => String(r[0]));
}
