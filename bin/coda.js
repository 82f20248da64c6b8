#!/usr/bin/env node
// The `coda` command: the CLI bundle built by `npm run build` (electron-vite puts it next to the main process).
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('coda: the CLI is not built yet. Run "npm run build" in the Coda Agent folder (or use "npm run coda -- ...").');
  process.exit(1);
}
await import(cli.href);
