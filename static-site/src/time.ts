// The global time range: what the user picked (relative like "now-7d" or absolute RFC 3339), how it
// is resolved to instants, and the calendar-day arithmetic the overview's today / 7 d / 30 d use.

export interface Preset {
  label: string;
  from: string;
}

export const PRESETS: Preset[] = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
  { label: 'Last 30 days', from: 'now-30d' },
  { label: 'Last 90 days', from: 'now-90d' },
  { label: 'Last year', from: 'now-365d' },
];

const RELATIVE = /^now(?:([-+])(\d{1,6})([smhdw]))?$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** Same grammar as the API: "now", "now-15m" (s, m, h, d, w) or an RFC 3339 time. Null when invalid. */
export function resolveTime(expr: string, now: Date): Date | null {
  const text = expr.trim();
  const m = RELATIVE.exec(text);
  if (m) {
    if (!m[1]) return new Date(now.getTime());
    const offset = Number(m[2]) * UNIT_MS[m[3]];
    return new Date(now.getTime() + (m[1] === '-' ? -offset : offset));
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function isRelative(expr: string): boolean {
  return RELATIVE.test(expr.trim());
}

export interface Range {
  from: string;
  to: string;
}

/** A readable name for a range: a preset's label, else "from – to". */
export function describeRange(range: Range): string {
  if (range.to === 'now') {
    const preset = PRESETS.find((p) => p.from === range.from);
    if (preset) return preset.label;
    if (isRelative(range.from)) return range.from.replace('now-', 'Last ');
  }
  return `${range.from.replace('T', ' ').replace(/:00(\.0+)?Z$/, 'Z')} → ${range.to.replace('T', ' ').replace(/:00(\.0+)?Z$/, 'Z')}`;
}

/** Length of the range in milliseconds (relative ends resolved against now). */
export function rangeMillis(range: Range, now: Date): number {
  const from = resolveTime(range.from, now);
  const to = resolveTime(range.to, now);
  return from && to ? to.getTime() - from.getTime() : 0;
}

/** The calendar day ("YYYY-MM-DD") an instant falls on in an IANA zone. */
export function dayKey(instant: Date, timeZone = 'UTC'): string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return fmt.format(instant);
}

/**
 * The calendar days, in {@code timeZone}, that a range touches: the days a per-day chart of it shows
 * (the API groups usage by day in the same zone). The range's end is exclusive.
 */
export function rangeDays(range: { from: string; to: string }, now: Date, timeZone: string): { first: string; last: string } {
  const from = resolveTime(range.from, now) ?? now;
  const to = resolveTime(range.to, now) ?? now;
  return { first: dayKey(from, timeZone), last: dayKey(new Date(Math.max(from.getTime(), to.getTime() - 1)), timeZone) };
}

export function addDays(day: string, n: number): string {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The zones offered by the usage report's picker: the browser's own first, then the common ones. */
export function timeZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  let all: string[] = [];
  try {
    all = (Intl as any).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    all = [];
  }
  const list = ['UTC', own, ...all];
  return [...new Set(list)];
}

/** The bucket width a chart over this range should use ("1h" for a day, "1d" for a month …). */
export function intervalFor(millis: number): string {
  const hour = 3600e3;
  if (millis <= 2 * hour) return '1m';
  if (millis <= 12 * hour) return '5m';
  if (millis <= 2 * 86400e3) return '1h';
  if (millis <= 14 * 86400e3) return '6h';
  return '1d';
}
