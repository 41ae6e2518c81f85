import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/api';
import { callTokens, kindOfEvent, sessionsFromLogs, timelineFromLogs } from '../src/session-math';

function log(time: string, event: string, attributes: Record<string, any> = {}, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    time, tool: 'claude-code', service_name: 'claude-code', host_name: 'h1', severity_text: null, severity_number: 0,
    event_name: event, session_id: 's1', prompt_id: 'p1', model: attributes.model ?? null, body: 'claude_code.' + event,
    trace_id: null, span_id: null, attributes, resource: { project: 'demo' }, ...extra,
  };
}

// The Claude Code run of the fixtures (times as captured), as the logs API returns it: newest first.
const CLAUDE_RUN = [
  log('2026-11-22T18:57:09.286Z', 'api_request', { model: 'claude-opus-5-5', input_tokens: '1250', output_tokens: '12', cache_read_tokens: '4300', cache_creation_tokens: '50', cost_usd: '0.0065', duration_ms: '209' }),
  log('2026-11-22T18:57:09.060Z', 'tool_result', { tool_name: 'Bash', success: 'true', duration_ms: '32' }),
  log('2026-11-22T18:57:09.052Z', 'api_request', { model: 'claude-opus-5-5', input_tokens: '1200', output_tokens: '35', cache_read_tokens: '4000', cache_creation_tokens: '300', cost_usd: '0.00765', duration_ms: '278' }),
  log('2026-11-22T18:57:09.025Z', 'tool_decision', { tool_name: 'Bash', decision: 'accept', source: 'config' }),
  log('2026-11-22T18:57:08.708Z', 'user_prompt', { prompt: 'say hi' }),
  log('2026-11-22T18:57:08.503Z', 'managed_settings_resolved'),
];

describe('session timeline from log records', () => {
  it('classifies the events of all three assistants', () => {
    expect(kindOfEvent('user_prompt')).toBe('prompt');
    expect(kindOfEvent('gemini_cli.user_prompt')).toBe('prompt');
    expect(kindOfEvent('api_request')).toBe('model_call');
    expect(kindOfEvent('gemini_cli.api_response')).toBe('model_call');
    expect(kindOfEvent('codex.sse_event', { 'event.kind': 'response.completed', input_token_count: '4400' })).toBe('model_call');
    expect(kindOfEvent('codex.sse_event', { 'event.kind': 'response.completed' })).toBeNull();
    expect(kindOfEvent('codex.api_request', {}, 'codex')).toBeNull();
    expect(kindOfEvent('tool_decision')).toBe('tool_decision');
    expect(kindOfEvent('gemini_cli.tool_call')).toBe('tool_result');
    expect(kindOfEvent('api_error')).toBe('error');
    expect(kindOfEvent('managed_settings_resolved')).toBeNull();
  });
  it('tells the Claude run in order: prompt, model call, tool decision, tool result, model call', () => {
    // The first api_request is logged after the tool decision but started 278 ms before it ended.
    const items = timelineFromLogs(CLAUDE_RUN);
    expect(items[1].time).toBe('2026-11-22T18:57:08.774Z');
    expect(items[1].fields.finished).toBe('2026-11-22T18:57:09.052Z');
    expect(items.map((i) => i.kind)).toEqual(['prompt', 'model_call', 'tool_decision', 'tool_result', 'model_call']);
    expect(items[0].fields.prompt).toBe('say hi');
    expect(items[1].fields).toMatchObject({ model: 'claude-opus-5-5', input_tokens: 1200, output_tokens: 35, cache_read_tokens: 4000, cache_write_tokens: 300, cost_usd: 0.00765 });
    expect(items[3].fields).toMatchObject({ tool_name: 'Bash', success: true, duration_ms: 32 });
  });
  it('sums the session: 2 calls, 2,450 input tokens, the reported cost', () => {
    const [s] = sessionsFromLogs(CLAUDE_RUN);
    expect(s).toMatchObject({ session_id: 's1', tool: 'claude-code', calls: 2, input_tokens: 2450, output_tokens: 47, cache_read_tokens: 8300, cache_write_tokens: 350, prompts: 1, tool_calls: 1, errors: 0, project: 'demo', models: ['claude-opus-5-5'] });
    expect(s.reported_cost_usd).toBeCloseTo(0.01415, 10);
    expect(s.cost_usd).toBeNull();
    expect([s.start, s.end]).toEqual(['2026-11-22T18:57:08.503Z', '2026-11-22T18:57:09.286Z']);
  });
  it('converts Codex and Gemini token counts to the one convention (fixture totals 552 / 820 fresh input)', () => {
    const codex = [
      { input_token_count: '2100', output_token_count: '40', cached_token_count: '1800', cache_write_token_count: '0', reasoning_token_count: '16' },
      { input_token_count: '2300', output_token_count: '15', cached_token_count: '2048', cache_write_token_count: '0', reasoning_token_count: '0' },
    ].map(callTokens);
    expect(codex.reduce((s, c) => s + c.input_tokens, 0)).toBe(552);
    expect(codex.reduce((s, c) => s + c.cache_read_tokens, 0)).toBe(3848);
    expect(codex.reduce((s, c) => s + c.output_tokens, 0)).toBe(55);
    expect(codex.reduce((s, c) => s + c.reasoning_tokens, 0)).toBe(16);
    const gemini = [
      { input_token_count: 120, output_token_count: 10, cached_content_token_count: 0, thoughts_token_count: 5 },
      { input_token_count: 3000, output_token_count: 20, cached_content_token_count: 2500, thoughts_token_count: 30 },
      { input_token_count: 3100, output_token_count: 8, cached_content_token_count: 2900, thoughts_token_count: 0 },
    ].map(callTokens);
    expect(gemini.reduce((s, c) => s + c.input_tokens, 0)).toBe(820);
    expect(gemini.reduce((s, c) => s + c.cache_read_tokens, 0)).toBe(5400);
    expect(gemini.reduce((s, c) => s + c.output_tokens, 0)).toBe(73);
    expect(gemini.reduce((s, c) => s + c.reasoning_tokens, 0)).toBe(35);
  });
  it('lists sessions newest first and ignores records without a session', () => {
    const rows = [...CLAUDE_RUN, log('2026-11-22T19:00:00Z', 'user_prompt', {}, { session_id: 's2' }), log('2026-11-22T19:01:00Z', 'x', {}, { session_id: null })];
    expect(sessionsFromLogs(rows).map((s) => s.session_id)).toEqual(['s2', 's1']);
  });
});
