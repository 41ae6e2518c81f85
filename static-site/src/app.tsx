import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as api from './api';
import { AppContext, type AppState } from './context';
import { RangePicker } from './components/range';
import { TokenPrompt } from './components/token';
import { REFRESH_CHOICES, formatHash, param, parseHash, refreshMillis, withChanges, type Route, type View } from './route';
import { OverviewView } from './views/overview';
import { UsageView } from './views/usage';
import { SessionsView } from './views/sessions';
import { TracesView } from './views/traces';
import { LogsView } from './views/logs';
import { MetricsView } from './views/metrics';
import { DashboardsView } from './views/dashboards';
import { SqlView } from './views/sql';
import { pollLive } from './live';
import { chooseTheme, chosenTheme, type Theme } from './theme';

const NAV: { view: View; label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'usage', label: 'Usage' },
  { view: 'sessions', label: 'Sessions' },
  { view: 'traces', label: 'Traces' },
  { view: 'logs', label: 'Logs' },
  { view: 'metrics', label: 'Metrics' },
  { view: 'dashboards', label: 'Dashboards' },
  { view: 'sql', label: 'SQL' },
];

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function App() {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  const [tick, setTick] = useState(0);
  const [theme, setTheme] = useState<Theme>(() => chosenTheme(storage()) ?? systemTheme());
  const [askToken, setAskToken] = useState(false);
  const [liveNote, setLiveNote] = useState<string>('');
  const cursor = useRef<string | null>(null);

  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    api.onUnauthorized(() => setAskToken(true));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Until the user picks a theme, the page follows the system's, also when it changes (dusk, say).
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!media?.addEventListener) return;
    const follow = (e: MediaQueryListEvent) => {
      if (chosenTheme(storage()) === null) setTheme(e.matches ? 'dark' : 'light');
    };
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);

  const navigate = useCallback<AppState['navigate']>((change, replace = false) => {
    setRoute((current) => {
      const next = withChanges(current, change);
      const hash = formatHash(next);
      if (replace) history.replaceState(null, '', hash);
      else if (location.hash !== hash) history.pushState(null, '', hash);
      return next;
    });
  }, []);

  const href = useCallback<AppState['href']>((change) => formatHash(withChanges(route, change)), [route]);

  const range = useMemo(() => ({ from: param(route, 'from'), to: param(route, 'to') }), [route.params.from, route.params.to]);
  const refresh = param(route, 'refresh');

  // Auto-refresh: ask /api/live whether anything arrived and reload only then; without that endpoint
  // (older server) reload on every interval.
  useEffect(() => {
    const every = refreshMillis(refresh);
    if (!every) {
      setLiveNote('');
      return;
    }
    return pollLive(every, cursor, {
      ask: api.live,
      reload: () => setTick((t) => t + 1),
      note: setLiveNote,
      missing: (e) => e instanceof api.ApiError && e.missing,
    });
  }, [refresh]);

  const state: AppState = { route, range, tick, navigate, href };

  return (
    <AppContext.Provider value={state}>
      <div class="shell">
        <header class="topbar">
          <a class="brand" href="#/overview">
            <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
              <path d="M3 20c4-3 7-3 10 0s7 3 10 0 5-3 6-2" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" />
              <path d="M3 26c4-3 7-3 10 0s7 3 10 0 5-3 6-2" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" opacity=".5" />
              <circle cx="22" cy="8" r="4" fill="currentColor" />
            </svg>
            Agentlake
          </a>
          <nav class="nav">
            {NAV.map((n) => (
              <a href={href({ view: n.view, id: null })} class={route.view === n.view ? 'on' : ''} aria-current={route.view === n.view ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="toolbar">
            <RangePicker range={range} onChange={(r) => navigate({ params: { from: r.from, to: r.to } })} />
            <label class="refresh" title="Auto-refresh">
              <span class="sr-only">Auto-refresh</span>
              <select value={refresh} data-testid="refresh-select" onChange={(e) => navigate({ params: { refresh: (e.target as HTMLSelectElement).value } }, true)}>
                {REFRESH_CHOICES.map((c) => (
                  <option value={c.value}>{c.value === 'off' ? 'Auto-refresh off' : 'Every ' + c.label}</option>
                ))}
              </select>
            </label>
            {liveNote && <span class={'live-dot live-' + liveNote} title={'auto-refresh: ' + liveNote} />}
            <button type="button" class="btn btn-icon" title="Refresh now" data-testid="refresh-now" onClick={() => setTick((t) => t + 1)}>⟳</button>
            <button type="button" class="btn btn-icon" title="Dark / light" data-testid="theme-toggle" onClick={() => {
              const next = theme === 'dark' ? 'light' : 'dark';
              chooseTheme(storage(), next);
              setTheme(next);
            }}>
              {theme === 'dark' ? '☀' : '☾'}
            </button>
          </div>
        </header>
        <main class="content" data-view={route.view}>
          <ViewFor view={route.view} />
        </main>
      </div>
      {askToken && (
        <TokenPrompt
          onDone={() => {
            setAskToken(false);
            setTick((t) => t + 1);
          }}
          onCancel={() => setAskToken(false)}
        />
      )}
    </AppContext.Provider>
  );
}

function ViewFor(props: { view: View }) {
  switch (props.view) {
    case 'overview':
      return <OverviewView />;
    case 'usage':
      return <UsageView />;
    case 'sessions':
      return <SessionsView />;
    case 'traces':
      return <TracesView />;
    case 'logs':
      return <LogsView />;
    case 'metrics':
      return <MetricsView />;
    case 'dashboards':
      return <DashboardsView />;
    case 'sql':
      return <SqlView />;
  }
}
