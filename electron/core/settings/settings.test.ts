import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodaClient, type MethodOutput } from '../../../shared/index.js';
import { migrationsDir, scriptedEnv, tempDir } from '../../../tests/helpers/core.js';
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
  const open = () => createCore({ dataDir: dir.dir, migrationsDir, env: options.env?.(server) ?? {}, vault: options.vault, resilience: { maxRetries: 0 } });
  const core = await open();
  disposers.push(
    dir.remove,
    () => server.close(),
    () => core.close(),
  );
  return { core, client: new CodaClient(core), server, dir: dir.dir, open };
}

const statusOf = (page: MethodOutput<'providers.list'>, id: string) => page.providers.find((p) => p.id === id)!;

describe('Settings › Providers', () => {
  it('saves a key encrypted, shows only its last 4 characters, and uses it', async () => {
    const { core, client, server, dir, open } = await setup({ vault: testVault });
    const before = await client.call('providers.list', {});
    expect(statusOf(before, 'anthropic')).toMatchObject({ configured: false, keySource: null });
    expect(before.canStoreKeys).toBe(true);

    const after = await client.call('providers.update', { id: 'anthropic', apiKey: 'sk-ant-secret-1234', baseUrl: server.url });
    expect(statusOf(after, 'anthropic')).toMatchObject({ configured: true, keySource: 'settings', keyLast4: '1234', baseUrl: server.url });
    expect(JSON.stringify(after)).not.toContain('secret');
    const onDisk = await readFile(path.join(dir, 'keys.json'), 'utf8');
    expect(onDisk).not.toContain('sk-ant-secret-1234');

    server.forProvider('anthropic').enqueue(textReply('Hi from Claude.'));
    const session = await client.call('sessions.create', { settings: { provider: 'anthropic', model: 'claude-haiku-4-5' } });
    const started = await client.call('chat.send', { sessionId: session.id, text: 'hi' });
    const done = await client.followRun(started.runId);
    expect(done.message.status).toBe('complete');
    expect(server.requests.find((r) => r.provider === 'anthropic')?.headers['authorization'] ?? server.requests.at(-1)?.headers['x-api-key']).toContain(
      'sk-ant-secret-1234',
    );

    // Still there after a restart; removing it leaves the provider unconfigured.
    await core.close();
    const again = await open();
    const againClient = new CodaClient(again);
    expect(statusOf(await againClient.call('providers.list', {}), 'anthropic').keySource).toBe('settings');
    const removed = await againClient.call('providers.update', { id: 'anthropic', apiKey: null });
    expect(statusOf(removed, 'anthropic')).toMatchObject({ configured: false, keySource: null });
    await again.close();
  });

  it('refuses to save keys where there is no secure storage, pointing to the environment variable', async () => {
    const { client } = await setup();
    await expect(client.call('providers.update', { id: 'gemini', apiKey: 'AIza-something' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('GEMINI_API_KEY'),
    });
  });

  it('tests a connection with a cheap call and reports an unreachable endpoint clearly', async () => {
    const { client, server } = await setup({ env: scriptedEnv });
    const tested = await client.call('providers.test', { id: 'gemini' });
    expect(tested.modelCount).toBeGreaterThan(0);
    void server;
    // Nothing listens on port 9: the test names the provider and the problem.
    await client.call('providers.update', { id: 'ollama', baseUrl: 'http://127.0.0.1:9/v1' });
    await expect(client.call('providers.test', { id: 'ollama' })).rejects.toMatchObject({
      code: 'network',
      message: expect.stringContaining('Could not reach Ollama'),
    });
  });

  it('starts new chats with the default system prompt, kept when the default model changes', async () => {
    const { client } = await setup({ env: scriptedEnv });
    await client.call('settings.update', { defaults: { systemPrompt: 'Be brief.' } });
    const page = await client.call('settings.update', { defaults: { provider: 'anthropic', model: 'claude-haiku-4-5' } });
    expect(page.defaults).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5', systemPrompt: 'Be brief.' });
    expect((await client.call('sessions.create', {})).settings).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', systemPrompt: 'Be brief.' });
    expect((await client.call('app.info', {})).defaultSettings.systemPrompt).toBe('Be brief.');
    // A model without its provider is refused, not half-saved.
    await expect(client.call('settings.update', { defaults: { model: 'gpt-4.1' } })).rejects.toMatchObject({ code: 'validation' });
    expect((await client.call('providers.list', {})).defaults.model).toBe('claude-haiku-4-5');
  });

  it("starts new chats on the default model and prices answers with the user's price", async () => {
    const { client, server } = await setup({ env: scriptedEnv });
    await client.call('settings.update', { defaults: { provider: 'gemini', model: 'my-tuned-model' } });
    await client.call('settings.update', { price: { model: 'gemini/my-tuned-model', price: { input: 1, cachedInput: 0, cacheWrite: 0, output: 2 } } });
    const session = await client.call('sessions.create', {});
    expect(session.settings).toMatchObject({ provider: 'gemini', model: 'my-tuned-model' });
    server.forProvider('gemini').enqueue(textReply('ok', { input: 1000, output: 500 }));
    const started = await client.call('chat.send', { sessionId: session.id, text: 'hi' });
    const done = await client.followRun(started.runId);
    expect(done.message.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6, 12);
  });
});
