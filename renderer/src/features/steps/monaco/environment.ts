/*
 * Monaco's environment, set before any of its modules load (CodeView loads this module, then Monaco): some of
 * them ask for their Trusted Types policy while they load, and a bundle's module order is not a promise.
 */
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { moveStyleAttributes } from './inline-styles.js';

self.MonacoEnvironment = {
  // The editor's worker is a file of the app (the CSP's 'self'), built by Vite as an ES module.
  getWorker: () => new EditorWorker({ name: 'monaco-editor' }),
  // Monaco's HTML goes through here: its style attributes are moved aside for the CSP (see inline-styles.ts).
  createTrustedTypesPolicy: (name, options) => ({
    name,
    ...(options?.createHTML ? { createHTML: (input: string) => moveStyleAttributes(options.createHTML!(input)) } : {}),
    ...(options?.createScriptURL ? { createScriptURL: options.createScriptURL } : {}),
  }),
};
