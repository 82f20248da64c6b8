import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Merge: messages of a sibling branch brought into the branch shown, as copies or as one summary, with a badge that
// says where they came from and opens the source.
let app: AppUnderTest;
/** One tab for both tests: the second merges from the chat the first made. */
let page: Page & { problems: string[] };

beforeAll(async () => {
  app = await startAppUnderTest('coda-merge-');
  // A page of its own browser context, as axe needs (otherwise as openApp makes it).
  page = Object.assign(await (await app.browser.newContext()).newPage(), { problems: [] as string[] });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => page.problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('WebSocket')) page.problems.push(message.text());
  });
  await page.goto(app.serve.url);
});

afterAll(async () => {
  await page?.context().close();
  await app?.stop();
});

const users = (page: Page) => page.getByTestId('message-user').getByTestId('message-text').allInnerTexts();
const answers = (page: Page) => page.getByTestId('message-assistant').getByTestId('message-text').allInnerTexts();
const focused = (page: Page) => page.locator(':focus').getAttribute('data-testid');
const node = (page: Page, name: string) => page.getByTestId('tree-node').filter({ hasText: name });

async function ask(page: Page, text: string, reply: string) {
  app.provider.enqueue(textReply(reply));
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect.poll(() => answers(page).then((a) => a.at(-1))).toBe(reply);
  await expect.poll(() => page.getByTestId('stop').count()).toBe(0);
}

/** WCAG A/AA problems (roles, labels, names, contrast) inside `selector`, as "rule: target" lines. */
async function axeProblems(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** From a message of the tree, by keyboard: focus it, Tab to the preview's "Merge into…", Enter. */
async function mergeFromTree(page: Page, name: string) {
  await node(page, name).focus();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('merge-into');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('merge-message').count()).toBeGreaterThan(0);
}

describe('merge', () => {
  it('merges selected messages of a sibling branch into the branch shown by keyboard; the badges say where they came from and open it', async () => {
    await ask(page, 'Plan a trip', 'Where to?');
    await ask(page, 'Lisbon for 3 days', 'Day 1: Alfama.');
    await ask(page, 'Budget?', 'About 400 EUR.');
    await page.getByTestId('message-assistant').first().getByTestId('branch-from-here').click();
    await ask(page, 'Porto instead', 'Day 1: Ribeira.');
    expect(await users(page)).toEqual(['Plan a trip', 'Porto instead']);

    await page.getByTestId('toggle-tree').click();
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(8);
    await mergeFromTree(page, 'About 400 EUR.');
    const dialog = page.getByTestId('merge-dialog');
    // The Lisbon branch from where it leaves the one shown, all ticked.
    expect(await dialog.locator('.merge-excerpt').allInnerTexts()).toEqual(['Lisbon for 3 days', 'Day 1: Alfama.', 'Budget?', 'About 400 EUR.']);
    expect(await Promise.all([0, 1, 2, 3].map((i) => page.getByTestId('merge-message').nth(i).isChecked()))).toEqual([true, true, true, true]);
    expect(await page.getByTestId('merge-into-branch').isChecked()).toBe(true);
    // Select none, then all again: the count follows, and Merge waits for a choice.
    await page.getByTestId('merge-none').click();
    expect(await dialog.locator('.merge-select-all').innerText()).toContain('0 of 4 chosen');
    expect(await page.getByTestId('merge-confirm').isDisabled()).toBe(true);
    await page.getByTestId('merge-all').click();
    expect(await dialog.locator('.merge-select-all').innerText()).toContain('4 of 4 chosen');
    // Untick "Budget?" by keyboard.
    await page.getByTestId('merge-message').nth(2).focus();
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.getByTestId('merge-what').innerText())
      .toMatch(/^Writes 3 copies of the selected messages .* at the end of this chat's current branch, after “Day 1: Ribeira\.”\. Delete undoes it\.$/);
    await page.getByTestId('merge-confirm').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('merge-dialog').count()).toBe(0);
    await expect.poll(() => answers(page)).toEqual(['Where to?', 'Day 1: Ribeira.', 'Day 1: Alfama.', 'About 400 EUR.']);
    expect(await users(page)).toEqual(['Plan a trip', 'Porto instead', 'Lisbon for 3 days']);
    const badges = page.getByTestId('origin-badge');
    expect(await badges.count()).toBe(3);
    expect(await badges.first().innerText()).toMatch(/^Merged from “.+” · .+$/);
    // The tree shows the merged messages on the branch shown.
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(11);

    // The badge opens the source: the chat shows the Lisbon branch, where "About 400 EUR." was written.
    await page.getByTestId('message-assistant').last().getByTestId('origin-badge').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => users(page)).toEqual(['Plan a trip', 'Lisbon for 3 days', 'Budget?']);
    expect(await answers(page)).toEqual(['Where to?', 'Day 1: Alfama.', 'About 400 EUR.']);
    expect(page.problems).toEqual([]);
  });

  it('merges a branch as one summary written by the summarizer model, at 360 px in the dark; Escape closes the dialog', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    // The chat of the first test, on its Lisbon branch: the Porto branch is the sibling.
    expect(await users(page)).toEqual(['Plan a trip', 'Lisbon for 3 days', 'Budget?']);
    await expect.poll(() => page.getByTestId('tree-node').count()).toBe(11);
    await mergeFromTree(page, 'Day 1: Ribeira.');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('merge-dialog').count()).toBe(0);
    expect(await focused(page)).toBe('merge-into');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('merge-message').count()).toBe(2);
    const box = await page.getByTestId('merge-dialog').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.getByTestId('merge-mode-summary').check();
    expect(await page.getByTestId('merge-dialog').innerText()).toContain('One summary, written by openai/gpt-4.1-mini');
    await expect
      .poll(() => page.getByTestId('merge-what').innerText())
      .toContain('Writes one summary of the 2 selected messages, written by openai/gpt-4.1-mini (its cost is counted)');
    expect(await axeProblems(page, '[data-testid="merge-dialog"]')).toEqual([]);
    app.provider.enqueue(textReply('Porto: Ribeira on the first day.'));
    await page.getByTestId('merge-confirm').click();
    await expect.poll(() => answers(page).then((a) => a.at(-1))).toBe('Porto: Ribeira on the first day.');
    const badge = page.getByTestId('message-assistant').last().getByTestId('origin-badge');
    expect(await badge.innerText()).toMatch(/^Summary of 2 messages from “.+” · .+$/);
    expect(await users(page)).toEqual(['Plan a trip', 'Lisbon for 3 days', 'Budget?']);

    // Its link opens the first message it covers, on its branch.
    await badge.click();
    await expect.poll(() => users(page)).toEqual(['Plan a trip', 'Porto instead', 'Lisbon for 3 days']);
    expect(page.problems).toEqual([]);
  });

  it('merges a whole chat into another chat chosen from a searchable list, from the message actions', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Control+Shift+Y');
    await page.getByTestId('new-chat').click();
    await ask(page, 'Packing list', 'Passport, charger.');
    await page.getByTestId('message-assistant').last().getByTestId('merge-into').click();
    // On the branch shown already: only another chat can take it, and the chat it is in is not offered.
    expect(await page.getByTestId('merge-into-branch').isDisabled()).toBe(true);
    expect(await page.getByTestId('merge-into-chat').isChecked()).toBe(true);
    expect(await page.getByTestId('merge-dialog').locator('.merge-excerpt').allInnerTexts()).toEqual(['Packing list', 'Passport, charger.']);
    await expect.poll(() => page.getByTestId('merge-what').innerText()).toBe('Choose the chat to merge into.');
    await page.getByTestId('merge-chat-search').fill('no such title anywhere');
    await expect.poll(() => page.getByTestId('merge-dialog').innerText()).toContain('No other chat with that in its title.');
    await page.getByTestId('merge-chat-search').fill('');
    await expect.poll(() => page.getByTestId('merge-chat').count()).toBe(1);
    await page.getByTestId('merge-chat').check();
    await expect
      .poll(() => page.getByTestId('merge-what').innerText())
      .toMatch(/^Writes 2 copies .* at the end of the chat “.+” \(its branch shown\)\. Delete undoes it\.$/);
    expect(await axeProblems(page, '[data-testid="merge-dialog"]')).toEqual([]);
    await page.getByTestId('merge-confirm').click();
    // The app opens the chat merged into (on the branch the summary's link showed), with the copies at its end.
    await expect.poll(() => users(page)).toEqual(['Plan a trip', 'Porto instead', 'Lisbon for 3 days', 'Packing list']);
    expect((await answers(page)).slice(-2)).toEqual(['About 400 EUR.', 'Passport, charger.']);
    expect(await page.getByTestId('message-assistant').last().getByTestId('origin-badge').innerText()).toMatch(/^Merged from “.+” · /);
    expect(await axeProblems(page, '[data-testid="origin-badge"]')).toEqual([]);
    expect(page.problems).toEqual([]);
  });
});
