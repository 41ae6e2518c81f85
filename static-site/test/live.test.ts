// Auto-refresh against GET /api/live: reload when something arrived, never for the page's own first look.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollLive } from '../src/live';
import type { LiveAnswer } from '../src/api';

class Missing extends Error {}

function hooks(answers: (LiveAnswer | Error)[]) {
  const asked: (string | null)[] = [];
  const notes: string[] = [];
  let reloads = 0;
  return {
    asked,
    notes,
    reloads: () => reloads,
    hooks: {
      ask: async (cursor: string | null) => {
        asked.push(cursor);
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next ?? { changed: false, cursor };
      },
      reload: () => void reloads++,
      note: (state: string) => void notes.push(state),
      missing: (e: unknown) => e instanceof Missing,
    },
  };
}

describe('pollLive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('given no cursor, asks at once only to learn the cursor, then reloads only when later answers say changed', async () => {
    const h = hooks([
      { changed: true, cursor: 'c1' }, // "since the epoch": not a reason to reload a page that just loaded
      { changed: false, cursor: 'c2' },
      { changed: true, cursor: 'c3' },
    ]);
    const cursor = { current: null as string | null };
    const stop = pollLive(5000, cursor, h.hooks);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.asked).toEqual([null]);
    expect(h.reloads()).toBe(0);

    await vi.advanceTimersByTimeAsync(5000);
    expect(h.asked).toEqual([null, 'c1']);
    expect(h.reloads()).toBe(0);

    await vi.advanceTimersByTimeAsync(5000);
    expect(h.asked).toEqual([null, 'c1', 'c2']);
    expect(h.reloads()).toBe(1);
    expect(cursor.current).toBe('c3');
    expect(h.notes).toEqual(['live', 'live', 'live']);
    stop();
  });

  it('given a cursor from before, resumes from it without a first question, so changes meanwhile reload', async () => {
    const h = hooks([{ changed: true, cursor: 'c9' }]);
    const stop = pollLive(1000, { current: 'c8' }, h.hooks);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.asked).toEqual(['c8']);
    expect(h.reloads()).toBe(1);
    stop();
  });

  it('given a server without /api/live, reloads on every interval but not at once, and says polling', async () => {
    const h = hooks([new Missing(), new Missing(), new Missing()]);
    const stop = pollLive(1000, { current: null }, h.hooks);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.reloads()).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.reloads()).toBe(2);
    expect(h.notes).toEqual(['polling', 'polling', 'polling']);
    stop();
  });

  it('given a failure, says offline and reloads nothing; once stopped, asks no more', async () => {
    const h = hooks([{ changed: false, cursor: 'c1' }, new Error('connection refused')]);
    const stop = pollLive(1000, { current: null }, h.hooks);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.notes).toEqual(['live', 'offline']);
    expect(h.reloads()).toBe(0);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.asked).toHaveLength(2);
  });
});
