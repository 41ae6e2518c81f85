// A session's story from its raw log records, for servers that do not offer /api/sessions yet: the
// same kinds the API's timeline uses (prompt, model_call, tool_decision, tool_result, error).
import type { LogRecord, SessionSummary, TimelineItem } from './api';
import { emptyCounters } from './usage-math';

/** The timeline kind of a log event, or null for bookkeeping events that tell the user nothing. */
export function kindOfEvent(event: string | null, attributes: Record<string, unknown> = {}, tool: string | null = null): TimelineItem['kind'] | null {
  const e = (event ?? '').replace(/^(claude_code|gemini_cli|codex)\./, '');
  if (/user_prompt/.test(e)) return 'prompt';
  if (/(api_error|error)$/.test(e)) return 'error';
  if (/tool_decision/.test(e)) return 'tool_decision';
  if (/tool_result|tool_call$|tool_output/.test(e)) return 'tool_result';
  // Codex logs the HTTP request apart from the completed response that carries the tokens.
  if (e === 'api_request' && (tool === 'codex' || (event ?? '').startsWith('codex.'))) return null;
  if (/^api_request$|api_response|^llm_call/.test(e)) return 'model_call';
  if (e === 'sse_event' && attributes['event.kind'] === 'response.completed' && attributes['input_token_count'] !== undefined) return 'model_call';
  return null;
}

const num = (v: unknown): number => (v === undefined || v === null || v === '' ? 0 : Number(v) || 0);

/**
 * A model call's tokens in the usage table's one convention (fresh input, cache read, cache write,
 * output including reasoning): Codex and Gemini count cached tokens inside input, Gemini reports
 * thoughts apart from output.
 */
export function callTokens(a: Record<string, any>): { input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_write_tokens: number; reasoning_tokens: number } {
  if (a.input_token_count !== undefined) {
    const cached = num(a.cached_token_count ?? a.cached_content_token_count);
    const thoughts = num(a.thoughts_token_count);
    return {
      input_tokens: Math.max(0, num(a.input_token_count) - cached),
      output_tokens: num(a.output_token_count) + thoughts,
      cache_read_tokens: cached,
      cache_write_tokens: num(a.cache_write_token_count),
      reasoning_tokens: thoughts || num(a.reasoning_token_count),
    };
  }
  return {
    input_tokens: num(a.input_tokens),
    output_tokens: num(a.output_tokens),
    cache_read_tokens: num(a.cache_read_tokens),
    cache_write_tokens: num(a.cache_creation_tokens),
    reasoning_tokens: 0,
  };
}

/** Timeline items in time order, oldest first, with the fields a person wants to read per kind. */
export function timelineFromLogs(rows: LogRecord[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const r of [...rows].sort((a, b) => a.time.localeCompare(b.time))) {
    const a = (r.attributes ?? {}) as Record<string, any>;
    const kind = kindOfEvent(r.event_name, a, r.tool);
    if (!kind) continue;
    const fields: Record<string, any> = { event: r.event_name };
    if (kind === 'prompt') fields.prompt = a.prompt ?? a['prompt'] ?? r.body;
    if (kind === 'model_call') {
      fields.model = r.model ?? a.model;
      Object.assign(fields, callTokens(a));
      if (a.cost_usd !== undefined) fields.cost_usd = num(a.cost_usd);
      if (a.duration_ms !== undefined) fields.duration_ms = num(a.duration_ms);
    }
    if (kind === 'tool_decision' || kind === 'tool_result') {
      fields.tool_name = a.tool_name ?? a.function_name ?? a.name;
      if (a.decision !== undefined) fields.decision = a.decision;
      if (a.source !== undefined) fields.source = a.source;
      if (a.success !== undefined) fields.success = String(a.success) === 'true';
      if (a.duration_ms !== undefined) fields.duration_ms = num(a.duration_ms);
      if (a.tool_parameters !== undefined) fields.parameters = a.tool_parameters;
    }
    if (kind === 'error') fields.error = a.error ?? r.body;
    if (r.trace_id) fields.trace_id = r.trace_id;
    // A model call is logged when its answer is complete; it belongs where it started (before the
    // tool decision its answer asked for).
    let time = r.time;
    if (kind === 'model_call' && fields.duration_ms > 0) {
      time = new Date(Date.parse(r.time) - fields.duration_ms).toISOString();
      fields.finished = r.time;
    }
    items.push({ kind, time, fields });
  }
  return items.sort((a, b) => a.time.localeCompare(b.time));
}

/** Session rows from log records, newest first. */
export function sessionsFromLogs(rows: LogRecord[]): SessionSummary[] {
  const by = new Map<string, LogRecord[]>();
  for (const r of rows) {
    if (!r.session_id) continue;
    if (!by.has(r.session_id)) by.set(r.session_id, []);
    by.get(r.session_id)!.push(r);
  }
  const out: SessionSummary[] = [];
  for (const [id, records] of by) {
    const items = timelineFromLogs(records);
    const calls = items.filter((i) => i.kind === 'model_call');
    const times = records.map((r) => r.time).sort();
    const c = emptyCounters();
    c.calls = calls.length;
    for (const i of calls) {
      c.input_tokens += num(i.fields.input_tokens);
      c.output_tokens += num(i.fields.output_tokens);
      c.cache_read_tokens += num(i.fields.cache_read_tokens);
      c.cache_write_tokens += num(i.fields.cache_write_tokens);
      c.reasoning_tokens += num(i.fields.reasoning_tokens);
      if (i.fields.cost_usd !== undefined) c.reported_cost_usd = (c.reported_cost_usd ?? 0) + num(i.fields.cost_usd);
    }
    out.push({
      ...c,
      session_id: id,
      tool: records[0].tool,
      start: times[0],
      end: times[times.length - 1],
      host_name: records[0].host_name,
      project: (records[0].resource?.project as string) ?? null,
      models: [...new Set(records.map((r) => r.model).filter((m): m is string => !!m))],
      prompts: items.filter((i) => i.kind === 'prompt').length,
      tool_calls: items.filter((i) => i.kind === 'tool_result').length,
      errors: items.filter((i) => i.kind === 'error').length,
    });
  }
  return out.sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''));
}
