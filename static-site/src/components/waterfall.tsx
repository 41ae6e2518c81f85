import { useMemo, useState } from 'preact/hooks';
import type { Span } from '../api';
import { formatDuration } from '../format';
import { colorFor } from './chart';

export interface SpanRow {
  span: Span;
  depth: number;
  offset: number; // ms from the trace start
}

/** Orders spans as a tree (parents before children, siblings by start) with their depth and offset. */
export function spanTree(spans: Span[]): { rows: SpanRow[]; start: number; total: number } {
  if (!spans.length) return { rows: [], start: 0, total: 0 };
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parent_span_id && ids.has(s.parent_span_id)) {
      if (!children.has(s.parent_span_id)) children.set(s.parent_span_id, []);
      children.get(s.parent_span_id)!.push(s);
    } else roots.push(s);
  }
  const byStart = (a: Span, b: Span) => Date.parse(a.start) - Date.parse(b.start) || a.name.localeCompare(b.name);
  const start = Math.min(...spans.map((s) => Date.parse(s.start)));
  const end = Math.max(...spans.map((s) => Date.parse(s.start) + s.duration_ms));
  const rows: SpanRow[] = [];
  const walk = (s: Span, depth: number) => {
    rows.push({ span: s, depth, offset: Date.parse(s.start) - start });
    for (const c of (children.get(s.span_id) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  roots.sort(byStart).forEach((r) => walk(r, 0));
  return { rows, start, total: Math.max(end - start, 1) };
}

/** The trace waterfall: one bar per span on a shared time axis; click a span for its attributes. */
export function Waterfall(props: { spans: Span[]; testId?: string }) {
  const tree = useMemo(() => spanTree(props.spans), [props.spans]);
  const [selected, setSelected] = useState<string | null>(null);
  const chosen = tree.rows.find((r) => r.span.span_id === selected)?.span;
  if (!tree.rows.length) return <div class="muted pad">This trace has no spans.</div>;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div class="waterfall" data-testid={props.testId}>
      <div class="wf-row wf-axis">
        <div class="wf-name muted small">{tree.rows.length} spans</div>
        <div class="wf-track">
          {ticks.map((t) => <span class="wf-tick" style={{ left: t * 100 + '%' }}>{formatDuration(t * tree.total)}</span>)}
        </div>
      </div>
      {tree.rows.map((r) => {
        const left = (100 * r.offset) / tree.total;
        const width = Math.max((100 * r.span.duration_ms) / tree.total, 0.3);
        const error = /error/i.test(r.span.status ?? '');
        return (
          <div class={'wf-row clickable' + (selected === r.span.span_id ? ' on' : '')} onClick={() => setSelected(selected === r.span.span_id ? null : r.span.span_id)} data-span={r.span.name}>
            <div class="wf-name" style={{ paddingLeft: 6 + r.depth * 14 + 'px' }} title={r.span.name}>
              {error && <span class="err-dot" />}{r.span.name}
            </div>
            <div class="wf-track">
              <div class="wf-bar" style={{ left: left + '%', width: width + '%', background: error ? 'var(--bad)' : colorFor(r.span.tool ?? '', r.depth) }} />
              {left + width > 85 ? (
                // No room after the bar: the label goes inside its right end.
                <span class="wf-dur wf-dur-in" style={{ right: Math.max(0, 100 - left - width) + '%' }}>{formatDuration(r.span.duration_ms)}</span>
              ) : (
                <span class="wf-dur" style={{ left: left + width + '%' }}>{formatDuration(r.span.duration_ms)}</span>
              )}
            </div>
          </div>
        );
      })}
      {chosen && (
        <div class="wf-detail" data-testid="span-detail">
          <h4>{chosen.name}</h4>
          <div class="muted small mono">span {chosen.span_id}{chosen.parent_span_id ? ' · parent ' + chosen.parent_span_id : ''} · {formatDuration(chosen.duration_ms)}{chosen.status ? ' · ' + chosen.status : ''}</div>
          <pre>{JSON.stringify(chosen.attributes, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}
