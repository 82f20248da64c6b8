import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/** Monaco's one module that writes <style> elements (theme colours, per-editor rules, context menus). */
const STYLESHEETS_MODULE = /monaco-editor[\\/]esm[\\/]vs[\\/]base[\\/]browser[\\/]domStylesheets\.js$/;

/**
 * The page's CSP allows stylesheets from the app only (style-src 'self', no 'unsafe-inline'), so the <style>
 * elements Monaco fills at run time would be refused and the editor drawn without its theme. This plugin swaps
 * that module for one with the same exports that writes the same rules into constructed stylesheets
 * (document.adoptedStyleSheets), which the CSP does not govern; the policy stays as strict as it is.
 */
export function monacoCspStyles(replacement: string): Plugin {
  const target = resolve(replacement);
  return {
    name: 'coda-monaco-csp-styles',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !source.endsWith('domStylesheets.js')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && STYLESHEETS_MODULE.test(resolved.id) ? target : null;
    },
  };
}
