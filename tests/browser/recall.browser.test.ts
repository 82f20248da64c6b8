import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/core/core.js';
import { MessagesRepository } from '../../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { Store } from '../../electron/core/store/store.js';
import { migrationsDir } from '../helpers/core.js';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';
import { completeAnswer } from '../helpers/seed.js';

// Semantic recall in the app: the embedding model is chosen in Settings › Recall (which shows the backfill), and an
// answer lists the earlier message it was given from another chat, with a link that opens it there.
let app: AppUnderTest;
const PLANTED = 'The Zephyr deployment password rotates every Tuesday at noon, announced in the ops channel.';

/** A chat from before, written straight to the data folder. */
async function seed(dataDir: string): Promise<void> {
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const messages = new MessagesRepository(store);
  const chat = await sessions.create({ title: 'Ops notes', titleSource: 'user', settings: DEFAULT_SETTINGS });
  const meta = { provider: 'openai', model: 'gpt-4o-mini', estimatedInputTokens: null, traceId: null };
  let parent = null;
  for (const [question, answer] of [
    [PLANTED, 'Noted.'],
    ['Lunch options near the office are limited to sandwiches.', 'Noted too.'],
  ] as const) {
    const { assistant } = await messages.addExchange(chat.id, parent, question, meta);
    parent = await messages.finish(assistant.id, completeAnswer(answer, { provider: 'openai', model: 'gpt-4o-mini' }));
  }
  await store.close();
}

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-recall-');
  await seed(app.dataDir);
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

async function send(page: Page, text: string, reply: string) {
  app.provider.enqueue(textReply(reply));
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe(reply);
}

describe('recall in the browser', { timeout: 90_000 }, () => {
  it('is set up in Settings, lists what an answer recalled, and jumps to it', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-recall').click();
    const section = page.getByTestId('recall-settings');
    await expect.poll(() => section.getByTestId('recall-notice').innerText()).toContain('No embedding model is set');
    await section.getByTestId('recall-provider').selectOption('openai');
    expect(await section.getByTestId('recall-model').inputValue()).toBe('text-embedding-3-small');
    await section.getByTestId('recall-model-save').click();
    // Saved when ticked (the box shows what was saved).
    await section.getByTestId('recall-all-chats').click();
    await expect.poll(() => section.getByTestId('recall-all-chats').isChecked()).toBe(true);
    // A similarity above 1 is not saved: the field says what is allowed and what is still in use.
    await section.getByTestId('recall-threshold').fill('3');
    await section.getByTestId('recall-threshold').press('Enter');
    await expect
      .poll(() => section.getByTestId('recall-threshold-error').innerText())
      .toMatch(/^Not saved: give a number from 0 to 1\. 0\.\d+ is still in use\.$/);
    expect(await section.getByTestId('recall-threshold').getAttribute('aria-invalid')).toBe('true');
    // A shorter question shares fewer words: a lower threshold (saved on Enter).
    await section.getByTestId('recall-threshold').fill('0.3');
    await section.getByTestId('recall-threshold').press('Enter');
    await expect.poll(() => section.getByTestId('recall-note').innerText()).toBe('Saved.');
    expect(await section.getByTestId('recall-threshold-error').count()).toBe(0);
    await expect.poll(() => section.getByTestId('recall-progress').innerText()).toMatch(/^4 of 4 messages embedded/);
    expect(await section.getByTestId('recall-notice').count()).toBe(0);

    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Deploys' });
    await send(page, 'When does the Zephyr deployment password rotate?', 'On Tuesdays at noon.');
    const recalled = page.getByTestId('message-assistant').last().getByTestId('recalled');
    await expect.poll(() => recalled.getByTestId('recalled-summary').innerText()).toBe('Recalled 1 earlier message');
    await recalled.getByTestId('recalled-summary').click();
    const link = recalled.getByTestId('recalled-link');
    expect(await link.innerText()).toContain('Ops notes');
    expect(await link.innerText()).toContain('The Zephyr deployment password rotates');
    await link.focus();
    await page.keyboard.press('Enter');
    const jumped = page.locator('[data-jump-target]');
    await expect.poll(() => jumped.count(), { timeout: 20_000 }).toBe(1);
    expect(await jumped.innerText()).toContain(PLANTED);
    expect(await page.getByTestId('chat-title').innerText()).toContain('Ops notes');

    // The context gauge of the asking chat lists the recalled message with its chat; pressed, it opens it there.
    await page.getByTestId('session-row').filter({ hasText: 'Deploys' }).click();
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toContain('Deploys');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const gauge = page.getByTestId('context-gauge');
    await gauge.focus();
    await page.keyboard.press('Enter');
    const row = page.getByTestId('context-details').locator('[data-testid="context-message"][data-status="recalled"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/^Recalled\s+You · [\d,]+ tokens\s+The Zephyr deployment password rotates/);
    expect(await row.getByTestId('context-message-chat').innerText()).toBe('In the chat “Ops notes”');
    const box = await page.getByTestId('context-details').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await row.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('chat-title').innerText(), { timeout: 20_000 }).toContain('Ops notes');
    await expect.poll(() => jumped.count(), { timeout: 20_000 }).toBe(1);
    expect(await jumped.innerText()).toContain(PLANTED);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
