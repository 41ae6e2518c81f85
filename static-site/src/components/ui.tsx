import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from '../api';
import type { Delta } from '../format';
import type { Loaded } from '../context';

export function Panel(props: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string; id?: string }) {
  return (
    <section class={'panel ' + (props.class ?? '')} id={props.id}>
      {(props.title || props.actions) && (
        <header class="panel-head">
          <h2>{props.title}</h2>
          <div class="panel-actions">{props.actions}</div>
        </header>
      )}
      <div class="panel-body">{props.children}</div>
    </section>
  );
}

export function Stat(props: { label: string; value: string; sub?: ComponentChildren; delta?: Delta | null; testId?: string; hint?: string }) {
  return (
    <div class="stat" data-testid={props.testId} title={props.hint}>
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.value}</div>
      <div class="stat-sub">
        {props.delta && <span class={'delta delta-' + props.delta.direction}>{props.delta.text}</span>}
        {props.sub}
      </div>
    </div>
  );
}

export function Spinner() {
  return <span class="spinner" aria-label="loading" />;
}

/** What a view shows instead of data: loading, an endpoint this server lacks, or a failure. */
export function Status<T>(props: { state: Loaded<T>; what: string; children?: ComponentChildren }) {
  const { state } = props;
  if (state.error) return <ErrorNote error={state.error} what={props.what} />;
  if (state.loading && state.data === undefined) return <div class="muted pad"><Spinner /> Loading {props.what}…</div>;
  return <>{props.children}</>;
}

export function ErrorNote(props: { error: ApiError; what: string }) {
  const { error } = props;
  if (error.missing)
    return (
      <div class="note note-info" data-testid="not-available">
        <strong>Not available yet.</strong> This server does not offer {props.what} (<code>{error.path}</code> answered {error.status}).
      </div>
    );
  if (error.unauthorized)
    return <div class="note note-warn">The API needs a token to show {props.what}.</div>;
  return (
    <div class="note note-error" role="alert">
      <strong>Cannot load {props.what}:</strong> {error.message}
      {error.status > 0 && <span class="muted"> (HTTP {error.status})</span>}
    </div>
  );
}

export function CopyBox(props: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      const area = document.createElement('textarea');
      area.value = props.text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div class="copybox">
      {props.label && <div class="copybox-label">{props.label}</div>}
      <pre>{props.text}</pre>
      <button type="button" class="btn btn-small copy-btn" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}

export function Tabs<T extends string>(props: { value: T; options: { value: T; label: string }[]; onChange(v: T): void; name: string }) {
  return (
    <div class="segmented" role="tablist" aria-label={props.name}>
      {props.options.map((o) => (
        <button type="button" role="tab" aria-selected={o.value === props.value} class={o.value === props.value ? 'on' : ''} onClick={() => props.onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** Horizontal bars for a top-N list; cheap HTML instead of a chart. */
export function BarList(props: { rows: { label: string; value: number; text: string; href?: string }[]; empty?: string; testId?: string }) {
  const max = Math.max(0, ...props.rows.map((r) => r.value));
  if (!props.rows.length) return <div class="muted pad">{props.empty ?? 'Nothing in this range.'}</div>;
  return (
    <ul class="barlist" data-testid={props.testId}>
      {props.rows.map((r) => (
        <li>
          <div class="barlist-bar" style={{ width: max > 0 ? (100 * r.value) / max + '%' : '0%' }} />
          {r.href ? <a href={r.href} class="barlist-label">{r.label}</a> : <span class="barlist-label">{r.label}</span>}
          <span class="barlist-value">{r.text}</span>
        </li>
      ))}
    </ul>
  );
}
