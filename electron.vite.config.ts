import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { rendererCsp } from './electron/main/renderer-csp';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
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
    plugins: [react(), rendererCsp()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
