import { useSyncExternalStore } from 'react';
import type { PluggableList } from 'unified';

const NONE: PluggableList = [];
let plugins: PluggableList = NONE;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function load(): void {
  loading ??= import('./katex-plugin.js').then(
    ({ rehypeKatex }) => {
      // Errors show the TeX in red instead of failing the answer; \href and friends stay off (KaTeX's trust: false).
      plugins = [[rehypeKatex, { throwOnError: false, strict: 'ignore' }]];
      listeners.forEach((listener) => listener());
    },
    // KaTeX could not be loaded (an app update replaced its chunk under a running page): math stays as TeX.
    () => undefined,
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether a block might hold math: `$`, `\(` or `\[` (cheap, and a false positive only loads KaTeX early). */
export const mayHaveMath = (markdown: string): boolean => markdown.includes('$') || markdown.includes('\\(') || markdown.includes('\\[');

/**
 * The rehype plugins that typeset math: none until KaTeX has loaded, which starts the first time a block needs it.
 * Until then math shows as its TeX source.
 */
export function useMathPlugins(needed: boolean): PluggableList {
  const current = useSyncExternalStore(subscribe, () => plugins);
  if (needed) load();
  return needed ? current : NONE;
}
