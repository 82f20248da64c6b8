import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument } from '../../shared/index.js';
import { connectWebSocket, type WebSocketClient } from '../helpers/ws-client.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Export from the app in a browser (serve mode): a chat from its sidebar row, and every chat from Settings, as downloads.
let app: AppUnderTest;
let remote: WebSocketClient;

beforeAll(async () => {
  app = await startAppUnderTest('coda-export-');
  remote = await connectWebSocket(`${app.serve.url.replace(/^http/, 'ws').replace(/\/\?token=/, '/ws?token=')}`);
});
afterAll(async () => {
  await remote?.close();
  await app?.stop();
});

const row = (page: Page, title: string) => page.getByTestId('session-row').filter({ has: page.getByRole('button', { name: title, exact: true }) });

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

describe('export', () => {
  it('downloads a chat from its row as JSON or Markdown (by keyboard too), and every chat from Settings', async () => {
    const first = await remote.client.call('sessions.create', { title: 'Trip: plan/budget' });
    const second = await remote.client.call('sessions.create', { title: 'Recipes' });
    const page = await app.openApp();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);

    await row(page, 'Trip: plan/budget').hover();
    await row(page, 'Trip: plan/budget').getByTestId('export-session').click();
    const json = await downloaded(page, () => page.getByTestId('export-json').click());
    expect(json.name).toBe('Trip-plan-budget.json');
    expect(ExportDocument.parse(JSON.parse(json.text)).chats.map((c) => c.id)).toEqual([first.id]);

    // Keyboard only: from the chat's title, Tab past Pin to Export.
    await row(page, 'Recipes').getByRole('button', { name: 'Recipes', exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('export-md').waitFor();
    await page.keyboard.press('Tab');
    const md = await downloaded(page, () => page.keyboard.press('Enter'));
    expect(md).toMatchObject({ name: 'Recipes.md', text: expect.stringMatching(/^# Recipes\n/) });

    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-export').click();
    const all = await downloaded(page, () => page.getByTestId('export-all-json').click());
    expect(all.name).toMatch(/^coda-chats-\d{4}-\d{2}-\d{2}\.json$/);
    expect(ExportDocument.parse(JSON.parse(all.text)).chats.map((c) => c.id)).toEqual([first.id, second.id]);
    await expect.poll(() => page.getByTestId('export-done').innerText()).toBe('Exported 2 chats.');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
