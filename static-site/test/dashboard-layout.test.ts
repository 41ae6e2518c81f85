import { describe, expect, it } from 'vitest';
import type { Widget } from '../src/api';
import { freeSlot, moveWidget, overlaps, parseDashboardJson, resizeWidget, settle } from '../src/dashboard-layout';

function w(id: string, x: number, y: number, width: number, h: number): Widget {
  return { id, title: id, kind: 'stat', query: { source: 'usage', field: 'cost_usd' }, x, y, w: width, h };
}

const pos = (ws: Widget[]) => Object.fromEntries(ws.map((x) => [x.id, [x.x, x.y, x.w, x.h]]));

describe('dashboard grid', () => {
  it('detects overlap only when areas share a cell', () => {
    expect(overlaps(w('a', 0, 0, 4, 2), w('b', 4, 0, 4, 2))).toBe(false);
    expect(overlaps(w('a', 0, 0, 4, 2), w('b', 3, 1, 4, 2))).toBe(true);
    expect(overlaps(w('a', 0, 0, 4, 2), w('b', 0, 2, 4, 2))).toBe(false);
  });
  it('moves a widget and pushes the one it lands on downwards', () => {
    const before = [w('a', 0, 0, 6, 2), w('b', 6, 0, 6, 2), w('c', 0, 2, 12, 3)];
    expect(pos(moveWidget(before, 'c', 3, 0))).toEqual({ a: [0, 3, 6, 2], b: [6, 3, 6, 2], c: [0, 0, 12, 3] });
    expect(pos(moveWidget(before, 'b', 0, 1))).toEqual({ a: [0, 3, 6, 2], b: [0, 1, 6, 2], c: [0, 5, 12, 3] });
  });
  it('keeps a moved widget inside the 12 columns', () => {
    expect(pos(moveWidget([w('a', 0, 0, 4, 2)], 'a', 11, -3))).toEqual({ a: [8, 0, 4, 2] });
  });
  it('resizes within bounds and pushes neighbours below', () => {
    const before = [w('a', 0, 0, 4, 2), w('b', 0, 2, 4, 2)];
    expect(pos(resizeWidget(before, 'a', 20, 3))).toEqual({ a: [0, 0, 12, 3], b: [0, 3, 4, 2] });
    expect(pos(resizeWidget(before, 'a', 0, 0))).toEqual({ a: [0, 0, 2, 1], b: [0, 2, 4, 2] });
  });
  it('finds the first free slot left to right, top to bottom', () => {
    expect(freeSlot([w('a', 0, 0, 8, 2)], 4, 2)).toEqual({ x: 8, y: 0 });
    expect(freeSlot([w('a', 0, 0, 10, 2)], 4, 2)).toEqual({ x: 0, y: 2 });
  });
  it('settles overlapping imports so no two widgets share a cell', () => {
    const settled = settle([w('a', 0, 0, 6, 2), w('b', 0, 0, 6, 2), w('c', 2, 1, 6, 2)]);
    for (const x of settled) for (const y of settled) if (x !== y) expect(overlaps(x, y)).toBe(false);
  });
});

describe('dashboard import', () => {
  it('accepts an export and settles it', () => {
    const d = parseDashboardJson(JSON.stringify({ name: ' Team ', widgets: [w('a', 0, 0, 4, 2), { ...w('b', 0, 0, 4, 2), kind: 'table', query: { source: 'sql', sql: 'SELECT 1' } }] }));
    expect(d.name).toBe('Team');
    expect(pos(d.widgets)).toEqual({ a: [0, 0, 4, 2], b: [0, 2, 4, 2] });
  });
  it.each([
    ['{', 'not JSON'],
    ['[]', 'a dashboard is a JSON object with "name" and "widgets"'],
    ['{"name":"","widgets":[]}', '"name" must be a non-empty string'],
    ['{"name":"x"}', '"widgets" must be an array'],
    ['{"name":"x","widgets":[{"kind":"pie","query":{"source":"sql","sql":""},"x":0,"y":0,"w":1,"h":1}]}', 'widget 1: "kind" must be one of stat, timeseries, bar, table, topn'],
    ['{"name":"x","widgets":[{"kind":"stat","query":{"source":"http"},"x":0,"y":0,"w":1,"h":1}]}', 'widget 1: "query.source" must be usage, metric or sql'],
    ['{"name":"x","widgets":[{"kind":"stat","query":{"source":"sql","sql":"SELECT 1"},"x":-1,"y":0,"w":1,"h":1}]}', 'widget 1: "x" must be a whole number ≥ 0'],
  ])('rejects %s with a one-line reason', (text, reason) => {
    expect(() => parseDashboardJson(text)).toThrowError(reason);
  });
  it('gives duplicate widget ids new ones so drag moves one widget', () => {
    const d = parseDashboardJson(JSON.stringify({ name: 'x', widgets: [w('a', 0, 0, 2, 1), w('a', 2, 0, 2, 1)] }));
    expect(new Set(d.widgets.map((x) => x.id)).size).toBe(2);
  });
});
