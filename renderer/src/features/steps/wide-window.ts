import { useSyncExternalStore } from 'react';

/** Wide enough for the Steps panel beside the conversation (steps.css uses the same width). */
const WIDE = '(min-width: 1440px)';

const subscribe = (onChange: () => void) => {
  const query = window.matchMedia(WIDE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};

/** True while the window is wide enough for a side panel, re-rendering when that changes. */
export const useWideWindow = (): boolean => useSyncExternalStore(subscribe, () => window.matchMedia(WIDE).matches);
