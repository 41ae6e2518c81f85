// Pure helpers behind the uPlot charts: colours, stacking, bar ranges.

export const PALETTE = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899', '#64748b', '#f97316'];

/** Colours are fixed per tool so Claude Code looks the same in every chart. */
const NAMED: Record<string, string> = { 'claude-code': '#d97757', codex: '#10a37f', 'gemini-cli': '#4285f4' };

export function colorFor(label: string, index: number): string {
  return NAMED[label] ?? PALETTE[index % PALETTE.length];
}

/**
 * Stacking for uPlot, which draws series as given: each series is replaced by the running total of
 * itself and the ones before it, so filled areas/bars sit on top of each other.
 */
export function stack(series: (number | null)[][]): number[][] {
  const out: number[][] = [];
  series.forEach((values, i) => {
    out.push(values.map((v, j) => (v ?? 0) + (i > 0 ? out[i - 1][j] : 0)));
  });
  return out;
}

export function barRange(x: number[], min: number, max: number): [number, number] {
  const step = x.length > 1 ? Math.min(...x.slice(1).map((v, i) => v - x[i])) : 86400;
  // One bar: uPlot widens a one-point time scale by 86400 / 1e-3 "seconds" (years), so centre it here.
  if (x.length === 1) return [x[0] - step / 2, x[0] + step / 2];
  return [min - step / 2, max + step / 2];
}

/** Dollar tick labels with as many decimals as the tick spacing needs, so no two ticks read the same. */
export function usdTicks(ticks: number[]): string[] {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0] ?? 1);
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return ticks.map((t) => {
    if (Math.abs(t) >= 1000) return (t < 0 ? '-$' : '$') + (Math.abs(t) / 1000).toFixed(step >= 1000 ? 0 : 1) + 'k';
    return (t < 0 ? '-$' : '$') + Math.abs(t).toFixed(t === 0 ? 0 : decimals);
  });
}

