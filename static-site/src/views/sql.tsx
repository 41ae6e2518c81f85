import { useState } from 'preact/hooks';
import * as api from '../api';
import { download, formatDuration, toCsv } from '../format';
import { useApp } from '../context';
import { ErrorNote, Panel, Spinner } from '../components/ui';

export const SQL_EXAMPLES: { label: string; sql: string }[] = [
  { label: 'Cost by tool and model', sql: 'SELECT tool, model, count(*) AS calls, sum(input_tokens) AS input, sum(output_tokens) AS output,\n       round(sum(cost_usd), 4) AS cost_usd\nFROM usage\nGROUP BY ALL\nORDER BY cost_usd DESC NULLS LAST' },
  { label: 'Events per tool', sql: 'SELECT tool, event_name, count(*) AS records\nFROM logs\nGROUP BY ALL\nORDER BY records DESC' },
  { label: 'Slowest tool calls', sql: "SELECT timestamp, tool, tool_name, duration_ms, success\nFROM logs\nWHERE tool_name IS NOT NULL\nORDER BY duration_ms DESC NULLS LAST\nLIMIT 20" },
  { label: 'Costliest sessions', sql: 'SELECT tool, session_id, min(first_seen) AS started, sum(prompts) AS prompts, sum(model_calls) AS calls,\n       sum(tool_calls) AS tool_calls, round(sum(cost_usd), 4) AS cost_usd\nFROM sessions\nGROUP BY ALL\nORDER BY cost_usd DESC NULLS LAST\nLIMIT 20' },
];

/** DuckDB's number types: their columns are right-aligned like their values. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

export function SqlView() {
  const { route, navigate } = useApp();
  const [text, setText] = useState(route.params.sql ?? SQL_EXAMPLES[1].sql);
  const [result, setResult] = useState<api.SqlResult | null>(null);
  const [error, setError] = useState<api.ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [took, setTook] = useState(0);
  const run = async () => {
    setBusy(true);
    setError(null);
    const t0 = performance.now();
    try {
      setResult(await api.sql(text));
      navigate({ params: { sql: text } }, true);
    } catch (e) {
      setResult(null);
      setError(e instanceof api.ApiError ? e : new api.ApiError(-1, 'client', String(e), '/api/sql'));
    } finally {
      setTook(performance.now() - t0);
      setBusy(false);
    }
  };
  return (
    <div class="view">
      <div class="view-head">
        <h1>SQL console</h1>
        <div class="filters">
          <select onChange={(e) => { const i = Number((e.target as HTMLSelectElement).value); if (i >= 0) setText(SQL_EXAMPLES[i].sql); }} aria-label="Examples">
            <option value="-1">Examples…</option>
            {SQL_EXAMPLES.map((x, i) => <option value={i}>{x.label}</option>)}
          </select>
        </div>
      </div>
      <Panel>
        <textarea
          class="sql-editor mono"
          data-testid="sql-editor"
          spellcheck={false}
          value={text}
          rows={7}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
              e.preventDefault();
              run();
            }
          }}
        />
        <div class="toolbar-row">
          <button type="button" class="btn btn-primary" onClick={run} disabled={busy} data-testid="sql-run">▶ Run</button>
          <span class="muted small">Ctrl+Enter · read-only, over the views <code>logs</code>, <code>spans</code>, <code>metrics</code>, <code>usage</code>, <code>sessions</code></span>
          <span class="spacer" />
          {busy && <Spinner />}
          {result && <span class="muted small" data-testid="sql-summary">{result.rows.length} row{result.rows.length === 1 ? '' : 's'}{result.truncated ? ' (limit reached)' : ''} · {result.elapsed_ms !== null ? formatDuration(result.elapsed_ms) + ' in the lake, ' : ''}{formatDuration(took)} in all</span>}
          <button type="button" class="btn" disabled={!result} onClick={() => result && download('agentlake-query.csv', toCsv(result.columns, result.rows), 'text/csv')}>⤓ CSV</button>
          <button type="button" class="btn" disabled={!result} onClick={() => result && download('agentlake-query.json', JSON.stringify(result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]]))), null, 2), 'application/json')}>⤓ JSON</button>
        </div>
      </Panel>
      {error && <ErrorNote error={error} what="SQL results" />}
      {result && (
        <Panel title="Results">
          <div class="table-wrap">
            <table class="data" data-testid="sql-result">
              <thead><tr>{result.columns.map((c, i) => <th title={result.types[i]} class={NUMERIC.test(result.types[i]) ? 'num' : ''}>{c}</th>)}</tr></thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr>{r.map((v) => <td class={typeof v === 'number' ? 'num' : ''}>{v === null ? <span class="muted">NULL</span> : typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
    </div>
  );
}
