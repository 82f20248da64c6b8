import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodaClient, type CodaBridge, type MethodOutput, type Result, type RunEvent } from '../../shared/index.js';
import { createCore, type Core } from '../../electron/core/core.js';
import { environmentConfig, type ProviderConfigSource } from '../../electron/core/providers/config.js';
import type { ResiliencePolicy } from '../../electron/core/providers/resilience.js';
import type { SecretVault } from '../../electron/core/settings/key-store.js';
import { ScriptedProviderServer } from '../provider-server/server.js';

export const migrationsDir = fileURLToPath(new URL('../../resources/migrations', import.meta.url));

/** Stands in for the OS keychain in tests of what reaches keys.json: reversible, and visibly not the plain value. */
export const testVault: SecretVault = {
  available: true,
  warning: null,
  encrypt: (plain) => Buffer.from([...plain].reverse().join('')).toString('base64'),
  decrypt: (cipher) => [...Buffer.from(cipher, 'base64').toString()].reverse().join(''),
};

export async function tempDir(prefix = 'coda-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestCore {
  /** Core itself: `core.invoke` takes any input, for tests of what core refuses. */
  core: Core;
  /** The typed client over `core`, in-process (follows `reopen`). */
  readonly client: CodaClient;
  provider: ScriptedProviderServer;
  dataDir: string;
  /** A file of the data folder as text ('' when it does not exist): where secrets did, and did not, land. */
  file(name: string): Promise<string>;
  reopen(): Promise<Core>;
  dispose(): Promise<void>;
}

/** A real core on a real libSQL file in a temp folder, talking to the scripted provider server. */
export async function startTestCore(
  options: {
    flushIntervalMs?: number;
    resilience?: Partial<ResiliencePolicy>;
    tools?: boolean;
    toolTimeoutMs?: number;
    /** The OS keychain stand-in (`testVault`); without one, as in serve mode, nothing secret is written. */
    vault?: SecretVault | undefined;
    /** A scripted server the file already runs (then not closed here); a new one otherwise. */
    provider?: ScriptedProviderServer;
  } = {},
): Promise<TestCore> {
  const { dir, remove } = await tempDir();
  const ownProvider = !options.provider;
  const provider = options.provider ?? (await new ScriptedProviderServer().listen());
  const open = () =>
    createCore({
      dataDir: dir,
      migrationsDir,
      env: scriptedEnv(provider),
      vault: options.vault,
      // No retries and short pauses unless a test is about them.
      resilience: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20, ...options.resilience },
      flushIntervalMs: options.flushIntervalMs,
      toolTimeoutMs: options.toolTimeoutMs,
      // Chats start without tools unless a test is about them: starting the tool server costs a second each time.
      ...(options.tools ? {} : { defaultSettings: { enabledTools: [] } }),
    });
  let client: CodaClient | null = null;
  const handle: TestCore = {
    core: await open(),
    get client() {
      if (client?.bridge !== handle.core) client = new CodaClient(handle.core);
      return client;
    },
    provider,
    dataDir: dir,
    file: (name) => readFile(path.join(dir, name), 'utf8').catch(() => ''),
    async reopen() {
      await handle.core.close();
      handle.core = await open();
      return handle.core;
    },
    async dispose() {
      await handle.core.close();
      if (ownProvider) await provider.close();
      await remove();
    },
  };
  return handle;
}

/** Every provider pointed at the scripted server, configured the way a user's environment would be. */
export function scriptedProviders(server: ScriptedProviderServer): ProviderConfigSource {
  return environmentConfig(scriptedEnv(server));
}

export function scriptedEnv(server: ScriptedProviderServer): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test-openai',
    OPENAI_BASE_URL: `${server.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: server.url,
    GEMINI_API_KEY: 'gemini-test-key',
    GEMINI_BASE_URL: server.url,
    OLLAMA_BASE_URL: `${server.url}/v1`,
    AZURE_OPENAI_API_KEY: 'azure-test-key',
    AZURE_OPENAI_ENDPOINT: server.url,
    OPENROUTER_API_KEY: 'sk-or-test',
    OPENROUTER_BASE_URL: `${server.url}/v1`,
  };
}

/** Every event of a run (after `afterSeq`) until it ends; `onEvent` sees each as it arrives. Takes a client or any bridge (core itself). */
export async function collectRun(over: CodaClient | CodaBridge, runId: string, afterSeq = 0, onEvent?: (event: RunEvent) => void): Promise<RunEvent[]> {
  const client = over instanceof CodaClient ? over : new CodaClient(over);
  const events: RunEvent[] = [];
  await client.followRun(runId, {
    afterSeq,
    onEvent: (event) => {
      events.push(event);
      onEvent?.(event);
    },
  });
  return events;
}

/** Unwraps a contract result, failing the test with the error when there is one. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * Confirms a user's server as Settings does: with the fingerprint listed for it, i.e. the server as it is now (a
 * test of what changed since is written out in full, in consent.test.ts).
 */
export async function confirmServer(core: Core, id: string, trusted: boolean, origin?: string): Promise<Result<MethodOutput<'tools.confirmServer'>>> {
  const server = ok(await core.invoke('tools.servers', {})).servers.find((s) => s.id === id);
  return core.invoke('tools.confirmServer', { id, fingerprint: server?.fingerprint ?? 'unknown-server', trusted, ...(origin ? { origin } : {}) });
}
