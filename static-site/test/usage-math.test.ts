import { describe, expect, it } from 'vitest';
import type { Counters, UsageRow } from '../src/api';
import { daysBetween, periodEpoch, pivot, sumCounters, top, totalTokens, windowsEnding } from '../src/usage-math';

function row(extra: Partial<UsageRow> & Partial<Counters>): UsageRow {
  return { calls: 1, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0, reported_cost_usd: null, ...extra } as UsageRow;
}

// The fixture runs in the usage convention (shared/fixtures/README.md).
const CLAUDE = row({ tool: 'claude-code', calls: 2, input_tokens: 2450, output_tokens: 47, cache_read_tokens: 8300, cache_write_tokens: 350, cost_usd: 0.01415, reported_cost_usd: 0.01415 });
const CODEX = row({ tool: 'codex', calls: 1, input_tokens: 552, output_tokens: 55, cache_read_tokens: 3848, reasoning_tokens: 16, cost_usd: 0.0012 });
const GEMINI = row({ tool: 'gemini-cli', calls: 2, input_tokens: 820, output_tokens: 73, cache_read_tokens: 5400, reasoning_tokens: 35, cost_usd: null });

describe('totals', () => {
  it('adds every counter across tools', () => {
    const t = sumCounters([CLAUDE, CODEX, GEMINI]);
    expect(t.calls).toBe(5);
    expect(t.input_tokens).toBe(3822);
    expect(t.output_tokens).toBe(175);
    expect(t.cache_read_tokens).toBe(17548);
    expect(t.cache_write_tokens).toBe(350);
    expect(t.reasoning_tokens).toBe(51);
    expect(t.cost_usd).toBeCloseTo(0.01535, 10);
    expect(t.reported_cost_usd).toBeCloseTo(0.01415, 10);
  });
  it('keeps cost unknown when no part was priced, never a silent 0', () => {
    expect(sumCounters([GEMINI]).cost_usd).toBeNull();
    expect(sumCounters([]).cost_usd).toBeNull();
  });
  it('counts billed tokens once: reasoning is already inside output', () => {
    expect(totalTokens(CLAUDE)).toBe(2450 + 47 + 8300 + 350);
    expect(totalTokens(CODEX)).toBe(552 + 55 + 3848);
  });
});

describe('today / 7 days / 30 days', () => {
  const days = [
    row({ day: '2026-11-22', cost_usd: 2, input_tokens: 10 }),
    row({ day: '2026-11-21', cost_usd: 1 }),
    row({ day: '2026-11-16', cost_usd: 4 }),
    row({ day: '2026-11-15', cost_usd: 8 }),
    row({ day: '2026-11-09', cost_usd: 16 }),
    row({ day: '2026-10-24', cost_usd: 32 }),
    row({ day: '2026-10-23', cost_usd: 64 }),
    row({ day: '2026-11-23', cost_usd: 1000 }),
  ];
  const w = windowsEnding(days, '2026-11-22');
  it('sums the end day and the one before it', () => {
    expect(w.today.current.cost_usd).toBe(2);
    expect(w.today.current.input_tokens).toBe(10);
    expect(w.today.previous.cost_usd).toBe(1);
  });
  it('takes 16–22 November as the last 7 days and 9–15 November as the 7 before', () => {
    expect(w.d7.current.cost_usd).toBe(7);
    expect(w.d7.previous.cost_usd).toBe(24);
  });
  it('takes 24 October – 22 November as the last 30 days; later days never count', () => {
    expect(w.d30.current.cost_usd).toBe(63);
    expect(w.d30.previous.cost_usd).toBe(64);
  });
});

describe('chart data', () => {
  it('places days, ISO weeks and months at their first instant', () => {
    expect(periodEpoch('2026-11-22')).toBe(Date.UTC(2026, 10, 22) / 1000);
    expect(periodEpoch('2026-W01')).toBe(Date.UTC(2025, 11, 29) / 1000);
    expect(periodEpoch('2026-W47')).toBe(Date.UTC(2026, 10, 16) / 1000);
    expect(periodEpoch('2026-11')).toBe(Date.UTC(2026, 10, 1) / 1000);
  });
  it('lists every day of a range so quiet days are drawn as 0', () => {
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });
  it('pivots day × tool rows into aligned series, largest first, zeros for missing days', () => {
    const rows = [
      row({ day: '2026-11-21', tool: 'codex', cost_usd: 1 }),
      row({ day: '2026-11-22', tool: 'claude-code', cost_usd: 5 }),
      row({ day: '2026-11-22', tool: 'codex', cost_usd: 2 }),
    ];
    const p = pivot(rows, 'day', 'tool', 'cost_usd', ['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(p.series).toEqual([
      { label: 'claude-code', values: [0, 0, 5] },
      { label: 'codex', values: [0, 1, 2] },
    ]);
    expect(p.x).toEqual([Date.UTC(2026, 10, 20) / 1000, Date.UTC(2026, 10, 21) / 1000, Date.UTC(2026, 10, 22) / 1000]);
  });
  it('folds the series beyond the limit into "other"', () => {
    const rows = ['a', 'b', 'c', 'd'].map((m, i) => row({ day: '2026-11-22', model: m, cost_usd: 10 - i }));
    const p = pivot(rows, 'day', 'model', 'cost_usd', undefined, 3);
    expect(p.series.map((s) => [s.label, s.values[0]])).toEqual([['a', 10], ['b', 9], ['other', 15]]);
  });
  it('ranks the top entries by a figure', () => {
    expect(top([CODEX, CLAUDE, GEMINI], 'tool', 'input_tokens', 2)).toEqual([
      { label: 'claude-code', value: 2450 },
      { label: 'gemini-cli', value: 820 },
    ]);
  });
});
