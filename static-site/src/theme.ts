export type Theme = 'light' | 'dark';

const KEY = 'agentlake.theme';

/** The theme the user chose (☾/☀), or null: then the page follows the system's preference. */
export function chosenTheme(storage: Pick<Storage, 'getItem'> | null): Theme | null {
  try {
    const saved = storage?.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : null;
  } catch {
    return null; // storage disabled
  }
}

/**
 * Remembers the user's choice. Only a click chooses: remembering the theme the page started with would
 * pin the system's preference of the first visit, and the page would stop following the system.
 */
export function chooseTheme(storage: Pick<Storage, 'setItem'> | null, theme: Theme): void {
  try {
    storage?.setItem(KEY, theme);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
}
