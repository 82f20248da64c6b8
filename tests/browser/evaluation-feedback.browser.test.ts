import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Tool-call evaluation badges, the answer's summary beside its usage, and feedback on answers, in Chromium.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-evaluation-');
});

afterAll(async () => {
  await app?.stop();
});

async function ask(page: Page, text: string): Promise<void> {
  await page.getByTestId('new-chat').click();
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

/** The test id of the element with the keyboard focus. */
const focused = (page: Page) => page.locator(':focus').getAttribute('data-testid');

describe('tool-call evaluation and feedback', () => {
  it('shows badges on each call and a summary of the answer’s calls beside its usage', async () => {
    const page = await app.openApp();
    app.provider.enqueue(
      {
        kind: 'stream',
        steps: [
          { toolCall: { id: 'good', name: 'coda__evaluate_math', arguments: '{"expression":"2^10"}' } },
          { toolCall: { id: 'bad', name: 'coda__convert_units', arguments: '{"value":"ten"}' } },
        ],
      },
      textReply('2^10 is 1024.'),
    );
    await ask(page, 'What is 2^10?');
    const calls = page.getByTestId('tool-call');
    await expect.poll(() => calls.nth(1).getByTestId('badge-arguments').innerText()).toBe('arguments invalid');
    const good = calls.nth(0);
    expect(await good.getByTestId('badge-arguments').innerText()).toBe('arguments valid');
    expect(await good.getByTestId('badge-score').innerText()).toBe('tool choice 100%');
    // Which arguments were wrong is listed in the expanded call, not in a badge.
    expect(await calls.nth(1).getByTestId('badge-problem').count()).toBe(0);
    await calls.nth(1).locator('summary').click();
    expect(await calls.nth(1).getByTestId('tool-argument-issues').innerText()).toContain("must have required property 'from'");
    expect(await calls.nth(1).getByTestId('badge-score').innerText()).toMatch(/^tool choice \d+%$/);
    const summary = page.getByTestId('message-evaluation');
    expect(await summary.innerText()).toMatch(/^2 tool calls · 1 failed · tool choice \d+%$/);
    // Beside the usage line, in the answer's header.
    expect(await page.locator('.message-meta').last().getByTestId('message-usage').count()).toBe(1);
    expect(await page.locator('.message-meta').last().getByTestId('message-evaluation').count()).toBe(1);

    // The expanded call says why it scored what it did.
    await good.locator('summary').click();
    expect(await good.getByTestId('tool-criteria').innerText()).toContain('result used in the answer: 100%');
    await page.reload();
    await expect.poll(() => page.getByTestId('message-evaluation').innerText()).toMatch(/^2 tool calls · 1 failed/);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('rates an answer and fills in the detailed form with the keyboard alone, kept across a reload and editable later', async () => {
    const page = await app.openApp();
    app.provider.enqueue(textReply('The answer is 42.'));
    await ask(page, 'What is the answer?');
    const answer = page.getByTestId('message-assistant').last();
    await expect.poll(() => answer.getByTestId('thumb-up').count()).toBe(1);

    // From the copy buttons, Tab reaches the thumbs; Enter presses one, and it stays pressed.
    await answer.getByTestId('copy-text').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('thumb-up');
    await page.keyboard.press('Enter');
    await expect.poll(() => answer.getByTestId('thumb-up').getAttribute('aria-pressed')).toBe('true');
    expect(await answer.getByTestId('thumb-down').getAttribute('aria-pressed')).toBe('false');

    // The form: its first field has the focus; Space ticks, arrows choose completeness, Enter on Save saves.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('feedback-details');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('feedback-incorrect');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('feedback-comment');
    await page.keyboard.type('It did not say which question.');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('feedback-save');
    await page.keyboard.press('Enter');
    await expect.poll(() => answer.getByTestId('feedback-form').count()).toBe(0);
    // The focus goes back to the button that opened the form, which now says there is feedback to edit.
    expect(await focused(page)).toBe('feedback-details');
    expect(await answer.getByTestId('feedback-details').innerText()).toBe('Edit feedback');

    await page.reload();
    const reloaded = page.getByTestId('message-assistant').last();
    await expect.poll(() => reloaded.getByTestId('thumb-up').getAttribute('aria-pressed')).toBe('true');
    await reloaded.getByTestId('feedback-details').click();
    expect(await reloaded.getByTestId('feedback-incomplete').isChecked()).toBe(true);
    expect(await reloaded.getByTestId('feedback-incorrect').isChecked()).toBe(false);
    expect(await reloaded.getByTestId('feedback-completeness-4').isChecked()).toBe(true);
    expect(await reloaded.getByTestId('feedback-comment').inputValue()).toBe('It did not say which question.');
    // Escape closes the form without saving; the other thumb replaces the first, the form's answers stay.
    await page.keyboard.press('Escape');
    await expect.poll(() => reloaded.getByTestId('feedback-form').count()).toBe(0);
    await reloaded.getByTestId('thumb-down').click();
    await expect.poll(() => reloaded.getByTestId('thumb-down').getAttribute('aria-pressed')).toBe('true');
    expect(await reloaded.getByTestId('thumb-up').getAttribute('aria-pressed')).toBe('false');
    expect(await reloaded.getByTestId('feedback-details').innerText()).toBe('Edit feedback');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no WCAG A/AA violations with badges, the summary and the open feedback form (${scheme})`, async () => {
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(app.serve.url);
      app.provider.enqueue(
        {
          kind: 'stream',
          steps: [
            { toolCall: { id: 'ok', name: 'coda__evaluate_math', arguments: '{"expression":"3*3"}' } },
            { toolCall: { id: 'no', name: 'coda__convert_units', arguments: '{}' } },
          ],
        },
        textReply('3*3 is 9.'),
      );
      await ask(page, `Three times three in ${scheme}`);
      await expect.poll(() => page.getByTestId('message-evaluation').count()).toBe(1);
      await expect.poll(() => page.getByTestId('badge-score').count()).toBe(2);
      await page.getByTestId('tool-call').first().locator('summary').click();
      await page.getByTestId('thumb-up').click();
      await page.getByTestId('feedback-details').click();
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      await context.close();
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
});
