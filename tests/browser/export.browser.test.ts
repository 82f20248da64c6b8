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

    // Some chats: filter by title, tick one, and only it is exported; at 360 px the list fits the window.
    const third = await remote.client.call('sessions.create', { title: 'Trip: packing list' });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByTestId('export-choose').click();
    const chooser = page.getByTestId('choose-chats');
    await expect.poll(() => chooser.getByTestId('choose-chat').count()).toBe(3);
    expect(await page.getByTestId('export-selected-json').isDisabled()).toBe(true);
    await chooser.getByTestId('choose-chats-filter').fill('trip');
    await expect.poll(() => chooser.getByTestId('choose-chat').count()).toBe(2);
    // By keyboard: the first box after the filter selects every chat shown; Space on the next one clears it again.
    await chooser.getByTestId('choose-chats-all').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByTestId('export-selected-json').innerText()).toBe('Export 1 chosen (JSON)');
    const box = await chooser.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(360);
    const chosen = await downloaded(page, () => page.getByTestId('export-selected-json').click());
    const chosenIds = ExportDocument.parse(JSON.parse(chosen.text)).chats.map((c) => c.id);
    expect(chosenIds).toHaveLength(1);
    expect([first.id, third.id]).toContain(chosenIds[0]);
    expect(chosenIds).not.toContain(second.id);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
