import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPresets } from '../../shared/index.js';
import { textReply } from '../provider-server/script.js';
import { pickModel, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// The first screen and new chats: a ready composer, nothing saved before the first message, the model picked last.
let app: AppUnderTest;
let bare: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-new-chat-');
  // No provider at all: every key and address variable empty, whatever the machine running the tests has set.
  const none = Object.fromEntries(
    providerPresets
      .flatMap((p) => [p.keyEnv, p.baseUrlEnv])
      .filter((name): name is string => Boolean(name))
      .map((name) => [name, '']),
  );
  bare = await startAppUnderTest('coda-no-provider-', { env: none });
});

afterAll(async () => {
  await app?.stop();
  await bare?.stop();
});

describe('a new chat', () => {
  it('opens on a ready composer, saves nothing until the first message, and then keeps the chat', async () => {
    const page = await app.openApp();
    const input = page.getByTestId('composer-input');
    await expect.poll(() => page.locator('[data-testid="composer-input"]:focus').count()).toBe(1);
    expect(await page.getByTestId('chat-title').innerText()).toBe('New chat');
    expect(await page.getByTestId('new-chat-start').innerText()).toContain('gpt-4.1-mini');
    // "+ New chat" twice, and a reload: still no chat saved.
    await page.getByTestId('new-chat').click();
    await page.getByTestId('new-chat').click();
    await page.reload();
    await expect.poll(() => page.getByTestId('new-chat-start').count()).toBe(1);
    expect(await page.getByTestId('session-row').count()).toBe(0);

    app.provider.enqueue(textReply('Ready when you are.'));
    app.provider.enqueueCompletion({ kind: 'completion', text: 'First Words' });
    await input.fill('hello there');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Ready when you are.');
    await expect.poll(() => page.locator('[data-testid="session-row"].active').innerText()).toContain('First Words');
    // The open chat is in the address: a reload comes back to it.
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('First Words');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('starts with the model picked last and the default system prompt from Settings', async () => {
    const page = await app.openApp();
    await page.getByTestId('session-row').first().getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('model-picker').getAttribute('data-value')).toBe('openai/gpt-4.1-mini');
    await pickModel(page, 'model-picker', 'openai/gpt-4.1');

    await page.getByTestId('open-settings').click();
    await expect.poll(() => page.getByTestId('default-model').getAttribute('data-value')).toBe('openai/gpt-4.1');
    await page.getByTestId('default-system-prompt').fill('Answer in one sentence.');
    await page.getByTestId('default-system-prompt').blur();

    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('model-picker').getAttribute('data-value')).toBe('openai/gpt-4.1');
    expect(await page.getByTestId('new-chat-start').innerText()).toContain('with your default system prompt');
    app.provider.enqueue(textReply('One sentence.'));
    await page.getByTestId('composer-input').fill('Tell me about tides');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('One sentence.');
    const request = app.provider.requests.filter((r) => r.body['stream'] === true).at(-1);
    expect(request?.body['model']).toBe('gpt-4.1');
    expect(request?.body['messages']).toEqual([
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'Tell me about tides' },
    ]);
    await page.close();
  });

  it('picks a model from a searchable list with capabilities and prices, by keyboard alone', async () => {
    const page = await app.openApp();
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.count()).toBe(1);
    await picker.focus();
    await page.keyboard.press('Enter');
    const search = page.getByTestId('model-picker-search');
    await expect.poll(() => search.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const mini = page.locator('[role="option"][data-value="openai/gpt-4.1-mini"]');
    expect(await mini.innerText()).toMatch(/tools[\s\S]*context[\s\S]*\$0\.40 \/ \$1\.60/);
    // Escape closes the list and changes nothing.
    await page.keyboard.press('Escape');
    await expect.poll(() => search.count()).toBe(0);
    expect(await picker.getAttribute('data-value')).toBe('openai/gpt-4.1');

    await picker.click();
    await search.fill('4o mini');
    expect(await page.locator('[role="option"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-value')))).toEqual(['openai/gpt-4o-mini']);
    await search.fill('zzz-no-such-model');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('No model matches');
    await search.fill('4o');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => picker.getAttribute('data-value')).toMatch(/^openai\/gpt-4o/);
    await page.close();
  });

  it('shows how to set up a provider when there is none, with a way to Settings', async () => {
    const page = await bare.openApp();
    const guide = page.getByTestId('provider-guide');
    await expect.poll(() => guide.innerText()).toContain('Set up a model to start');
    expect(await guide.innerText()).toContain('OPENAI_API_KEY');
    await guide.getByTestId('open-provider-settings').press('Enter');
    await expect.poll(() => page.getByTestId('settings').count()).toBe(1);
    expect(await page.getByTestId('provider-openai').getByTestId('provider-status').innerText()).toBe('Not set up');
    await page.close();
  });
});
