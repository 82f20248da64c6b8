import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../../electron/core/core.js';
import { ScriptedProviderServer } from '../provider-server/server.js';

export const migrationsDir = fileURLToPath(new URL('../../resources/migrations', import.meta.url));

export async function tempDir(prefix = 'coda-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestCore {
  core: Core;
  provider: ScriptedProviderServer;
  dataDir: string;
  reopen(): Promise<Core>;
  dispose(): Promise<void>;
}

/** A real core on a real libSQL file in a temp folder, talking to the scripted provider server. */
export async function startTestCore(options: { flushIntervalMs?: number; maxRetries?: number } = {}): Promise<TestCore> {
  const { dir, remove } = await tempDir();
  const provider = await new ScriptedProviderServer().listen();
  const open = () =>
    createCore({
      dataDir: dir,
      migrationsDir,
      providers: { openai: { apiKey: 'sk-test', baseURL: provider.openaiBaseUrl }, maxRetries: options.maxRetries ?? 0 },
      flushIntervalMs: options.flushIntervalMs,
    });
  const handle: TestCore = {
    core: await open(),
    provider,
    dataDir: dir,
    async reopen() {
      await handle.core.close();
      handle.core = await open();
      return handle.core;
    },
    async dispose() {
      await handle.core.close();
      await provider.close();
      await remove();
    },
  };
  return handle;
}

/** Unwraps a contract result, failing the test with the error when there is one. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
