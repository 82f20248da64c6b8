import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { monacoCspStyles } from './electron/main/monaco-csp-styles';
import { rendererCsp } from './electron/main/renderer-csp';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Pure-JS ESM dependencies every chat loads go into the bundle: as separate files they cost a one-shot `coda chat`
      // ~800 module resolutions and reads (date-fns 304 files, openai 154, OpenTelemetry 120, drizzle-orm 113, zod 95,
      // uuid 20…). Native, CommonJS and rarely needed ones (libSQL, the MCP SDK, Ajv, gpt-tokenizer, fastify) stay
      // external. OpenTelemetry's packages go in together (one copy of its API). See decision 0014.
      externalizeDeps: {
        exclude: [
          'openai',
          'drizzle-orm',
          'zod',
          'uuid',
          'commander',
          'p-queue',
          'date-fns',
          '@opentelemetry/api',
          '@opentelemetry/core',
          '@opentelemetry/context-async-hooks',
          '@opentelemetry/sdk-trace-base',
        ],
      },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The CLI (and serve mode) ship in the same bundle folder so they share core's chunks.
          cli: resolve(__dirname, 'electron/core/cli/entry.ts'),
          // The bundled MCP tool server, started over stdio by the agent (and usable by any MCP client).
          'coda-tools': resolve(__dirname, 'electron/core/tools/builtin/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    // The page's CSP: the packaged one (no connections) in builds, the dev server's in development.
    // Monaco's run-time styles go into constructed stylesheets, which the strict CSP allows (see the plugin).
    plugins: [react(), rendererCsp(), monacoCspStyles(resolve(__dirname, 'renderer/src/features/steps/monaco/dom-stylesheets.ts'))],
    // The code highlighter's worker loads each language's grammar on demand, which needs ES module chunks.
    worker: { format: 'es' },
    resolve: {
      // rehype-katex turns KaTeX's HTML into a tree; its browser build parses with the DOM, where the page's CSP
      // reports every style attribute. The parse5 build reads the same HTML without touching the DOM.
      alias: [{ find: /^hast-util-from-html-isomorphic$/, replacement: resolve(__dirname, 'node_modules/hast-util-from-html-isomorphic/index.js') }],
    },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Fonts stay files: the CSP allows fonts from the app itself ('self'), not inlined as data: addresses.
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
