import { describe, expect, it } from 'vitest';
import { barRange, colorFor, stack } from '../src/chart-data';

describe('chart data', () => {
  it('stacks series as running totals, missing points as 0', () => {
    expect(stack([[1, 2, null], [10, null, 5], [100, 100, 100]])).toEqual([[1, 2, 0], [11, 2, 5], [111, 102, 105]]);
  });
  it('widens a bar chart by half a step on each side so edge bars are whole', () => {
    expect(barRange([0, 86400, 172800], 0, 172800)).toEqual([-43200, 216000]);
    expect(barRange([3600], 3600, 3600)).toEqual([-39600, 46800]);
  });
  it('gives each tool its own colour everywhere, others from the palette', () => {
    expect(colorFor('claude-code', 5)).toBe('#d97757');
    expect(colorFor('codex', 0)).toBe('#10a37f');
    expect(colorFor('gemini-cli', 0)).toBe('#4285f4');
    expect(colorFor('some-model', 1)).toBe('#f59e0b');
  });
});
