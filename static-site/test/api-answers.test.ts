/// <reference types="node" />
// The normalisers on answers recorded from the real query API (`agentlake serve` with the Claude Code,
// Codex and Gemini CLI captures ingested; see test/fixtures/README.md): what the views get to read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/api';
import { spanTree } from '../src/components/waterfall';
import { seriesSummary } from '../src/views/metrics';
import { sessionFigures } from '../src/views/overview';

function recorded(name: string): any {
  return JSON.parse(readFileSync(new URL('./fixtures/' + name + '.json', import.meta.url), 'utf8'));
}

/** input, cache read, cache write, output, reasoning: the lake's convention. */
const tokens = (c: api.Counters) => [c.input_tokens, c.cache_read_tokens, c.cache_write_tokens, c.output_tokens, c.reasoning_tokens];

describe('usage answers', () => {
  it('keeps each tool\'s counters as the API sums them, in the lake\'s convention', () => {
    const report = api.usageReport(recorded('usage-by-tool'), ['tool']);
    expect(report.rows.map((r) => [r.tool, ...tokens(r)])).toEqual([
      ['claude-code', 2450, 8300, 350, 47, 0],
      ['codex', 552, 3848, 0, 55, 16],
      ['gemini-cli', 820, 5400, 0, 73, 35],
    ]);
    expect(report.rows.map((r) => [r.calls, r.unpriced_calls])).toEqual([[2, 0], [2, 0], [3, 0]]);
    expect(tokens(report.totals)).toEqual([3822, 17548, 350, 175, 51]);
    expect(report.totals.calls).toBe(7);
    // Claude Code reports its cost; the others are priced from the table, so only one reported cost.
    expect(report.rows.map((r) => r.reported_cost_usd)).toEqual([0.01415, null, null]);
    expect(report.totals.cost_usd).toBeCloseTo(0.017092, 9);
  });

  it('sums the 5-hour blocks itself (the API sends none) and keeps the block\'s models', () => {
    const blocks = api.usageBlocksReport(recorded('usage-blocks'));
    expect(blocks.rows).toHaveLength(1);
    expect(blocks.rows[0]).toMatchObject({ start: '2026-11-22T18:00:00Z', end: '2026-11-22T23:00:00Z', last_call: '2026-11-22T18:59:32.842Z', calls: 7 });
    expect(blocks.rows[0].models).toEqual(['claude-opus-5-5', 'gemini-3.5-flash-lite', 'gemini-3.8-flash', 'gpt-5-codex']);
    expect(tokens(blocks.totals)).toEqual([3822, 17548, 350, 175, 51]);
  });
});

describe('session answers', () => {
  it('reads the list: first/last as start/end, model calls as calls, API errors as errors', () => {
    const list = recorded('sessions').rows.map(api.sessionSummary);
    const claude = list.find((s: api.SessionSummary) => s.tool === 'claude-code')!;
    expect(claude).toMatchObject({
      session_id: '193b4fab-8599-4654-931d-65ef6669399e', start: '2026-11-22T18:57:08.503Z', end: '2026-11-22T18:57:09.287Z',
      calls: 2, prompts: 1, tool_calls: 1, tool_failures: 0, errors: 0, project: 'demo', models: ['claude-opus-5-5'], cost_usd: 0.01415,
    });
    expect(tokens(claude)).toEqual([2450, 8300, 350, 47, 0]);
    expect(list.map((s: api.SessionSummary) => [s.tool, s.calls])).toEqual([['gemini-cli', 3], ['codex', 2], ['claude-code', 2]]);
    expect(sessionFigures(list)).toEqual({ sessions: 3, prompts: 3, toolCalls: 3, toolFailures: 0, apiErrors: 0, modelCalls: 7 });
  });

  it('keeps the timeline in the API\'s order with every field of an item, the prompt text among the attributes', () => {
    const detail = api.sessionDetail(recorded('session-claude'));
    expect(detail.summary.session_id).toBe('193b4fab-8599-4654-931d-65ef6669399e');
    expect(detail.timeline.map((i) => i.kind)).toEqual(['prompt', 'model_call', 'tool_decision', 'tool_result', 'model_call']);
    const [prompt, first, decision, result, second] = detail.timeline;
    expect(prompt.fields.attributes.prompt).toBe('say hi');
    expect([first.time, first.fields.model, first.fields.input_tokens, first.fields.cost_usd, first.fields.duration_ms]).toEqual(['2026-11-22T18:57:08.774Z', 'claude-opus-5-5', 1200, 0.0078, 278]);
    expect([decision.fields.tool_name, decision.fields.decision]).toEqual(['Bash', 'accept']);
    expect([result.fields.tool_name, result.fields.success, result.fields.duration_ms]).toEqual(['Bash', true, 32]);
    expect(second.fields.input_tokens).toBe(1250);
    expect(first.fields.trace_id).toBe('ae7985ab6f8a3d078ae73d949fc3562a');
  });
});

describe('trace answers', () => {
  it('names a trace by its root span and lists its tools; a Codex turn is a virtual trace', () => {
    const [claude] = recorded('traces-claude').rows.map(api.traceSummary);
    expect(claude).toEqual({
      trace_id: 'ae7985ab6f8a3d078ae73d949fc3562a', virtual: false, tools: ['claude-code'], name: 'claude_code.interaction',
      start: '2026-11-22T18:57:08.628Z', duration_ms: 671.728, spans: 6, session_id: '193b4fab-8599-4654-931d-65ef6669399e', errors: 0,
    });
    const codex = recorded('traces-codex').rows.map(api.traceSummary);
    expect(codex.map((t: api.TraceSummary) => [t.trace_id, t.virtual, t.name, t.spans])).toEqual([
      ['865de861d5a2c78289439d721455da8c-5d445f3f18a23285', true, 'run_turn', 317],
      ['865de861d5a2c78289439d721455da8c', false, 'turn/start', 362],
    ]);
  });

  it('draws the waterfall from the API\'s tree order, depths and offsets', () => {
    const spans = recorded('spans-claude').spans.map(api.span);
    const tree = spanTree(spans);
    expect(tree.rows.map((r) => '  '.repeat(r.depth) + r.span.name)).toEqual([
      'claude_code.interaction',
      '  claude_code.llm_request',
      '  claude_code.tool',
      '    claude_code.tool.blocked_on_user',
      '    claude_code.tool.execution',
      '  claude_code.llm_request',
    ]);
    expect(tree.rows.map((r) => r.offset)).toEqual([0, 141, 390, 390, 398, 447]);
    expect(tree.total).toBeCloseTo(671.728, 6);
    expect(spans[1]).toMatchObject({ model: 'claude-opus-5-5', input_tokens: 1200, output_tokens: 35, status: 'STATUS_CODE_UNSET' });
  });
});

describe('metric answers', () => {
  it('lists names with type, unit and the tools that send them', () => {
    const names = recorded('metric-names').rows.map(api.metricName);
    expect(names.find((m: api.MetricName) => m.name === 'claude_code.token.usage')).toEqual({
      name: 'claude_code.token.usage', type: 'sum', unit: 'tokens', description: 'Number of tokens used', temporality: 'delta', points: 4, tools: ['claude-code'],
    });
  });

  it('turns series points into epoch seconds and sums them per group', () => {
    const series = api.metricSeriesAnswer(recorded('metric-series'));
    expect(series.map((s) => s.key)).toEqual(['cacheCreation', 'cacheRead', 'input', 'output']);
    expect(series[2].points).toHaveLength(24);
    expect(series[2].points[18]).toEqual([Date.UTC(2026, 10, 22, 18) / 1000, 2450]);
    expect(seriesSummary(series, false).map((r) => [r.key, r.value])).toEqual([['cacheRead', 8300], ['input', 2450], ['cacheCreation', 350], ['output', 47]]);
  });
});

describe('SQL, live and levels answers', () => {
  it('reads column names and types, rows as arrays and the server\'s time', () => {
    expect(api.sqlResult(recorded('sql'))).toEqual({
      columns: ['tool', 'records'], types: ['VARCHAR', 'BIGINT'], rows: [['claude-code', 12], ['codex', 12], ['gemini-cli', 20]], truncated: false, elapsed_ms: 12,
    });
  });

  it('builds the overview\'s call figures from one read-only query over checked instants', () => {
    const text = api.callFiguresSql('2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z');
    expect(text).toContain("FROM usage WHERE timestamp >= TIMESTAMPTZ '2026-11-22T00:00:00.000Z' AND timestamp < TIMESTAMPTZ '2026-11-23T00:00:00.000Z'");
    expect(() => api.callFiguresSql("2026-11-22T00:00:00Z' OR true --", '2026-11-23T00:00:00Z')).toThrow(/absolute UTC instants/);
    const figures = api.callFiguresAnswer({
      columns: ['calls', 'routing_calls', 'latency_p50_ms', 'latency_p95_ms', 'claude_code_calls', 'claude_code_user_facing_calls'],
      types: [], rows: [[7, 1, 191, 264.2, 2, 2]], truncated: false, elapsed_ms: 1,
    });
    expect(figures).toEqual({ calls: 7, routing_calls: 1, latency_p50_ms: 191, latency_p95_ms: 264.2, claude_code_calls: 2, claude_code_user_facing_calls: 2 });
  });

  it('escapes a metric name that ends up in SQL', () => {
    expect(api.metricAttributesSql("a'b", '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z')).toContain("metric_name = 'a''b'");
  });

  it('takes the live answer\'s "now" as the next cursor', () => {
    expect(api.liveAnswer(recorded('live'))).toEqual({ changed: true, cursor: '2026-11-22T21:27:17.712871115Z' });
    expect(api.liveAnswer({ now: '2026-11-22T21:30:00Z', changed: false })).toEqual({ changed: false, cursor: '2026-11-22T21:30:00Z' });
  });

  it('reads records per severity', () => {
    expect(api.logLevelsAnswer(recorded('log-levels'))).toEqual([{ level: 'UNSPECIFIED', records: 32 }, { level: 'INFO', records: 11 }, { level: 'DEBUG', records: 1 }]);
  });

  it('reads the lake statistics', () => {
    expect(api.lakeStats({ snapshot_version: 0, snapshot_committed_at: null, landing: { logs: { bytes: 70705, files: 4 }, metrics: { bytes: 48838, files: 3 }, spans: { bytes: 109775, files: 4 }, usage: { bytes: 0, files: 0 } }, tables: {}, rows: { logs: 44, usage: 7 } }))
      .toEqual({ snapshot_version: 0, snapshot_committed_at: null, landing_files: 11, log_records: 44, usage_rows: 7 });
  });

  it('reads where to send telemetry: a URL of its own, or a port on this host', () => {
    expect(api.ingestEndpoint({ ingest_port: 14318, ingest_url: null })).toEqual({ url: null, port: 14318 });
    expect(api.ingestEndpoint({ ingest_port: null, ingest_url: 'https://abc.lambda-url.eu-west-1.on.aws/' }))
      .toEqual({ url: 'https://abc.lambda-url.eu-west-1.on.aws/', port: null });
    expect(api.ingestEndpoint({})).toEqual({ url: null, port: null });
  });
});
