import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import type { ScriptedProviderServer } from '../provider-server/server.js';
import { pickModel, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Re-running an answer with several models at once, and comparing two branches side by side.
let app: AppUnderTest;

beforeAll(async () => {
  // Two providers, each with its own queue of replies: which answer each model gives does not depend on timing.
  const env = (p: ScriptedProviderServer) => ({
    OPENAI_API_KEY: 'sk-browser-test',
    OPENAI_BASE_URL: p.openaiBaseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-browser-test',
    ANTHROPIC_BASE_URL: p.anthropicBaseUrl,
  });
  app = await startAppUnderTest('coda-compare-', { env: {} });
  // The app's provider server is known only now: serve mode is restarted with both providers pointed at it.
  Object.assign(app.env, env(app.provider));
  await app.restartServe();
});

afterAll(async () => {
  await app?.stop();
});

const answers = (page: Page) => page.getByTestId('message-assistant').getByTestId('message-text').allInnerTexts();
const marked = (page: Page, side: 'left' | 'right') =>
  page
    .getByTestId(`compare-cell-${side}`)
    .getByTestId('compare-diff')
    .allInnerTexts()
    .then((texts) => texts.map((t) => t.trim()).filter(Boolean));

describe('re-run with models and compare', { timeout: 120_000 }, () => {
  it('re-runs an answer with two models, compares them (two columns, highlighted words, totals) and uses one branch', async () => {
    const page = await app.openApp();
    app.provider.forProvider('openai').enqueue(textReply('Blue.'));
    await page.getByTestId('composer-input').fill('Name a colour');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => answers(page)).toEqual(['Blue.']);

    await page.getByTestId('rerun-with-models').click();
    await expect.poll(() => page.getByTestId('rerun-pick').count()).toBe(2);
    await pickModel(page, 'rerun-model-0', 'openai/gpt-4.1');
    await pickModel(page, 'rerun-model-1', 'anthropic/claude-sonnet-4-6');
    app.provider.forProvider('openai').enqueue({ ...textReply('Green is a <b>calm</b> colour.', { input: 30, output: 11 }), stepDelayMs: 30 });
    app.provider.forProvider('anthropic').enqueue({ ...textReply('Red is a bold colour.', { input: 40, output: 9 }), stepDelayMs: 30 });
    await page.getByTestId('rerun-start').click();
    await expect
      .poll(() => page.getByTestId('rerun-run').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))
      .toEqual(['complete', 'complete']);
    // Each answer is a sibling of the first: the chat shows the last one started.
    await expect.poll(() => answers(page)).toEqual(['Red is a bold colour.']);
    expect(await page.getByTestId('sibling-position').innerText()).toBe('3/3');

    const compareButton = page.getByTestId('rerun-compare');
    expect(await compareButton.innerText()).toBe('Compare gpt-4.1 with claude-sonnet-4-6');
    await compareButton.click();
    const panel = page.getByTestId('compare-panel');
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(1);
    expect(await page.getByTestId('compare-from').innerText()).toBe('From: Name a colour');
    expect(await page.getByTestId('compare-head-left').getByTestId('compare-models').innerText()).toBe('gpt-4.1');
    expect(await page.getByTestId('compare-head-right').getByTestId('compare-models').innerText()).toBe('claude-sonnet-4-6');
    expect(await page.getByTestId('compare-head-left').getByTestId('compare-tokens').innerText()).toBe('30 in · 11 out');
    expect(await page.getByTestId('compare-head-right').getByTestId('compare-tokens').innerText()).toBe('40 in · 9 out');
    expect(await page.getByTestId('compare-head-right').getByTestId('compare-cost').innerText()).toMatch(/^\$0\.000\d+/);
    expect(await page.getByTestId('compare-head-left').getByTestId('compare-latency').innerText()).toMatch(/^\d+\.\d\d s · first token \d+\.\d\d s$/);
    // The words only one side has are highlighted; model text is text, never markup.
    expect(await marked(page, 'left')).toEqual(['Green', '<b>calm</b>']);
    expect(await marked(page, 'right')).toEqual(['Red', 'bold']);
    expect(await panel.locator('b').count()).toBe(0);
    // Both columns side by side at full width.
    const [left, right] = await Promise.all([page.getByTestId('compare-cell-left').boundingBox(), page.getByTestId('compare-cell-right').boundingBox()]);
    expect(left!.y).toBe(right!.y);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);

    // Escape closes it and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('rerun-compare');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(1);
    await page.getByTestId('compare-use-left').click();
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => answers(page)).toEqual(['Green is a <b>calm</b> colour.']);
    expect(await page.getByTestId('sibling-position').innerText()).toBe('2/3');
    await page.getByTestId('close-rerun').click();
    expect(page.problems).toEqual([]);
  });

  it('compares a message picked in the tree view, or an attempt picked beside ‹ n/3 ›, with the current branch', async () => {
    const page = await app.openApp();
    await page.getByTestId('session-row').first().click();
    await expect.poll(() => answers(page)).toEqual(['Green is a <b>calm</b> colour.']);

    await page.getByTestId('toggle-tree').click();
    const blue = page.getByTestId('tree-node').filter({ hasText: 'Blue.' });
    await blue.focus();
    await page.getByTestId('tree-compare').click();
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(1);
    expect(await page.getByTestId('compare-cell-left').getByTestId('compare-text').innerText()).toBe('Blue.');
    expect(await page.getByTestId('compare-cell-right').getByTestId('compare-text').innerText()).toBe('Green is a <b>calm</b> colour.');
    // Escape closes the comparison first (focus back on its button in the tree), then the tree.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('compare-panel').count()).toBe(0);
    expect(await page.getByTestId('tree-panel').count()).toBe(1);
    expect(await page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('tree-compare');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('tree-panel').count()).toBe(0);

    await page.getByTestId('compare-with').selectOption({ label: 'Attempt 3 of 3' });
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(1);
    expect(await page.getByTestId('compare-head-right').getByTestId('compare-models').innerText()).toBe('claude-sonnet-4-6');
    await page.getByTestId('compare-use-right').click();
    await expect.poll(() => answers(page)).toEqual(['Red is a bold colour.']);
  });

  it('stacks the two sides with a switcher at 360 px', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 740 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(app.serve.url);
    await page.getByTestId('session-row').first().click();
    await page.setViewportSize({ width: 360, height: 740 });
    await expect.poll(() => answers(page)).toEqual(['Red is a bold colour.']);
    await page.getByTestId('compare-with').selectOption({ label: 'Attempt 1 of 3' });
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(1);
    const visible = (side: 'left' | 'right') => page.getByTestId(`compare-cell-${side}`).isVisible();
    expect([await visible('left'), await visible('right')]).toEqual([true, false]);
    expect(await page.getByTestId('compare-cell-left').innerText()).toContain('Red is a bold colour.');
    await page.getByTestId('compare-show-right').click();
    expect([await visible('left'), await visible('right')]).toEqual([false, true]);
    expect(await page.getByTestId('compare-cell-right').innerText()).toContain('Blue.');
    const box = await page.getByTestId('compare-panel').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // Dark theme, narrow: the panel passes axe (labels, contrast of the highlighted words).
    const axe = await new AxeBuilder({ page }).include('[data-testid="compare-panel"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });
});
