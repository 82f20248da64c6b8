// `npm start`: builds and launches the desktop app. The Electron binary's download is skipped at install time
// (package.json allowScripts, or ELECTRON_SKIP_BINARY_DOWNLOAD=1) so installs work where it cannot be fetched;
// here it is fetched on first start when missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function binaryInstalled() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!binaryInstalled()) {
  console.log('Electron is not downloaded yet: fetching it once (this needs internet access)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit', env });
  if (result.status !== 0 || !binaryInstalled()) {
    console.error(
      'Could not download Electron. Check your connection (or proxy settings), then run `npm start` again.\n' +
        'Without Electron you can still use Coda Agent in a browser: `npm run serve`.',
    );
    process.exit(1);
  }
}

// electron-vite's package exports hide its bin, so it is found next to its package.json.
const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const run = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
