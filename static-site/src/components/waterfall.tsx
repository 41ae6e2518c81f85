import { useMemo, useState } from 'preact/hooks';
import type { Span } from '../api';
import { formatDuration } from '../format';
import { colorFor } from './chart';

export interface SpanRow {
  span: Span;
  depth: number;
  offset: number; // ms from the trace start
}

/**
 * The API sends spans in tree order (parents first, children by start) with each span's depth and
 * its start relative to the trace; the waterfall only needs the axis length on top.
 */
export function spanTree(spans: Span[]): { rows: SpanRow[]; total: number } {
  const rows = spans.map((span) => ({ span, depth: span.depth, offset: span.offset_ms }));
  const end = Math.max(0, ...rows.map((r) => r.offset + r.span.duration_ms));
  return { rows, total: Math.max(end, 0.001) };
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
      <div class="wf-rows">
      {tree.rows.map((r) => {
        const left = (100 * r.offset) / tree.total;
        const width = Math.max((100 * r.span.duration_ms) / tree.total, 0.3);
        const error = r.span.status === 'STATUS_CODE_ERROR';
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
      </div>
      {chosen && (
        <div class="wf-detail" data-testid="span-detail">
          <h4>{chosen.name}</h4>
          <div class="muted small mono">
            span {chosen.span_id}{chosen.parent_span_id ? ' · parent ' + chosen.parent_span_id : ''} · {formatDuration(chosen.duration_ms)}
            {chosen.service_name ? ' · ' + chosen.service_name : ''}{chosen.kind ? ' · ' + chosen.kind.replace('SPAN_KIND_', '').toLowerCase() : ''}
            {chosen.status === 'STATUS_CODE_ERROR' ? ' · error' + (chosen.status_message ? ': ' + chosen.status_message : '') : ''}
            {chosen.model ? ' · ' + chosen.model : ''}{chosen.input_tokens !== null ? ' · in ' + chosen.input_tokens + ' · out ' + (chosen.output_tokens ?? 0) : ''}
          </div>
          <pre>{JSON.stringify(chosen.attributes, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}
