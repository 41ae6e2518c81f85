import { describe, expect, it } from 'vitest';
import { barRange, colorFor, stack, usdTicks } from '../src/chart-data';

describe('chart data', () => {
  it('stacks series as running totals, missing points as 0', () => {
    expect(stack([[1, 2, null], [10, null, 5], [100, 100, 100]])).toEqual([[1, 2, 0], [11, 2, 5], [111, 102, 105]]);
  });
  it('widens a bar chart by half a step on each side so edge bars are whole', () => {
    expect(barRange([0, 86400, 172800], 0, 172800)).toEqual([-43200, 216000]);
    expect(barRange([3600], 3600, 3600)).toEqual([-39600, 46800]);
    // uPlot hands a one-point time scale a max years away; one bar stays one day wide.
    expect(barRange([3600], 3600, 3600 + 86_400_000)).toEqual([-39600, 46800]);
  });
  it('labels dollar ticks with the decimals their spacing needs, never two alike', () => {
    expect(usdTicks([0, 0.0025, 0.005, 0.0075, 0.01])).toEqual(['$0', '$0.0025', '$0.0050', '$0.0075', '$0.0100']);
    expect(usdTicks([0, 0.005, 0.01, 0.015])).toEqual(['$0', '$0.005', '$0.010', '$0.015']);
    expect(usdTicks([0, 0.25, 0.5, 0.75])).toEqual(['$0', '$0.25', '$0.50', '$0.75']);
    expect(usdTicks([0, 5, 10, 15])).toEqual(['$0', '$5', '$10', '$15']);
    expect(usdTicks([0, 500, 1000, 1500])).toEqual(['$0', '$500', '$1.0k', '$1.5k']);
    expect(usdTicks([0, 2000, 4000])).toEqual(['$0', '$2k', '$4k']);
  });
  it('gives each tool its own colour everywhere, others from the palette', () => {
    expect(colorFor('claude-code', 5)).toBe('#d97757');
    expect(colorFor('codex', 0)).toBe('#10a37f');
    expect(colorFor('gemini-cli', 0)).toBe('#4285f4');
    expect(colorFor('some-model', 1)).toBe('#f59e0b');
  });
});
