import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/core.js';
import type { SecretVault } from '../../electron/core/settings/key-store.js';
import type { ToolServerConfig } from '../../electron/core/settings/preferences.js';
import type { ScriptedProviderServer } from '../provider-server/server.js';
import { migrationsDir, scriptedEnv, tempDir } from './core.js';

/** A core on its own data folder whose files a test reads: where secrets did (and did not) land. */
export interface DataCore {
  dir: string;
  core: Core;
  /** A file of the data folder as text ('' when it does not exist). */
  file(name: string): Promise<string>;
  /** Closes the core and opens it again on the same folder, as a restart of Coda does. */
  reopen(): Promise<Core>;
  dispose(): Promise<void>;
}

/** Starts a core with a keychain (`vault`) or without one (serve mode, the CLI), optionally on older preferences. */
export async function startDataCore(provider: ScriptedProviderServer, options: { vault?: SecretVault | undefined; preferences?: ToolServerConfig[] } = {}): Promise<DataCore> {
  const { dir, remove } = await tempDir();
  if (options.preferences) await writeFile(path.join(dir, 'preferences.json'), JSON.stringify({ toolServers: options.preferences }));
  const open = () => createCore({ dataDir: dir, migrationsDir, env: scriptedEnv(provider), vault: options.vault, resilience: { maxRetries: 0 } });
  const handle: DataCore = {
    dir,
    core: await open(),
    file: (name) => readFile(path.join(dir, name), 'utf8').catch(() => ''),
    async reopen() {
      await handle.core.close();
      handle.core = await open();
      return handle.core;
    },
    async dispose() {
      await handle.core.close();
      await remove();
    },
  };
  return handle;
}
