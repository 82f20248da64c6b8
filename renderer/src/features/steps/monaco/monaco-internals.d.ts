// Monaco ships types for its public API only; these are the internal modules used here.
declare module 'monaco-editor/base/common/observableInternal/reactions/autorun.js' {
  export function autorun(run: (reader: unknown) => void): { dispose(): void };
}

declare module 'monaco-editor/languages/features/json/tokenization.js' {
  import type { languages } from 'monaco-editor/editor/editor.api.js';
  export function createTokenizationSupport(supportComments: boolean): languages.TokensProvider;
}
