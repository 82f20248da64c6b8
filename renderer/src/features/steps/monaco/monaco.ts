/*
 * The Monaco editor as the Steps panel uses it: read-only, with find, copy and folding, and only the languages a
 * tool's arguments and outputs need. Bundled with the app (no CDN) and imported only by MonacoView, which the
 * panel loads on demand, so a chat whose panels stay closed never loads any of it. Its environment
 * (environment.ts) is loaded before this module: Monaco reads it while its modules load.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/codicon/register.js';
import 'monaco-editor/editor/common/standaloneStrings.js';
import { createTokenizationSupport } from 'monaco-editor/languages/features/json/tokenization.js';
import 'monaco-editor/languages/definitions/javascript/register.js';
import 'monaco-editor/languages/definitions/typescript/register.js';
import 'monaco-editor/languages/definitions/python/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import 'monaco-editor/languages/definitions/markdown/register.js';
import 'monaco-editor/languages/definitions/sql/register.js';
import 'monaco-editor/languages/definitions/xml/register.js';

// JSON is coloured by Monaco's own JSON tokenizer, without its JSON language service: a viewer needs no
// completion, validation or hover, and the service would add a 1.8 MB chunk and a worker that parses every
// opened output again. Folding follows the (pretty-printed) indentation.
monaco.languages.register({ id: 'json', extensions: ['.json'], aliases: ['JSON', 'json'], mimetypes: ['application/json'] });
monaco.languages.setTokensProvider('json', createTokenizationSupport(false));
monaco.languages.setLanguageConfiguration('json', {
  brackets: [
    ['{', '}'],
    ['[', ']'],
  ],
});

export { monaco };
