import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServer, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// The composer's slash commands follow the tool servers: a server started (here or in another tab) brings its
// prompts, a removed one takes them away, without reloading the page.

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

let app: AppUnderTest;
beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-composer-tools-');
});
afterAll(async () => {
  await app?.stop();
});

/** Adds a server from Settings › Tools, starts it, and goes back to a chat. */
async function startServer(page: Page, id: string): Promise<void> {
  const card = await importServer(page, id, { command: process.execPath, args: [everything, 'stdio'] });
  await card.getByTestId('confirm-server').click();
  await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
  await page.getByTestId('new-chat').click();
}

/** The servers whose "simple" prompt the composer offers after typing "/simple". */
async function offeredBy(page: Page): Promise<string[]> {
  const input = page.getByTestId('composer-input');
  await input.fill('');
  await input.fill('/simple');
  const hints = await page.getByTestId('prompt-list').locator('.hint').allInnerTexts();
  return hints.map((hint) => hint.split(' · ')[0] ?? '').sort();
}

describe('prompts in the composer', () => {
  it('follow servers started and removed, in this tab and in another, without a reload', async () => {
    const page = await app.openApp();
    await startServer(page, 'first');
    await expect.poll(() => offeredBy(page)).toEqual(['first']);

    // Another tab starts a second server while this composer shows: its prompt arrives here.
    const other = await app.openApp();
    await startServer(other, 'second');
    await expect.poll(() => offeredBy(page)).toEqual(['first', 'second']);

    // Removed in this tab's Settings: gone from the composer on the way back.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('tool-server-first').getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('tool-server-first').getByTestId('confirm-remove-server').click();
    await expect.poll(() => page.getByTestId('tool-server-first').count()).toBe(0);
    await page.getByTestId('new-chat').click();
    await expect.poll(() => offeredBy(page)).toEqual(['second']);

    expect(page.problems).toEqual([]);
    expect(other.problems).toEqual([]);
    await other.close();
    await page.close();
  });
});
