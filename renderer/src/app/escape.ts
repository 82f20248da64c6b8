import { useEffect, useRef } from 'react';

/**
 * Runs `onEscape` when Escape is pressed anywhere while `active`, unless something closer to the focus already used
 * the key (a rename field, the filter, the drawer: they call preventDefault). Returning false leaves the key unused.
 */
export function useEscape(active: boolean, onEscape: () => boolean | void): void {
  const handler = useRef(onEscape);
  useEffect(() => {
    handler.current = onEscape;
  });
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (handler.current() !== false) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}
