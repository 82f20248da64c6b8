import type { HighlighterCore } from 'shiki/core';

/** One colored run of code: its text and the CSS variables (`--shiki-light`, `--shiki-dark`…) that color it. */
export interface CodeToken {
  content: string;
  style: Record<string, string>;
}

/** Highlighted code, line by line. */
export type HighlightedLines = CodeToken[][];

export const LIGHT_THEME = 'github-light-default';
export const DARK_THEME = 'github-dark-default';

let highlighter: Promise<HighlighterCore> | null = null;

/**
 * Shiki's fine-grained core with the JavaScript regex engine: no WebAssembly (which the page's CSP would have to
 * allow with 'wasm-unsafe-eval'), both themes loaded once, languages added as answers use them.
 */
function loadHighlighter(): Promise<HighlighterCore> {
  highlighter ??= Promise.all([
    import('shiki/core'),
    import('shiki/engine/javascript'),
    import('shiki/themes/github-light-default.mjs'),
    import('shiki/themes/github-dark-default.mjs'),
  ]).then(([{ createHighlighterCore }, { createJavaScriptRegexEngine }, light, dark]) =>
    createHighlighterCore({ themes: [light.default, dark.default], langs: [], engine: createJavaScriptRegexEngine({ forgiving: true }) }),
  );
  return highlighter;
}

/** Loads the grammar for a code block's language label (names and aliases alike); false for a language shiki lacks. */
async function loadLanguage(shiki: HighlighterCore, lang: string): Promise<boolean> {
  if (shiki.getLoadedLanguages().includes(lang)) return true;
  const { bundledLanguages } = await import('shiki/langs');
  const grammar = Object.hasOwn(bundledLanguages, lang) ? bundledLanguages[lang as keyof typeof bundledLanguages] : undefined;
  if (!grammar) return false;
  await shiki.loadLanguage(grammar);
  return true;
}

/** Code as colored tokens carrying both themes' colors; null when the language is unknown (the block stays plain). */
export async function tokenize(code: string, lang: string): Promise<HighlightedLines | null> {
  const shiki = await loadHighlighter();
  const name = lang.toLowerCase();
  if (!(await loadLanguage(shiki, name))) return null;
  const { tokens } = shiki.codeToTokens(code, { lang: name, themes: { light: LIGHT_THEME, dark: DARK_THEME }, defaultColor: false });
  return tokens.map((line) => line.map((token) => ({ content: token.content, style: token.htmlStyle ?? {} })));
}
