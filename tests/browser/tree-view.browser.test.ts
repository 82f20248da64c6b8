import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// The conversation tree view: every message of a chat drawn as a tree, a click (or Enter) shows that branch.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-tree-');
});

afterAll(async () => {
  await app?.stop();
});

const answers = (page: Page) => page.getByTestId('message-assistant').getByTestId('message-text').allInnerTexts();
const node = (page: Page, name: string) => page.getByTestId('tree-node').filter({ hasText: name });

describe('the conversation tree view', () => {
  it('shows an answer and its retry as siblings, switches the chat to the one clicked or chosen by keyboard, and previews a message', async () => {
    const page = await app.openApp();
    app.provider.enqueue(textReply('Blue <b>bold</b>.'));
    await page.getByTestId('composer-input').fill('Name a colour');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => answers(page)).toEqual(['Blue <b>bold</b>.']);
    app.provider.enqueue(textReply('Green.'));
    await page.getByTestId('regenerate').click();
    await expect.poll(() => answers(page)).toEqual(['Green.']);

    await page.getByTestId('toggle-tree').click();
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(3);
    expect(await page.getByTestId('tree-node').evaluateAll((els) => els.filter((e) => e.getAttribute('data-active') === 'true').length)).toBe(2);
    expect(await node(page, 'Green.').getAttribute('data-active')).toBe('true');
    // Model text is drawn as text, never as markup.
    expect(await page.getByTestId('tree-canvas').locator('b').count()).toBe(0);

    await node(page, 'Blue').hover();
    const preview = await page.getByTestId('tree-preview').innerText();
    expect(preview).toContain('gpt-4.1-mini');
    expect(preview).toMatch(/Tokens\s+[\d,]+/);
    expect(preview).toContain('Blue <b>bold</b>.');

    await node(page, 'Blue').click();
    await expect.poll(() => answers(page)).toEqual(['Blue <b>bold</b>.']);
    await expect.poll(() => node(page, 'Blue').getAttribute('data-active')).toBe('true');
    expect(await node(page, 'Green.').getAttribute('data-active')).toBe('false');

    // By keyboard: the neighbour to the right, then Enter.
    await node(page, 'Blue').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement?.textContent')).toContain('Green.');
    await page.keyboard.press('Enter');
    await expect.poll(() => answers(page)).toEqual(['Green.']);

    // Collapsing the question hides its answers; the shortcut closes the panel.
    await node(page, 'Name a colour').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(1);
    expect(await page.getByTestId('tree-toggle').textContent()).toBe('+2');
    await page.keyboard.press('Control+Shift+Y');
    await expect.poll(() => page.getByTestId('tree-panel').count()).toBe(0);
    expect(page.problems).toEqual([]);

    // Narrow and dark: the panel fits the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('Control+Shift+Y');
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(3);
    const box = await page.getByTestId('tree-canvas').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await node(page, 'Blue').click();
    await expect.poll(() => answers(page)).toEqual(['Blue <b>bold</b>.']);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
