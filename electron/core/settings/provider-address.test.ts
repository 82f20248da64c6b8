import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodaClient, type CodaErrorShape, type Message, type MethodOutput } from '../../../shared/index.js';
import { migrationsDir, tempDir, testVault } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { ScriptedProviderServer } from '../../../tests/provider-server/server.js';
import { createCore, type Core } from '../core.js';

// A key goes only to the address it was given for (the pattern of LobeChat's CVE-2024-37895: a changed base URL
// received the saved key). Two scripted servers on two ports are two origins: "home" where the key belongs, and
// "elsewhere", which must never see it.
const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()?.();
});

type Page = MethodOutput<'providers.list'>;

async function setup(
  options: { vault?: boolean; env?: (home: ScriptedProviderServer) => Record<string, string>; before?: (dir: string) => Promise<void> } = {},
) {
  const home = await new ScriptedProviderServer().listen();
  const elsewhere = await new ScriptedProviderServer().listen();
  const dir = await tempDir();
  await options.before?.(dir.dir);
  const core: Core = await createCore({
    dataDir: dir.dir,
    migrationsDir,
    env: options.env?.(home) ?? {},
    vault: options.vault ? testVault : undefined,
    resilience: { maxRetries: 0 },
    defaultSettings: { enabledTools: [] },
  });
  disposers.push(
    dir.remove,
    () => home.close(),
    () => elsewhere.close(),
    () => core.close(),
  );
  return { client: new CodaClient(core), home, elsewhere, dir: dir.dir };
}

const statusOf = (page: Page, id: string) => page.providers.find((p) => p.id === id)!;
const sawKey = (server: ScriptedProviderServer, key: string) => server.requests.some((r) => JSON.stringify(r.headers).includes(key));

async function ask(client: CodaClient, provider: string, model: string): Promise<{ message: Message; error: CodaErrorShape | null }> {
  const session = await client.call('sessions.create', { settings: { provider, model } });
  const started = await client.call('chat.send', { sessionId: session.id, text: 'hi' });
  const last = await client.followRun(started.runId);
  return { message: last.message, error: last.type === 'error' ? last.error : null };
}

describe('a saved key and its address', () => {
  it('drops the saved key when the address moves to another origin, says why, and never sends it there', async () => {
    const { client, home, elsewhere } = await setup({ vault: true });
    await client.call('providers.update', { id: 'anthropic', apiKey: 'sk-ant-secret-home-1234', baseUrl: home.url });
    home.forProvider('anthropic').enqueue(textReply('Hello from home.'));
    expect((await ask(client, 'anthropic', 'claude-haiku-4-5')).message.status).toBe('complete');
    expect(sawKey(home, 'sk-ant-secret-home-1234')).toBe(true);

    const moved = await client.call('providers.update', { id: 'anthropic', baseUrl: elsewhere.url });
    elsewhere.forProvider('anthropic').enqueue(textReply('Thanks for the key.'));
    const { error } = await ask(client, 'anthropic', 'claude-haiku-4-5');
    expect(sawKey(elsewhere, 'sk-ant-secret-home-1234')).toBe(false);
    expect(error).toMatchObject({ code: 'provider_not_configured' });
    expect(statusOf(moved, 'anthropic')).toMatchObject({ configured: false, keySource: null, keyLast4: null, baseUrl: elsewhere.url });
    expect(statusOf(moved, 'anthropic').keyNotice).toBe(
      `The saved key was removed because the address changed from ${home.url} to ${elsewhere.url}: enter the key again to use it there.`,
    );

    // A key entered again belongs to the new address and is used there.
    await client.call('providers.update', { id: 'anthropic', apiKey: 'sk-ant-secret-new-5678' });
    expect((await ask(client, 'anthropic', 'claude-haiku-4-5')).message.status).toBe('complete');
    expect(sawKey(elsewhere, 'sk-ant-secret-new-5678')).toBe(true);
    expect(statusOf(await client.call('providers.list', {}), 'anthropic').keyNotice).toBeNull();
  });

  it('keeps the key when only the path changes on the same origin', async () => {
    const { client, home } = await setup({ vault: true });
    await client.call('providers.update', { id: 'custom', apiKey: 'sk-custom-secret-9999', baseUrl: `${home.url}/v1` });
    const page = await client.call('providers.update', { id: 'custom', baseUrl: `${home.url}/v1/` });
    expect(statusOf(page, 'custom')).toMatchObject({ keySource: 'settings', keyLast4: '9999', keyNotice: null });
  });

  it('binds a key saved before any address to the first address given', async () => {
    const { client, home } = await setup({ vault: true });
    await client.call('providers.update', { id: 'custom', apiKey: 'sk-custom-secret-4321' });
    const page = await client.call('providers.update', { id: 'custom', baseUrl: `${home.url}/v1` });
    expect(statusOf(page, 'custom')).toMatchObject({ configured: true, keyLast4: '4321', keyNotice: null });
  });

  it('refuses to save a key for plain http to another machine, and to send one that got there', async () => {
    const { client } = await setup({
      vault: true,
      // A key saved for an address on another machine over plain http, as a hand-edited data folder could hold it.
      before: async (dir) => {
        await writeFile(path.join(dir, 'keys.json'), JSON.stringify({ version: 1, keys: { vllm: testVault.encrypt('vllm-secret-key-0000') } }));
        await writeFile(
          path.join(dir, 'preferences.json'),
          JSON.stringify({ providers: { vllm: { baseUrl: 'http://10.20.30.40:8000/v1', keyOrigin: 'http://10.20.30.40:8000' } } }),
        );
      },
    });
    await expect(
      client.call('providers.update', { id: 'openai', apiKey: 'sk-proj-secret-1111', baseUrl: 'http://192.168.1.20:8000/v1' }),
    ).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('over plain http to 192.168.1.20'),
    });
    // Nothing of the refused change was saved.
    expect(statusOf(await client.call('providers.list', {}), 'openai')).toMatchObject({ keySource: null, baseUrl: null });
    // An address there without a key is fine (a keyless server on the LAN); a key for it is not.
    await client.call('providers.update', { id: 'ollama', baseUrl: 'http://192.168.1.20:11434/v1' });
    await expect(client.call('providers.update', { id: 'ollama', apiKey: 'ollama-secret-2222' })).rejects.toMatchObject({ code: 'validation' });

    const page = await client.call('providers.list', {});
    expect(statusOf(page, 'vllm').keyNotice).toContain('over plain http to 10.20.30.40');
    const { error } = await ask(client, 'vllm', 'my-model');
    expect(error).toMatchObject({ code: 'provider_not_configured', message: expect.stringContaining('over plain http to 10.20.30.40') });
  });
});

describe('a key from the environment and its address', () => {
  it('sends a key only to the address its environment pairs it with, not to one set in Settings', async () => {
    const { client, home, elsewhere } = await setup({ env: (server) => ({ OPENAI_API_KEY: 'sk-proj-env-secret-7777', OPENAI_BASE_URL: `${server.url}/v1` }) });
    home.forProvider('openai').enqueue(textReply('Hello from home.'));
    expect((await ask(client, 'openai', 'gpt-4.1-mini')).message.status).toBe('complete');
    expect(sawKey(home, 'sk-proj-env-secret-7777')).toBe(true);

    // Serve mode: anyone with the page can change the address; the environment's key does not follow it.
    const moved = await client.call('providers.update', { id: 'openai', baseUrl: `${elsewhere.url}/v1` });
    elsewhere.forProvider('openai').enqueue(textReply('Thanks for the key.'));
    const { error } = await ask(client, 'openai', 'gpt-4.1-mini');
    expect(sawKey(elsewhere, 'sk-proj-env-secret-7777')).toBe(false);
    expect(error).toMatchObject({ code: 'provider_not_configured', message: expect.stringContaining('is not sent to') });
    expect(statusOf(moved, 'openai')).toMatchObject({ configured: false, keySource: 'environment', keyLast4: null });
    expect(statusOf(moved, 'openai').keyNotice).toBe(
      `The key in OPENAI_API_KEY is sent only to ${home.url}, the address OPENAI_BASE_URL gives; it is not sent to ${elsewhere.url}. Set OPENAI_BASE_URL to use another address with it.`,
    );

    // Back on its own origin, the key is used again.
    await client.call('providers.update', { id: 'openai', baseUrl: null });
    home.forProvider('openai').enqueue(textReply('Home again.'));
    expect((await ask(client, 'openai', 'gpt-4.1-mini')).message.status).toBe('complete');
  });

  it("does not send the environment's key to a server it was never paired with (no address in the environment)", async () => {
    const { client, elsewhere } = await setup({ env: () => ({ CUSTOM_OPENAI_API_KEY: 'sk-custom-env-secret-8888' }) });
    await client.call('providers.update', { id: 'custom', baseUrl: `${elsewhere.url}/v1` });
    elsewhere.forProvider('openai').enqueue(textReply('Thanks for the key.'));
    const { error } = await ask(client, 'custom', 'some-model');
    expect(sawKey(elsewhere, 'sk-custom-env-secret-8888')).toBe(false);
    expect(error).toMatchObject({ code: 'provider_not_configured', message: expect.stringContaining('CUSTOM_OPENAI_BASE_URL') });
  });
});
