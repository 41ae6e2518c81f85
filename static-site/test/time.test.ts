import { describe, expect, it } from 'vitest';
import { addDays, dayKey, describeRange, intervalFor, rangeDays, rangeMillis, resolveTime } from '../src/time';

const NOW = new Date('2026-11-22T20:00:00Z');

describe('time expressions, same grammar as the API', () => {
  it('resolves relative offsets against now', () => {
    expect(resolveTime('now', NOW)!.toISOString()).toBe('2026-11-22T20:00:00.000Z');
    expect(resolveTime('now-15m', NOW)!.toISOString()).toBe('2026-11-22T19:45:00.000Z');
    expect(resolveTime('now-7d', NOW)!.toISOString()).toBe('2026-11-15T20:00:00.000Z');
    expect(resolveTime('now-2w', NOW)!.toISOString()).toBe('2026-11-08T20:00:00.000Z');
    expect(resolveTime('now+1d', NOW)!.toISOString()).toBe('2026-11-23T20:00:00.000Z');
  });
  it('reads RFC 3339 with a zone and rejects anything else', () => {
    expect(resolveTime('2026-11-22T00:00:00Z', NOW)!.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(resolveTime('2026-11-22T01:00:00+01:00', NOW)!.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(resolveTime('2026-11-22', NOW)).toBeNull();
    expect(resolveTime('yesterday', NOW)).toBeNull();
    expect(resolveTime('now-7x', NOW)).toBeNull();
  });
  it('names ranges by their preset or their ends', () => {
    expect(describeRange({ from: 'now-24h', to: 'now' })).toBe('Last 24 hours');
    expect(describeRange({ from: 'now-3d', to: 'now' })).toBe('Last 3d');
    expect(describeRange({ from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z' })).toBe('2026-11-22 00:00Z → 2026-11-23 00:00Z');
  });
  it('measures a range and picks a bucket width for charts', () => {
    expect(rangeMillis({ from: 'now-24h', to: 'now' }, NOW)).toBe(86_400_000);
    expect(intervalFor(3_600_000)).toBe('1m');
    expect(intervalFor(86_400_000)).toBe('1h');
    expect(intervalFor(7 * 86_400_000)).toBe('6h');
    expect(intervalFor(30 * 86_400_000)).toBe('1d');
  });
});

describe('calendar days', () => {
  it('puts an instant on the day of the chosen zone', () => {
    expect(dayKey(new Date('2026-11-22T23:30:00Z'), 'UTC')).toBe('2026-11-22');
    expect(dayKey(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-23');
    expect(dayKey(new Date('2026-11-22T05:00:00Z'), 'America/New_York')).toBe('2026-11-22');
    expect(dayKey(new Date('2026-11-22T04:00:00Z'), 'America/New_York')).toBe('2026-11-21');
  });
  it('gives the days a range touches in the chosen zone, its end exclusive', () => {
    const range = { from: '2026-11-22T02:00:00Z', to: '2026-11-23T02:00:00Z' };
    const now = new Date('2026-11-23T12:00:00Z');
    expect(rangeDays(range, now, 'UTC')).toEqual({ first: '2026-11-22', last: '2026-11-23' });
    expect(rangeDays(range, now, 'America/New_York')).toEqual({ first: '2026-11-21', last: '2026-11-22' });
    expect(rangeDays({ from: 'now-1d', to: 'now' }, now, 'Asia/Tokyo')).toEqual({ first: '2026-11-22', last: '2026-11-23' });
    expect(rangeDays({ from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z' }, now, 'UTC')).toEqual({ first: '2026-11-22', last: '2026-11-22' });
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
