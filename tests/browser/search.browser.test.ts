import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../helpers/core.js';
import { MessagesRepository } from '../../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { Store } from '../../electron/core/store/store.js';
import { DEFAULT_SETTINGS } from '../../electron/core/core.js';
import type { Message } from '../../shared/index.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Search across every chat: the palette (Ctrl/Cmd+K) jumps to a message deep in a long chat on another branch;
// the search view narrows with filters; both work by keyboard, at 360 px, and pass axe.
let app: AppUnderTest;

/** Writes chats straight to the data folder, as a long-lived history would hold them. */
async function seed(dataDir: string): Promise<string> {
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const repo = new MessagesRepository(store);
  const exchange = async (sessionId: string, parent: Message | null, question: string, answer: string, model = 'gpt-4.1-mini') => {
    const { user, assistant } = await repo.addExchange(sessionId, parent, question, { provider: 'openai', model, estimatedInputTokens: null, traceId: null });
    const done = await repo.finish(assistant.id, {
      status: 'complete',
      provider: 'openai',
      model,
      route: [],
      estimatedInputTokens: null,
      text: answer,
      reasoning: '',
      usage: null,
      costUsd: null,
      providerResponseId: null,
      firstTokenAt: null,
      error: null,
    });
    return { user, answer: done };
  };
  const other = await sessions.create({ title: 'Coast trip', titleSource: 'user', settings: DEFAULT_SETTINGS });
  await exchange(other.id, null, 'Is there a lighthouse <img src=x onerror=alert(1)> near the harbour?', 'Yes, the lighthouse on the pier.', 'claude-sonnet-4');

  const long = await sessions.create({ title: 'Deep chat', titleSource: 'user', settings: DEFAULT_SETTINGS });
  let fork: Message | null = null;
  for (let i = 0; i < 60; i++) fork = (await exchange(long.id, fork, `Question ${i}`, `Answer ${i}`)).answer;
  // Branch B: asked once from the fork, then a long conversation after it; the searched message is its first.
  const branch = await exchange(long.id, fork, 'Who keeps the lighthouse on Skerry rock?', 'Branch answer.');
  let tip: Message = branch.answer;
  for (let i = 0; i < 260; i++) tip = (await exchange(long.id, tip, `Branch question ${i}`, `Branch answer ${i}`)).answer;
  // Branch A, continued last, is the one the chat shows.
  tip = fork!;
  for (let i = 60; i < 320; i++) tip = (await exchange(long.id, tip, `Question ${i}`, `Answer ${i}`)).answer;
  await store.close();
  return long.id;
}

beforeAll(async () => {
  app = await startAppUnderTest('coda-search-');
  await seed(app.dataDir);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const users = (page: Page) => page.getByTestId('message-user').getByTestId('message-text').allInnerTexts();

describe('search', { timeout: 120_000 }, () => {
  it('finds a message as the user types and jumps to it, deep in a long chat on another branch, by keyboard only', async () => {
    const page = await app.openApp();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('palette-input');
    await expect.poll(() => input.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('lighthouse keep');
    const hits = page.getByTestId('palette-results').getByTestId('search-hit');
    await expect.poll(() => hits.count()).toBe(1);
    expect(await hits.first().locator('mark').allInnerTexts()).toEqual(['keeps', 'lighthouse']);
    expect(await hits.first().innerText()).toContain('Deep chat');

    // Fewer words find more; arrows move the pick, and the markup in a message stays text.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect.poll(() => hits.count()).toBe(3);
    expect(await page.getByTestId('command-palette').locator('img').count()).toBe(0);
    expect(await page.getByTestId('command-palette').innerText()).toContain('<img src=x onerror=alert(1)>');
    const options = page.getByTestId('palette-results').getByRole('option');
    const selected = () => options.evaluateAll((els) => els.findIndex((el) => el.getAttribute('aria-selected') === 'true'));
    expect(await selected()).toBe(0);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('command-palette').count()).toBe(0);

    await page.keyboard.press('Control+k');
    await page.keyboard.type('skerry');
    await expect.poll(() => hits.count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('command-palette').count()).toBe(0);
    const jumped = page.locator('[data-jump-target]');
    await expect.poll(() => jumped.count(), { timeout: 20_000 }).toBe(1);
    expect(await jumped.innerText()).toContain('Who keeps the lighthouse on Skerry rock?');
    expect(await jumped.isVisible()).toBe(true);
    const box = await jumped.boundingBox();
    const list = await page.getByTestId('message-list').boundingBox();
    expect(box && list && box.y < list.y + list.height && box.y + box.height > list.y).toBe(true);
    // The chat now follows branch B: its later messages are there, branch A's are not.
    await page.getByTestId('message-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => users(page)).toContain('Branch question 259');
    expect(await users(page)).not.toContain('Question 319');
    // The highlight is brief.
    await expect.poll(() => jumped.count(), { timeout: 10_000 }).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('narrows results in the search view with filters', async () => {
    const page = await app.openApp();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
    await page.keyboard.press('Control+k');
    await page.keyboard.type('lighthouse');
    await expect.poll(() => page.getByTestId('palette-results').getByTestId('search-hit').count()).toBe(3);
    await page.keyboard.press('ArrowUp'); // the last option: all results
    await page.keyboard.press('Enter');
    const view = page.getByTestId('search-view');
    const hits = view.getByTestId('search-hit');
    await expect.poll(() => hits.count()).toBe(3);
    expect(await page.getByTestId('search-input').inputValue()).toBe('lighthouse');

    await page.getByTestId('filter-role').selectOption('assistant');
    await expect.poll(() => hits.count()).toBe(1);
    expect(await hits.first().innerText()).toContain('the pier');
    await page.getByTestId('filter-role').selectOption('');
    await page.getByTestId('filter-chat').selectOption({ label: 'Deep chat' });
    await expect.poll(() => hits.count()).toBe(1);
    await page.getByTestId('filter-chat').selectOption('');
    await page.getByTestId('filter-model').fill('claude-sonnet-4');
    await expect.poll(() => hits.count()).toBe(1);
    await page.getByTestId('filter-model').fill('');
    await page.getByTestId('filter-tools').selectOption('with');
    await expect.poll(() => page.getByTestId('search-status').innerText()).toBe('No messages match.');
    await page.getByTestId('filter-tools').selectOption('');
    await page.getByTestId('filter-from').fill('2001-01-02');
    await page.getByTestId('filter-to').fill('2001-01-01');
    await expect.poll(() => page.getByTestId('search-status').innerText()).toContain('must not be after');
    await page.getByTestId('filter-to').fill('');
    await expect.poll(() => hits.count()).toBe(3);
    await page.getByTestId('filter-from').fill('2100-01-01');
    await expect.poll(() => page.getByTestId('search-status').innerText()).toBe('No messages match.');

    // A hit opens its message in its chat.
    await page.getByTestId('filter-from').fill('');
    await page.getByTestId('filter-chat').selectOption({ label: 'Coast trip' });
    await page.getByTestId('filter-role').selectOption('user');
    await expect.poll(() => hits.count()).toBe(1);
    await hits.first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-jump-target]').innerText()).toContain('Is there a lighthouse');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`fits 360 px and passes axe with the palette open and in the search view (${scheme})`, async () => {
      const context = await app.browser.newContext({ viewport: { width: 360, height: 720 }, colorScheme: scheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(app.serve.url);
      await expect.poll(() => page.getByTestId('composer-input').count()).toBe(1);
      await page.keyboard.press('Control+k');
      await page.keyboard.type('lighthouse');
      await expect.poll(() => page.getByTestId('palette-results').getByTestId('search-hit').count()).toBe(3);
      const axe = async () =>
        (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      expect(await axe()).toEqual([]);
      const palette = await page.getByTestId('command-palette').boundingBox();
      expect(palette && palette.x >= 0 && palette.x + palette.width <= 360).toBe(true);
      await page.getByTestId('palette-show-all').click();
      await expect.poll(() => page.getByTestId('search-view').getByTestId('search-hit').count()).toBe(3);
      expect(await axe()).toEqual([]);
      expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(360);
      await context.close();
    });
  }
});
