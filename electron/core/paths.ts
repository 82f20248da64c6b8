import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Coda Agent';

/** Electron's userData folder for this app, so the CLI and serve mode share the desktop app's data by default. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['CODA_DATA_DIR']) return path.resolve(env['CODA_DATA_DIR']);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), APP_NAME);
}

/**
 * Finds a folder shipped with the app (migrations, the built renderer) by walking up from this module, which
 * lives at a different depth when run from source (tsx), from out/ (built) or from an asar archive.
 */
export function findAppFolder(relative: string, marker: string, from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(path.join(candidate, marker))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Could not find ${relative} (looked upwards from ${from}).`);
    dir = parent;
  }
}

export function migrationsFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env['CODA_MIGRATIONS_DIR'] ?? findAppFolder(path.join('resources', 'migrations'), path.join('meta', '_journal.json'));
}

export function rendererFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env['CODA_RENDERER_DIR'] ?? findAppFolder(path.join('out', 'renderer'), 'index.html');
}
