import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, MethodOutput } from '../../../shared/index.js';
import { collectRun, migrationsDir, ok, scriptedEnv, tempDir } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../../../tests/provider-server/server.js';
import { createCore } from '../core.js';
import type { SecretVault } from './key-store.js';

/** Stands in for the OS keychain: reversible, and visibly not the plain key. */
const testVault: SecretVault = {
  available: true,
  warning: null,
  encrypt: (plain) => Buffer.from([...plain].reverse().join('')).toString('base64'),
  decrypt: (cipher) => [...Buffer.from(cipher, 'base64').toString()].reverse().join(''),
};

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()?.();
});

async function setup(options: { vault?: SecretVault; env?: (server: ScriptedProviderServer) => Record<string, string> } = {}) {
  const server = await new ScriptedProviderServer().listen();
  const dir = await tempDir();
  const open = () =>
    createCore({ dataDir: dir.dir, migrationsDir, env: options.env?.(server) ?? {}, vault: options.vault, resilience: { maxRetries: 0 } });
  const handle = { core: await open(), server, dir: dir.dir, open };
  disposers.push(dir.remove, () => server.close(), () => handle.core.close());
  return handle;
}

const statusOf = (page: MethodOutput<'providers.list'>, id: string) => page.providers.find((p) => p.id === id)!;

describe('Settings › Providers', () => {
  it('saves a key encrypted, shows only its last 4 characters, and uses it', async () => {
    const { core, server, dir, open } = await setup({ vault: testVault });
    const before = ok(await core.invoke('providers.list', {})) as MethodOutput<'providers.list'>;
    expect(statusOf(before, 'anthropic')).toMatchObject({ configured: false, keySource: null });
    expect(before.canStoreKeys).toBe(true);

    const after = ok(await core.invoke('providers.update', { id: 'anthropic', apiKey: 'sk-ant-secret-1234', baseUrl: server.url })) as MethodOutput<'providers.list'>;
    expect(statusOf(after, 'anthropic')).toMatchObject({ configured: true, keySource: 'settings', keyLast4: '1234', baseUrl: server.url });
    expect(JSON.stringify(after)).not.toContain('secret');
    const onDisk = await readFile(path.join(dir, 'keys.json'), 'utf8');
    expect(onDisk).not.toContain('sk-ant-secret-1234');

    server.forProvider('anthropic').enqueue(textReply('Hi from Claude.'));
    const session = ok(await core.invoke('sessions.create', { settings: { provider: 'anthropic', model: 'claude-haiku-4-5' } })) as { id: string };
    const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'hi' })) as { runId: string };
    const done = (await collectRun(core, started.runId)).at(-1);
    expect((done as { message: Message }).message.status).toBe('complete');
    expect(server.requests.find((r) => r.provider === 'anthropic')?.headers['authorization'] ?? server.requests.at(-1)?.headers['x-api-key']).toContain('sk-ant-secret-1234');

    // Still there after a restart; removing it leaves the provider unconfigured.
    await core.close();
    const again = await open();
    expect(statusOf(ok(await again.invoke('providers.list', {})) as MethodOutput<'providers.list'>, 'anthropic').keySource).toBe('settings');
    const removed = ok(await again.invoke('providers.update', { id: 'anthropic', apiKey: null })) as MethodOutput<'providers.list'>;
    expect(statusOf(removed, 'anthropic')).toMatchObject({ configured: false, keySource: null });
    await again.close();
  });

  it('refuses to save keys where there is no secure storage, pointing to the environment variable', async () => {
    const { core } = await setup();
    const result = await core.invoke('providers.update', { id: 'gemini', apiKey: 'AIza-something' });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('GEMINI_API_KEY') } });
  });

  it('tests a connection with a cheap call and reports an unreachable endpoint clearly', async () => {
    const { core, server } = await setup({ env: scriptedEnv });
    const tested = ok(await core.invoke('providers.test', { id: 'gemini' })) as { modelCount: number };
    expect(tested.modelCount).toBeGreaterThan(0);
    void server;
    // Nothing listens on port 9: the test names the provider and the problem.
    ok(await core.invoke('providers.update', { id: 'ollama', baseUrl: 'http://127.0.0.1:9/v1' }));
    const failed = await core.invoke('providers.test', { id: 'ollama' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'network', message: expect.stringContaining('Could not reach Ollama') } });
  });

  it('starts new chats on the default model and prices answers with the user\'s price', async () => {
    const { core, server } = await setup({ env: scriptedEnv });
    ok(await core.invoke('settings.update', { defaults: { provider: 'gemini', model: 'my-tuned-model' } }));
    ok(await core.invoke('settings.update', { price: { model: 'gemini/my-tuned-model', price: { input: 1, cachedInput: 0, cacheWrite: 0, output: 2 } } }));
    const session = ok(await core.invoke('sessions.create', {})) as { id: string; settings: { provider: string; model: string } };
    expect(session.settings).toMatchObject({ provider: 'gemini', model: 'my-tuned-model' });
    server.forProvider('gemini').enqueue(textReply('ok', { input: 1000, output: 500 }));
    const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'hi' })) as { runId: string };
    const done = (await collectRun(core, started.runId)).at(-1);
    expect((done as { message: Message }).message.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6, 12);
  });
});
