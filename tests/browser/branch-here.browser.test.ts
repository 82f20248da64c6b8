import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// "Branch from here": reply after an earlier answer as a new branch, keeping what followed it.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-branch-here-');
});

afterAll(async () => {
  await app?.stop();
});

const users = (page: Page) => page.getByTestId('message-user').getByTestId('message-text').allInnerTexts();
const answers = (page: Page) => page.getByTestId('message-assistant').getByTestId('message-text').allInnerTexts();
const focused = (page: Page) => page.locator(':focus').getAttribute('data-testid');

async function ask(page: Page, text: string, reply: string) {
  app.provider.enqueue(textReply(reply));
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect.poll(() => answers(page).then((a) => a.at(-1))).toBe(reply);
  // The answer has finished (its actions are enabled again), not only arrived.
  await expect.poll(() => page.getByTestId('stop').count()).toBe(0);
}

/** From the first answer's "Answer again", Tab reaches "Branch from here"; Enter presses it. */
async function branchFromFirstAnswer(page: Page) {
  await page.getByTestId('message-assistant').first().getByTestId('regenerate').focus();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('branch-from-here');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('branch-notice').count()).toBe(1);
}

describe('branch from here', () => {
  it('branches from the first answer by keyboard, can cancel, and sends the next question as a sibling of the old one', async () => {
    const page = await app.openApp();
    await ask(page, 'Name a colour', 'Blue.');
    await ask(page, 'Why blue?', 'It is calm.');
    // The last answer is the tip already: nothing to branch from there.
    expect(await page.getByTestId('message-assistant').last().getByTestId('branch-from-here').count()).toBe(0);

    await branchFromFirstAnswer(page);
    await expect.poll(() => users(page)).toEqual(['Name a colour']);
    expect(await page.getByTestId('branch-notice').innerText()).toContain('Replying after “Blue.”: a new branch');
    await expect.poll(() => focused(page)).toBe('composer-input');
    // Cancel goes back to the branch shown before.
    await page.getByTestId('cancel-branch').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => users(page)).toEqual(['Name a colour', 'Why blue?']);
    await expect.poll(() => page.getByTestId('branch-notice').count()).toBe(0);

    await branchFromFirstAnswer(page);
    await ask(page, 'Name another', 'Green.');
    await expect.poll(() => users(page)).toEqual(['Name a colour', 'Name another']);
    await expect.poll(() => page.getByTestId('branch-notice').count()).toBe(0);
    const question = page.getByTestId('message-user').last();
    await expect.poll(() => question.getByTestId('sibling-position').innerText()).toBe('2/2');

    // The branch shown is the one the chat opens on; the old continuation is kept beside it.
    await page.reload();
    await expect.poll(() => users(page)).toEqual(['Name a colour', 'Name another']);
    await page.getByTestId('message-user').last().getByTestId('sibling-previous').click();
    await expect.poll(() => users(page)).toEqual(['Name a colour', 'Why blue?']);
    await expect.poll(() => answers(page)).toEqual(['Blue.', 'It is calm.']);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
