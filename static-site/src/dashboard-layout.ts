// Grid arithmetic for custom dashboards: 12 columns, rows of fixed height; widgets never overlap
// (a moved or resized widget pushes the ones it would cover downwards). Plus the import check.
import type { Dashboard, Widget, WidgetKind } from './api';

export const COLUMNS = 12;
const KINDS: WidgetKind[] = ['stat', 'timeseries', 'bar', 'table', 'topn'];

export function overlaps(a: Widget, b: Widget): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(n)));
}

/** Pushes widgets down until none overlaps, keeping {@code fixedId} where it is. */
export function settle(widgets: Widget[], fixedId?: string): Widget[] {
  const placed: Widget[] = [];
  const order = [...widgets].sort((a, b) => (a.id === fixedId ? -1 : b.id === fixedId ? 1 : a.y - b.y || a.x - b.x));
  for (const w of order) {
    const next = { ...w };
    while (placed.some((p) => overlaps(p, next))) next.y += 1;
    placed.push(next);
  }
  return widgets.map((w) => placed.find((p) => p.id === w.id)!);
}

export function moveWidget(widgets: Widget[], id: string, x: number, y: number): Widget[] {
  return settle(widgets.map((w) => (w.id === id ? { ...w, x: clamp(x, 0, COLUMNS - w.w), y: clamp(y, 0, 1000) } : w)), id);
}

export function resizeWidget(widgets: Widget[], id: string, w: number, h: number): Widget[] {
  return settle(widgets.map((x) => (x.id === id ? { ...x, w: clamp(w, 2, COLUMNS - x.x), h: clamp(h, 1, 12) } : x)), id);
}

/** The first place, top to bottom and left to right, where a w × h widget fits. */
export function freeSlot(widgets: Widget[], w: number, h: number): { x: number; y: number } {
  for (let y = 0; y < 1000; y++) {
    for (let x = 0; x + w <= COLUMNS; x++) {
      const probe = { id: '', title: '', kind: 'stat', query: { source: 'sql', sql: '' }, x, y, w, h } as Widget;
      if (!widgets.some((o) => overlaps(o, probe))) return { x, y };
    }
  }
  return { x: 0, y: 0 };
}

/** Parses an exported dashboard; throws with a one-line reason when it is not one. */
export function parseDashboardJson(text: string): Dashboard {
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error('not JSON: ' + (e as Error).message);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('a dashboard is a JSON object with "name" and "widgets"');
  if (typeof raw.name !== 'string' || !raw.name.trim()) throw new Error('"name" must be a non-empty string');
  if (!Array.isArray(raw.widgets)) throw new Error('"widgets" must be an array');
  const widgets: Widget[] = raw.widgets.map((w: any, i: number) => {
    const where = `widget ${i + 1}`;
    if (!w || typeof w !== 'object') throw new Error(`${where} is not an object`);
    if (!KINDS.includes(w.kind)) throw new Error(`${where}: "kind" must be one of ${KINDS.join(', ')}`);
    const q = w.query;
    if (!q || !['usage', 'metric', 'sql'].includes(q.source)) throw new Error(`${where}: "query.source" must be usage, metric or sql`);
    if (q.source === 'sql' && typeof q.sql !== 'string') throw new Error(`${where}: "query.sql" must be a string`);
    if (q.source === 'metric' && typeof q.name !== 'string') throw new Error(`${where}: "query.name" must be a string`);
    if (q.source === 'usage' && typeof q.field !== 'string') throw new Error(`${where}: "query.field" must be a string`);
    for (const k of ['x', 'y', 'w', 'h']) if (!Number.isInteger(w[k]) || w[k] < 0) throw new Error(`${where}: "${k}" must be a whole number ≥ 0`);
    return { id: String(w.id ?? 'w' + (i + 1)), title: String(w.title ?? ''), kind: w.kind, query: q, x: w.x, y: w.y, w: Math.max(1, w.w), h: Math.max(1, w.h) };
  });
  // Imported ids must be unique, else drag and resize would move two widgets at once.
  const seen = new Set<string>();
  for (const w of widgets) {
    if (seen.has(w.id)) w.id = w.id + '-' + Math.random().toString(36).slice(2, 7);
    seen.add(w.id);
  }
  return { name: raw.name.trim(), widgets: settle(widgets) };
}

export function newId(): string {
  return 'w' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

/** What a fresh dashboard starts with: the figures most people pin first. */
export function starterWidgets(): Widget[] {
  return [
    { id: 'cost', title: 'Cost', kind: 'stat', query: { source: 'usage', field: 'cost_usd' }, x: 0, y: 0, w: 3, h: 2 },
    { id: 'input', title: 'Input tokens', kind: 'stat', query: { source: 'usage', field: 'input_tokens' }, x: 3, y: 0, w: 3, h: 2 },
    { id: 'output', title: 'Output tokens', kind: 'stat', query: { source: 'usage', field: 'output_tokens' }, x: 6, y: 0, w: 3, h: 2 },
    { id: 'calls', title: 'Model calls', kind: 'stat', query: { source: 'usage', field: 'calls' }, x: 9, y: 0, w: 3, h: 2 },
    { id: 'daily', title: 'Cost per day by tool', kind: 'timeseries', query: { source: 'usage', field: 'cost_usd', groupBy: 'tool' }, x: 0, y: 2, w: 8, h: 4 },
    { id: 'models', title: 'Top models by cost', kind: 'topn', query: { source: 'usage', field: 'cost_usd', groupBy: 'model' }, x: 8, y: 2, w: 4, h: 4 },
  ];
}
