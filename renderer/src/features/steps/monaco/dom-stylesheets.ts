/*
 * Stands in for Monaco's base/browser/domStylesheets.js (swapped in at build time by
 * electron/main/monaco-csp-styles.ts), with the same exports. Monaco writes its run-time rules into <style>
 * elements, which the page's CSP (style-src 'self') refuses; here each "style element" is a constructed
 * stylesheet adopted by the document instead, which the CSP allows, so the policy needs no 'unsafe-inline'.
 */
import { autorun } from 'monaco-editor/base/common/observableInternal/reactions/autorun.js';

interface Disposable {
  dispose(): void;
}

interface DisposableStore {
  add<T extends Disposable>(item: T): T;
}

/** What Monaco's callers use of the <style> element they get back. */
export class AdoptedStyle {
  readonly sheet = new CSSStyleSheet();
  className = '';
  type = 'text/css';
  media = 'screen';
  private text = '';

  constructor() {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  get textContent(): string {
    return this.text;
  }

  set textContent(css: string | null) {
    this.text = css ?? '';
    this.sheet.replaceSync(this.text);
  }

  remove(): void {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== this.sheet);
  }
}

/** Rules apply to the whole page: every rule Monaco writes is scoped by its own class names. */
export function createStyleSheet(_container?: unknown, beforeAppend?: (style: AdoptedStyle) => void, disposables?: DisposableStore): AdoptedStyle {
  const style = new AdoptedStyle();
  beforeAppend?.(style);
  disposables?.add({ dispose: () => style.remove() });
  return style;
}

let shared: AdoptedStyle | null = null;

export function createCSSRule(selector: string, cssText: string, style: AdoptedStyle = (shared ??= createStyleSheet())): void {
  if (!cssText) return;
  style.sheet.insertRule(`${selector} {${cssText}}`, 0);
}

export function removeCSSRulesContainingSelector(ruleName: string, style: AdoptedStyle = (shared ??= createStyleSheet())): void {
  const rules = style.sheet.cssRules;
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule instanceof CSSStyleRule && rule.selectorText.includes(ruleName)) style.sheet.deleteRule(i);
  }
}

export function createStyleSheetFromObservable(css: { read(reader: unknown): string }): Disposable {
  let style: AdoptedStyle | null = null;
  const run = autorun((reader) => {
    const text = css.read(reader);
    style ??= createStyleSheet();
    if (style.textContent !== text) style.textContent = text;
  });
  return {
    dispose: () => {
      run.dispose();
      style?.remove();
    },
  };
}
