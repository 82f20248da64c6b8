import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/core/core.js';
import { MessagesRepository } from '../../electron/core/store/repositories/messages.js';
import { PinsRepository } from '../../electron/core/store/repositories/pins.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { Store } from '../../electron/core/store/store.js';
import type { Message } from '../../shared/index.js';
import { migrationsDir } from '../helpers/core.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';
import { completeAnswer } from '../helpers/seed.js';

// The context gauge's list: which messages the next request sends, pins, leaves out; each one jumps to its message.
let app: AppUnderTest;

/** A long chat in a model with a 32,768-token window: its oldest turns do not fit; its first question is pinned. */
async function seed(dataDir: string): Promise<void> {
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const repo = new MessagesRepository(store);
  const session = await sessions.create({ title: 'Long chat', titleSource: 'user', settings: { ...DEFAULT_SETTINGS, model: 'local-small-model' } });
  const filler = 'alpha beta gamma delta epsilon '.repeat(30);
  let tip: Message | null = null;
  let first: Message | null = null;
  for (let i = 0; i < 150; i++) {
    const meta = { provider: 'openai', model: 'local-small-model', estimatedInputTokens: null, traceId: null };
    const { user, assistant } = await repo.addExchange(session.id, tip, `Question ${i}: ${filler}`, meta);
    first ??= user;
    tip = await repo.finish(assistant.id, completeAnswer(`Answer ${i}: ${filler}`, { provider: 'openai', model: 'local-small-model' }));
  }
  await new PinsRepository(store).setPinned(first!.id, true);
  await store.close();
}

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-context-list-');
  await seed(app.dataDir);
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("the context gauge's message list", { timeout: 120_000 }, () => {
  it('lists each message with its status and jumps to one left out, by keyboard, at 360 px', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 740 }, colorScheme: 'dark', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(app.serve.url);
    await page.getByTestId('session-row').first().click();
    await page.setViewportSize({ width: 360, height: 740 });
    const gauge = page.getByTestId('context-gauge');
    await expect.poll(() => gauge.getAttribute('data-level')).toBe('warn');
    await gauge.focus();
    await page.keyboard.press('Enter');
    const rows = page.getByTestId('context-details').getByTestId('context-message');
    // The newest 200 messages of the branch and the pin before them, and the few older ones recall found by keywords
    // (no embedding model here; every question shares its words).
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(201);
    const statuses = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-status')));
    expect(statuses.filter((s) => s !== 'recalled')).toHaveLength(201);
    expect(statuses.filter((s) => s === 'recalled').length).toBeLessThanOrEqual(5);
    // Newest first: the last answer is sent, the pinned first question is kept, the oldest others are left out.
    expect(await rows.first().innerText()).toMatch(/^Sent\s+Answer · [\d,]+ tokens\s+Answer 149: alpha beta/);
    expect(await rows.last().getAttribute('data-status')).toBe('pinned');
    expect(await rows.last().innerText()).toContain('Question 0:');
    const leftOut = page.getByTestId('context-details').locator('[data-testid="context-message"][data-status="left-out"]');
    expect(await leftOut.count()).toBeGreaterThan(5);
    const target = leftOut.filter({ hasText: 'Question 51:' });
    expect(await target.innerText()).toMatch(/^Left out\s+You · [\d,]+ tokens/);
    // The details fit the narrow window and pass axe.
    const box = await page.getByTestId('context-details').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    const axe = await new AxeBuilder({ page }).include('[data-testid="context-details"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await target.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('context-details').count()).toBe(0);
    const jumped = page.locator('[data-jump-target]');
    await expect.poll(() => jumped.count(), { timeout: 20_000 }).toBe(1);
    expect(await jumped.innerText()).toContain('Question 51:');
    expect(await jumped.isVisible()).toBe(true);
    await context.close();
  });
});
