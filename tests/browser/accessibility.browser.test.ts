import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// axe-core over the main screens, in light and in dark: roles, labels, names and WCAG AA contrast.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-a11y-');
});

afterAll(async () => {
  await app?.stop();
});

async function violations(browser: Browser, url: string, scheme: 'light' | 'dark', width: number, prepare: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(url);
  await prepare(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  await context.close();
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describe('accessibility', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`has no WCAG A/AA violations on the chat and in Settings (${scheme})`, async () => {
      app.provider.enqueue(textReply('An answer with **bold** text, a [link](https://example.com) and `code`.'));
      const chat = await violations(app.browser, app.serve.url, scheme, 1280, async (page) => {
        await page.getByTestId('composer-input').fill(`Hello in ${scheme}`);
        await page.getByTestId('composer-input').press('Enter');
        await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);
        await expect.poll(() => page.getByTestId('message-usage').count()).toBe(1);
      });
      expect(chat).toEqual([]);
      const settings = await violations(app.browser, `${app.serve.url}#/settings`, scheme, 1280, async (page) => {
        await expect.poll(() => page.getByTestId('provider-openai').count()).toBe(1);
      });
      expect(settings).toEqual([]);
      const narrow = await violations(app.browser, app.serve.url, scheme, 360, async (page) => {
        await expect.poll(() => page.getByTestId('composer-input').count()).toBe(1);
      });
      expect(narrow).toEqual([]);
    });
  }
});
