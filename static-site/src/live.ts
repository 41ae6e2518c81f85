import type { LiveAnswer } from './api';

/** What auto-refresh does between answers of GET /api/live. */
export interface LiveHooks {
  /** Asks whether anything arrived since {@code cursor} (null: the first question). */
  ask(cursor: string | null): Promise<LiveAnswer>;
  /** Reloads the view's data. */
  reload(): void;
  /** What the refresh control shows: 'live', 'polling' (no /api/live: reload every interval) or 'offline'. */
  note(state: 'live' | 'polling' | 'offline'): void;
  /** Whether a failure means the server has no /api/live (an older one). */
  missing(error: unknown): boolean;
}

/**
 * Polls every {@code every} ms and reloads only when something arrived. Without a cursor it first asks
 * once at once, only to learn where "now" is: the view's data was just loaded, and that first answer
 * ("changed since the epoch") would otherwise reload it at the first tick for nothing. The cursor is the
 * caller's, so turning refresh off and on again resumes from where it was. Returns the stop function.
 */
export function pollLive(every: number, cursor: { current: string | null }, hooks: LiveHooks): () => void {
  let stopped = false;
  const poll = async (seeding: boolean) => {
    try {
      const answer = await hooks.ask(cursor.current);
      if (stopped) return;
      cursor.current = answer.cursor;
      if (answer.changed && !seeding) hooks.reload();
      hooks.note('live');
    } catch (e) {
      if (stopped) return;
      if (hooks.missing(e)) {
        if (!seeding) hooks.reload();
        hooks.note('polling');
      } else hooks.note('offline');
    }
  };
  if (cursor.current === null) void poll(true);
  const id = setInterval(() => void poll(false), every);
  return () => {
    stopped = true;
    clearInterval(id);
  };
}
