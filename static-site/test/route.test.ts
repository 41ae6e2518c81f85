import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, withChanges } from '../src/route';

describe('URL state', () => {
  it('parses view, item and parameters from the hash', () => {
    expect(parseHash('#/sessions/193b4fab-8599?from=now-7d&tool=codex')).toEqual({
      view: 'sessions', id: '193b4fab-8599', params: { from: 'now-7d', tool: 'codex' },
    });
    expect(parseHash('')).toEqual({ view: 'overview', id: null, params: {} });
    expect(parseHash('#/nonsense/x')).toEqual({ view: 'overview', id: null, params: {} });
  });
  it('writes only what differs from the defaults, keys sorted, so links are short and stable', () => {
    expect(formatHash({ view: 'logs', id: null, params: { to: 'now', from: 'now-24h', tool: 'codex', refresh: 'off', search: 'a b' } })).toBe('#/logs?search=a+b&tool=codex');
    expect(formatHash({ view: 'traces', id: 'abc/def', params: {} })).toBe('#/traces/abc%2Fdef');
  });
  it('round-trips every value, including absolute times and ids with odd characters', () => {
    const route = { view: 'sql' as const, id: null, params: { from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z', sql: "SELECT 'a&b=c' FROM logs" } };
    expect(parseHash(formatHash(route))).toEqual(route);
    const withId = { view: 'sessions' as const, id: 'a b/c?d', params: { tz: 'Europe/Berlin' } };
    expect(parseHash(formatHash(withId))).toEqual(withId);
  });
  it('keeps the time range but drops view filters when moving to another view', () => {
    const logs = parseHash('#/logs?from=now-7d&tool=codex&session=s1');
    expect(withChanges(logs, { view: 'sessions', id: 's1' })).toEqual({ view: 'sessions', id: 's1', params: { from: 'now-7d' } });
    expect(withChanges(logs, { params: { tool: '', search: 'x' } })).toEqual({ view: 'logs', id: null, params: { from: 'now-7d', session: 's1', search: 'x' } });
    expect(withChanges(logs, { view: 'sessions', params: { tool: 'codex' } }).params).toEqual({ from: 'now-7d', tool: 'codex' });
  });
});
