import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { ScriptedProviderServer } from '../provider-server/server.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Serve mode keeps OpenAI's key in the environment, paired with the scripted server's address. Whoever has the page
// can change the address in Settings; the key must not follow it to the other server, and the page must say why.
let app: AppUnderTest;
let elsewhere: ScriptedProviderServer;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-address-');
  elsewhere = await new ScriptedProviderServer().listen();
});

afterAll(async () => {
  await elsewhere?.close();
  await app?.stop();
});

describe('a provider address changed in Settings', () => {
  it('keeps the key from the other server, says why in the card and in the chat, and uses it again back home', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    const openai = page.getByTestId('provider-openai');
    await expect.poll(() => openai.getByTestId('provider-status').innerText()).toBe('Configured');
    expect(await openai.getByTestId('address-hint').innerText()).toContain('A key is sent only to the address it was set for');
    expect(await openai.getByTestId('key-notice').count()).toBe(0);

    await page.getByLabel('OpenAI address', { exact: true }).fill(`${elsewhere.url}/v1`);
    await openai.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => openai.getByTestId('provider-status').innerText()).toBe('Not set up');
    expect(await openai.getByTestId('key-notice').innerText()).toBe(
      `The key in OPENAI_API_KEY is sent only to ${app.provider.url}, the address OPENAI_BASE_URL gives; it is not sent to ${elsewhere.url}. Set OPENAI_BASE_URL to use another address with it.`,
    );

    await page.getByTestId('new-chat').click();
    elsewhere.enqueue(textReply('Thanks for the key.'));
    await page.getByTestId('composer-input').fill('hello');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-error').innerText()).toContain(`it is not sent to ${elsewhere.url}`);
    expect(elsewhere.requests.filter((r) => JSON.stringify(r.headers).includes('sk-browser-test'))).toEqual([]);
    elsewhere.requests.length = 0;

    // Clearing the address goes back to the environment's own: the key is used again.
    await page.getByTestId('open-settings').click();
    await page.getByLabel('OpenAI address', { exact: true }).fill('');
    await page.getByTestId('provider-openai').getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.getByTestId('provider-openai').getByTestId('provider-status').innerText()).toBe('Configured');
    expect(await page.getByTestId('provider-openai').getByTestId('key-notice').count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
