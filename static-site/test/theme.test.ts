// The theme follows the system until the user picks one; only the pick is remembered.
import { describe, expect, it } from 'vitest';
import { chooseTheme, chosenTheme } from '../src/theme';

function storage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('theme', () => {
  it('given nothing chosen, there is no choice (the system decides), and reading does not store one', () => {
    const s = storage();
    expect(chosenTheme(s)).toBeNull();
    expect(s.items.size).toBe(0);
  });

  it('given a click, the choice is remembered and read back', () => {
    const s = storage();
    chooseTheme(s, 'dark');
    expect(s.items.get('agentlake.theme')).toBe('dark');
    expect(chosenTheme(s)).toBe('dark');
  });

  it('given a stored value that is not a theme, or no storage, there is no choice', () => {
    expect(chosenTheme(storage({ 'agentlake.theme': 'purple' }))).toBeNull();
    expect(chosenTheme(null)).toBeNull();
    expect(chosenTheme({ getItem: () => { throw new Error('disabled'); } })).toBeNull();
    expect(() => chooseTheme({ setItem: () => { throw new Error('disabled'); } }, 'light')).not.toThrow();
  });
});
