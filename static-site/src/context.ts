import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import type { Route, View } from './route';
import type { Range } from './time';

export interface AppState {
  route: Route;
  range: Range;
  /** Bumped by the refresh button, auto-refresh and live updates: every loader re-runs. */
  tick: number;
  navigate(change: { view?: View; id?: string | null; params?: Record<string, string | null> }, replace?: boolean): void;
  href(change: { view?: View; id?: string | null; params?: Record<string, string | null> }): string;
}

export const AppContext = createContext<AppState>(null as unknown as AppState);

export function useApp(): AppState {
  return useContext(AppContext);
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

/**
 * Runs a loader when its inputs or the global tick change. Earlier data stays on screen while a
 * refresh runs (no flicker on auto-refresh); an answer that arrives after a newer request is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const { tick } = useApp();
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (e) => {
        if (mine !== generation.current) return;
        const error = e instanceof ApiError ? e : new ApiError(-1, 'client', String(e?.message ?? e), '');
        if (!(e instanceof ApiError)) console.error(e);
        setState({ data: undefined, error, loading: false });
      },
    );
  }, [...deps, tick]);
  return state;
}
