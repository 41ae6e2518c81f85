// Pure arithmetic over usage rows: totals, today / 7 d / 30 d windows with their previous periods,
// and pivots into chart series. Kept apart from the views so it is unit-tested.
import { COUNTER_KEYS, type Counters, type UsageRow } from './api';
import { addDays } from './time';

export function emptyCounters(): Counters {
  return { calls: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: null, reported_cost_usd: null, unpriced_calls: 0 };
}

/** Adds counters; a cost stays null only when every part was null (unknown price), never a silent 0. */
export function sumCounters(rows: Counters[]): Counters {
  const out = emptyCounters();
  for (const r of rows) {
    for (const key of COUNTER_KEYS) {
      const v = r[key];
      if (v === null || v === undefined) continue;
      (out as any)[key] = ((out as any)[key] ?? 0) + v;
    }
  }
  return out;
}

/** Tokens billed: fresh input + output (reasoning is part of output) + cache reads + cache writes. */
export function totalTokens(c: Counters): number {
  return c.input_tokens + c.output_tokens + c.cache_read_tokens + c.cache_write_tokens;
}

export interface WindowFigures {
  current: Counters;
  previous: Counters;
}

/**
 * Today, the last 7 and the last 30 days ending on {@code endDay} (inclusive), each with the period of
 * the same length just before it, from rows grouped by day ("YYYY-MM-DD" in the report's zone).
 */
export function windowsEnding(dayRows: UsageRow[], endDay: string): Record<'today' | 'd7' | 'd30', WindowFigures> {
  const span = (days: number, back: number) => {
    const last = addDays(endDay, -back);
    const first = addDays(last, -(days - 1));
    return sumCounters(dayRows.filter((r) => r.day != null && r.day >= first && r.day <= last));
  };
  return {
    today: { current: span(1, 0), previous: span(1, 1) },
    d7: { current: span(7, 0), previous: span(7, 7) },
    d30: { current: span(30, 0), previous: span(30, 30) },
  };
}

/** Start of a day / ISO week / month key as epoch seconds (UTC midnight of that calendar date). */
export function periodEpoch(key: string): number {
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(key);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 1000;
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    // ISO week 1 contains 4 January; weeks start on Monday.
    const jan4 = new Date(Date.UTC(+m[1], 0, 4));
    const monday = Date.UTC(+m[1], 0, 4 - ((jan4.getUTCDay() + 6) % 7));
    return monday / 1000 + (+m[2] - 1) * 7 * 86400;
  }
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return Date.UTC(+m[1], +m[2] - 1, 1) / 1000;
  const t = Date.parse(key);
  return Number.isNaN(t) ? NaN : t / 1000;
}

/** Every calendar day from first to last inclusive, so a chart shows quiet days as 0, not a gap. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last && out.length < 3700; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Rows grouped by a period and a series key → aligned chart data: x = periods, one value list per
 * series (largest total first, the rest beyond {@code maxSeries} folded into "other").
 */
export function pivot(
  rows: UsageRow[],
  periodKey: 'day' | 'week' | 'month',
  seriesKey: 'tool' | 'model' | 'project' | 'host',
  field: keyof Counters,
  periods?: string[],
  maxSeries = 6,
): { periods: string[]; x: number[]; series: { label: string; values: number[] }[] } {
  const allPeriods = periods ?? [...new Set(rows.map((r) => r[periodKey] ?? ''))].filter(Boolean).sort();
  const totals = new Map<string, number>();
  for (const r of rows) {
    const label = r[seriesKey] ?? '(none)';
    totals.set(label, (totals.get(label) ?? 0) + ((r[field] as number | null) ?? 0));
  }
  const ranked = [...totals].sort((a, b) => b[1] - a[1]).map(([label]) => label);
  const kept = ranked.slice(0, ranked.length > maxSeries ? maxSeries - 1 : maxSeries);
  const labels = ranked.length > kept.length ? [...kept, 'other'] : kept;
  const index = new Map(allPeriods.map((p, i) => [p, i]));
  const series = labels.map((label) => ({ label, values: allPeriods.map(() => 0) }));
  for (const r of rows) {
    const i = index.get(r[periodKey] ?? '');
    if (i === undefined) continue;
    const label = r[seriesKey] ?? '(none)';
    const s = series[kept.includes(label) ? labels.indexOf(label) : labels.length - 1];
    s.values[i] += (r[field] as number | null) ?? 0;
  }
  return { periods: allPeriods, x: allPeriods.map(periodEpoch), series };
}

/** Top-N of rows by a field, for bar lists. */
export function top(rows: UsageRow[], key: 'model' | 'project' | 'host' | 'tool' | 'session', field: keyof Counters, n = 6) {
  return [...rows]
    .filter((r) => ((r[field] as number | null) ?? 0) > 0 || field === 'cost_usd')
    .sort((a, b) => (((b[field] as number | null) ?? 0) - ((a[field] as number | null) ?? 0)))
    .slice(0, n)
    .map((r) => ({ label: r[key] ?? '(none)', value: (r[field] as number | null) ?? 0 }));
}
