// Number, money, time and file formats the page shows. Fixed to en-US digits so the numbers a user
// reads (and the browser tests assert) do not depend on the machine's locale.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : INT.format(n);
}

/** 950 → "950", 12_345 → "12.3k", 4_200_000 → "4.2M". */
export function formatCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = n / size;
      return (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '')) + unit;
    }
  }
  return INT.format(n);
}

/** US dollars: cents for whole amounts, four decimals below $1 so small sessions are not "$0.00". */
export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const digits = abs === 0 ? 2 : abs < 1 ? 4 : 2;
  return (n < 0 ? '-$' : '$') + abs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return (ratio * 100).toFixed(digits).replace(/\.0+$/, '') + '%';
}

/** 850 → "850 ms", 1500 → "1.5 s", 125_000 → "2 m 5 s", 7_380_000 → "2 h 3 m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return (ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms).toString()) + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 2 : 1).replace(/\.?0+$/, '') + ' s';
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h} h ${m} m` : `${m} m ${sec} s`;
}

export interface Delta {
  text: string;
  direction: 'up' | 'down' | 'flat' | 'new';
}

/** Change from the previous period: "+25%", "−10%", "±0%", or "new" when there was nothing before. */
export function delta(current: number | null, previous: number | null): Delta | null {
  if (current === null || previous === null) return null;
  if (previous === 0) return current === 0 ? { text: '±0%', direction: 'flat' } : { text: 'new', direction: 'new' };
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { text: '±0%', direction: 'flat' };
  const pct = Math.abs(change * 100);
  const text = (pct >= 10 ? pct.toFixed(0) : pct.toFixed(1).replace(/\.0$/, '')) + '%';
  return change > 0 ? { text: '+' + text, direction: 'up' } : { text: '−' + text, direction: 'down' };
}

/** "2026-11-22 18:57:08" in the given IANA zone (default: the browser's). */
export function formatTime(iso: string | null | undefined, timeZone?: string, withMillis = false): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = zonedParts(d, timeZone);
  const base = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  return withMillis ? base + '.' + String(d.getUTCMilliseconds()).padStart(3, '0') : base;
}

export function zonedParts(d: Date, timeZone?: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23',
  });
  const out: any = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** "1 prompt", "2 prompts", "1,200 records". */
export function plural(n: number | null | undefined, noun: string): string {
  return formatInt(n) + ' ' + (n === 1 ? noun : noun + 's');
}

/** Short relative age: "12 s ago", "5 m ago", "3 h ago", "4 d ago". */
export function formatAge(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '–';
  const s = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  if (s < 60) return Math.round(s) + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' m ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

// ---------------------------------------------------------------- downloads

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled; CRLF rows. */
export function toCsv(columns: string[], rows: unknown[][]): string {
  const field = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [columns, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
