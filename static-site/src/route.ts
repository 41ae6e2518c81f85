// The page's state lives in the URL hash (#/view/id?key=value…) so every screen is a shareable link
// and reloads to the same place. Only values that differ from the defaults are written.

export const VIEWS = ['overview', 'usage', 'sessions', 'traces', 'logs', 'metrics', 'dashboards', 'sql'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The item a view opens: a session id, trace id or dashboard id. */
  id: string | null;
  params: Record<string, string>;
}

export const DEFAULTS: Record<string, string> = { from: 'now-24h', to: 'now', refresh: 'off' };

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const search = q < 0 ? '' : text.slice(q + 1);
  const [first, ...rest] = path.split('/').filter(Boolean).map(safeDecode);
  const view = (VIEWS as readonly string[]).includes(first) ? (first as View) : 'overview';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) params[k] = v;
  return { view, id: view === first && rest.length ? rest.join('/') : null, params };
}

export function formatHash(route: Route): string {
  const path = '#/' + route.view + (route.id ? '/' + encodeURIComponent(route.id) : '');
  const search = new URLSearchParams();
  for (const key of Object.keys(route.params).sort()) {
    const value = route.params[key];
    if (value === undefined || value === null || value === '' || DEFAULTS[key] === value) continue;
    search.set(key, value);
  }
  const text = search.toString();
  return text ? path + '?' + text : path;
}

/** A param with its default applied. */
export function param(route: Route, key: string, fallback = ''): string {
  return route.params[key] ?? DEFAULTS[key] ?? fallback;
}

/** The route after a change: params merged (empty string removes), view/id replaced when given. */
export function withChanges(route: Route, change: { view?: View; id?: string | null; params?: Record<string, string | null> }): Route {
  const params = { ...route.params };
  for (const [k, v] of Object.entries(change.params ?? {})) {
    if (v === null || v === '') delete params[k];
    else params[k] = v;
  }
  // Filters belong to a view: keep only the global ones when moving to another view.
  if (change.view && change.view !== route.view) {
    for (const k of Object.keys(params)) if (!(k in DEFAULTS) && !(change.params && k in change.params)) delete params[k];
  }
  return {
    view: change.view ?? route.view,
    id: change.id !== undefined ? change.id : change.view && change.view !== route.view ? null : route.id,
    params,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const REFRESH_CHOICES: { label: string; value: string; ms: number }[] = [
  { label: 'Off', value: 'off', ms: 0 },
  { label: '5 s', value: '5s', ms: 5000 },
  { label: '10 s', value: '10s', ms: 10000 },
  { label: '30 s', value: '30s', ms: 30000 },
  { label: '1 m', value: '1m', ms: 60000 },
  { label: '5 m', value: '5m', ms: 300000 },
];

export function refreshMillis(value: string): number {
  return REFRESH_CHOICES.find((c) => c.value === value)?.ms ?? 0;
}
