import { useSyncExternalStore } from 'react';

const SYSTEM_DARK = '(prefers-color-scheme: dark)';

/**
 * Whether the page is dark: the root's `color-scheme` when the user chose a theme (Settings › Appearance sets it),
 * the system's setting otherwise. Read from the computed style, so it follows however the theme is applied.
 */
function isDark(): boolean {
  const scheme = getComputedStyle(document.documentElement).colorScheme.trim();
  if (scheme === 'dark') return true;
  if (scheme === 'light') return false;
  return window.matchMedia(SYSTEM_DARK).matches;
}

/** Changes of the system's setting, and of the root's attributes (where the chosen theme lives). */
function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(SYSTEM_DARK);
  query.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true });
  return () => {
    query.removeEventListener('change', onChange);
    observer.disconnect();
  };
}

/** True while the page shows its dark theme, re-rendering when that changes. */
export const useDarkColorScheme = (): boolean => useSyncExternalStore(subscribe, isDark);
