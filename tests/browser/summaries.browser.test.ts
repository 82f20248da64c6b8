import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/core/core.js';
import { MessagesRepository } from '../../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { SummariesRepository } from '../../electron/core/store/repositories/summaries.js';
import { Store } from '../../electron/core/store/store.js';
import type { Message } from '../../shared/index.js';
import { migrationsDir } from '../helpers/core.js';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';
import { completeAnswer } from '../helpers/seed.js';

// Summaries in the app, against serve mode: /compact makes one, the divider opens to it and its quality check, an
// edit is saved, stays across a reload and is what the next request sends.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-summaries-');
});
afterAll(async () => {
  await app?.stop();
});

async function send(page: Page, text: string, reply: string) {
  app.provider.enqueue(textReply(reply));
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe(reply);
}

const LONG_SUMMARY = 'Questions 0 to 19 planned the alpha release with Maria.';

/** A chat of 600 messages (more than the 500 a chat opens with) whose summary covers its first 40. */
async function seedLongChat(dataDir: string): Promise<void> {
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const messages = new MessagesRepository(store);
  const session = await sessions.create({ title: 'Long summarized chat', titleSource: 'user', settings: DEFAULT_SETTINGS });
  const meta = { provider: 'openai', model: 'gpt-4o-mini', estimatedInputTokens: null, traceId: null };
  let tip: Message | null = null;
  let first: Message | null = null;
  let summarizedEnd: Message | null = null;
  for (let i = 0; i < 300; i++) {
    const { user, assistant } = await messages.addExchange(session.id, tip, `Question ${i} about the release`, meta);
    first ??= user;
    tip = await messages.finish(assistant.id, completeAnswer(`Answer ${i}.`, meta));
    if (i === 19) summarizedEnd = tip;
  }
  await new SummariesRepository(store).add({
    sessionId: session.id,
    fromMessageId: first!.id,
    toMessageId: summarizedEnd!.id,
    toDepth: summarizedEnd!.depth,
    messageCount: 40,
    previousId: null,
    text: LONG_SUMMARY,
    provider: 'openai',
    model: 'gpt-4o-mini',
    trigger: 'auto',
    facts: [],
    quality: { checked: 0, lost: [], coverage: 1 },
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
  });
  await store.close();
}

describe('summaries in the browser', () => {
  it('compacts with /compact, shows the divider with its coverage, and saves an edit that the next request sends', async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Offsite' });
    await send(page, 'Plan the offsite with Maria: Lisbon or Porto? We are 12 people.', 'Lisbon, then.');
    expect(await page.getByTestId('summary-divider').count()).toBe(0);

    app.provider.enqueue(textReply('Maria plans an offsite in Lisbon for 12 people.'));
    await expect.poll(() => page.getByTestId('stop').count()).toBe(0);
    await page.getByTestId('composer-input').fill('/compact');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('');
    const divider = page.getByTestId('summary-divider');
    await expect.poll(() => divider.count()).toBe(1);
    const toggle = divider.getByRole('button', { name: /Summary of the 2 messages above/ });
    expect(await toggle.innerText()).toContain('coverage 75%');

    // Opened with the keyboard: the summary as text, and what it lost.
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await divider.getByTestId('summary-text').innerText()).toBe('Maria plans an offsite in Lisbon for 12 people.');
    expect(await divider.getByTestId('summary-quality').innerText()).toMatch(/Lost 1 of 4 names, numbers and decisions:\s*Name Porto/);

    await divider.getByTestId('summary-edit').click();
    await divider.getByTestId('summary-editor').fill('Maria plans an offsite for 12 people: Lisbon over Porto.');
    await divider.getByTestId('summary-save').click();
    await expect.poll(() => divider.getByTestId('summary-text').innerText()).toBe('Maria plans an offsite for 12 people: Lisbon over Porto.');
    expect(await divider.getByTestId('summary-quality').innerText()).toContain('Keeps all 4 names, numbers and decisions');

    await page.reload();
    const again = page.getByTestId('summary-divider');
    await expect.poll(() => again.count()).toBe(1);
    expect(await again.innerText()).toContain('(edited)');
    expect(await again.innerText()).toContain('coverage 100%');

    // The gauge counts the summary in place of the messages it covers.
    await page.getByTestId('context-gauge').click();
    const details = page.getByTestId('context-details');
    await expect.poll(() => details.innerText()).toMatch(/Summary of earlier messages\s*\d+/);
    expect(await details.locator('[data-testid="context-message"][data-status="summarized"]').count()).toBe(2);
    await page.keyboard.press('Escape');

    app.provider.requests.length = 0;
    await send(page, 'How many rooms?', 'Twelve.');
    const sent = app.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { content: string }[];
    expect(sent.map((m) => m.content)).toEqual([
      'Summary of the earlier conversation:\nMaria plans an offsite for 12 people: Lisbon over Porto.',
      'How many rooms?',
    ]);

    // The button folds the new turn in; a failing summarizer says why and the chat goes on.
    app.provider.enqueue({ kind: 'error', status: 500, message: 'The summarizer is down' });
    await page.getByTestId('summarize-chat').click();
    await expect.poll(() => page.getByTestId('chat-error').innerText()).toMatch(/Could not summarize: The summarizer \(openai\/[\w.-]+\) failed/);
    await send(page, 'Still there?', 'Yes.');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it("shows a long chat's summary above the loaded messages when its last message is not loaded, by keyboard, at 360 px, light and dark", async () => {
    await seedLongChat(app.dataDir);
    for (const scheme of ['light', 'dark'] as const) {
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 740 }, colorScheme: scheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(app.serve.url);
      await page.getByTestId('session-row').filter({ hasText: 'Long summarized chat' }).click();
      const banner = page.getByTestId('summary-banner');
      await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
      expect(await page.getByTestId('summary-divider').count()).toBe(0);
      await page.setViewportSize({ width: 360, height: 740 });
      const toggle = banner.getByRole('button', { name: /Earlier messages are summarized: summary of the first 40/ });
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await banner.getByTestId('summary-text').innerText()).toBe(LONG_SUMMARY);
      expect(await banner.innerText()).toContain('Sent to the model instead of those messages (not loaded here)');
      const box = await banner.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
      const axe = await new AxeBuilder({ page }).include('[data-testid="summary-banner"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      if (scheme === 'dark') {
        // Once the older messages are loaded, the summary is the divider under its last message again.
        await page.getByTestId('older-messages').getByRole('button').click();
        await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
        const list = page.getByTestId('message-list');
        await list.evaluate((el) => el.scrollTo(0, 0));
        await expect
          .poll(
            async () => {
              await list.evaluate((el) => el.scrollBy(0, 300));
              return page.getByTestId('summary-divider').count();
            },
            { timeout: 20_000, interval: 100 },
          )
          .toBe(1);
        expect(await page.getByTestId('summary-divider').innerText()).toContain('Summary of the 40 messages above');
      }
      await context.close();
    }
  });

  it('sets the threshold, automatic summaries and the summarizer model in Settings, at 360 px too', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.setViewportSize({ width: 360, height: 800 });
    const form = page.getByTestId('summary-settings');
    await form.scrollIntoViewIfNeeded();
    expect(await form.getByTestId('summary-threshold').inputValue()).toBe('50');
    await form.getByTestId('summary-threshold').fill('120');
    await form.getByTestId('summary-threshold-save').click();
    await expect.poll(() => form.getByRole('alert').innerText()).toBe('The threshold is a whole percentage, from 10 to 95.');
    await form.getByTestId('summary-threshold').fill('30');
    await form.getByTestId('summary-threshold-save').click();
    await expect.poll(() => form.getByRole('status').innerText()).toBe('Saved.');
    await form.getByTestId('summary-auto').press('Space');
    await form.getByTestId('summary-own-model').click();
    await expect.poll(() => form.getByTestId('summary-model').count()).toBe(1);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByTestId('open-settings').click();
    const again = page.getByTestId('summary-settings');
    await expect.poll(() => again.getByTestId('summary-threshold').inputValue()).toBe('30');
    expect(await again.getByTestId('summary-auto').isChecked()).toBe(false);
    expect(await again.getByTestId('summary-own-model').isChecked()).toBe(false);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
