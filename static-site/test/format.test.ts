import { describe, expect, it } from 'vitest';
import { delta, plural, formatCompact, formatDuration, formatInt, formatPercent, formatTime, formatUsd, toCsv } from '../src/format';

describe('numbers', () => {
  it('groups thousands with commas whatever the machine locale', () => {
    expect(formatInt(2450)).toBe('2,450');
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(0)).toBe('0');
  });
  it('shows a dash for missing values, never 0', () => {
    expect(formatInt(null)).toBe('–');
    expect(formatUsd(null)).toBe('–');
    expect(formatCompact(undefined)).toBe('–');
    expect(formatPercent(NaN)).toBe('–');
  });
  it('compacts large token counts', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(3822)).toBe('3.8k');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(11_147)).toBe('11.1k');
    expect(formatCompact(4_200_000)).toBe('4.2M');
    expect(formatCompact(250_000_000)).toBe('250M');
    expect(formatCompact(2_000)).toBe('2k');
  });
  it('prints small costs with four decimals so a cheap session is not $0.00', () => {
    expect(formatUsd(0.01415)).toBe('$0.0142');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(1234.567)).toBe('$1,234.57');
    expect(formatUsd(-0.5)).toBe('-$0.5000');
  });
  it('formats ratios as percentages', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.9876)).toBe('98.8%');
    expect(formatPercent(1)).toBe('100%');
  });
  it('formats durations from milliseconds to hours', () => {
    expect(formatDuration(4.25)).toBe('4.3 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 m 5 s');
    expect(formatDuration(7_380_000)).toBe('2 h 3 m');
  });
});

describe('deltas against the previous period', () => {
  it('says how much more or less, with a real minus sign', () => {
    expect(delta(125, 100)).toEqual({ text: '+25%', direction: 'up' });
    expect(delta(90, 100)).toEqual({ text: '−10%', direction: 'down' });
    expect(delta(101.5, 100)).toEqual({ text: '+1.5%', direction: 'up' });
  });
  it('calls growth from nothing "new" instead of an infinite percentage', () => {
    expect(delta(5, 0)).toEqual({ text: 'new', direction: 'new' });
    expect(delta(0, 0)).toEqual({ text: '±0%', direction: 'flat' });
  });
  it('has no delta when either side is unknown', () => {
    expect(delta(null, 3)).toBeNull();
    expect(delta(3, null)).toBeNull();
  });
});

describe('times', () => {
  it('renders an instant in the chosen zone', () => {
    expect(formatTime('2026-11-22T18:57:08.503Z', 'UTC')).toBe('2026-11-22 18:57:08');
    expect(formatTime('2026-11-22T18:57:08.503Z', 'UTC', true)).toBe('2026-11-22 18:57:08.503');
    expect(formatTime('2026-11-22T23:30:00Z', 'Europe/Berlin')).toBe('2026-11-23 00:30:00');
    expect(formatTime('2026-11-22T03:00:00Z', 'America/Los_Angeles')).toBe('2026-11-21 19:00:00');
  });
});

describe('CSV download', () => {
  it('quotes commas, quotes and line breaks per RFC 4180 and ends rows with CRLF', () => {
    expect(toCsv(['tool', 'note', 'cost'], [['claude-code', 'say "hi", then\nstop', 0.01415], ['codex', null, null]])).toBe(
      'tool,note,cost\r\nclaude-code,"say ""hi"", then\nstop",0.01415\r\ncodex,,\r\n',
    );
  });
  it('writes objects as JSON', () => {
    expect(toCsv(['a'], [[{ x: 1 }]])).toBe('a\r\n"{""x"":1}"\r\n');
  });
});

describe('counts', () => {
  it('pluralises nouns', () => {
    expect(plural(1, 'prompt')).toBe('1 prompt');
    expect(plural(0, 'record')).toBe('0 records');
    expect(plural(1200, 'record')).toBe('1,200 records');
  });
});
