import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWebSocket, type WebSocketClient } from '../helpers/ws-client.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// The sidebar: pinned chats on top, date groups, a title filter, rename and delete by keyboard, the trash, and pages
// loaded as the list scrolls. Chats are made through the contract (a socket to the same serve process), as another
// window would.
let app: AppUnderTest;
let remote: WebSocketClient;

beforeAll(async () => {
  app = await startAppUnderTest('coda-sidebar-');
  remote = await connectWebSocket(`${app.serve.url.replace(/^http/, 'ws').replace(/\/\?token=/, '/ws?token=')}`);
});

afterAll(async () => {
  await remote?.close();
  await app?.stop();
});

const titles = (page: Page) => page.getByTestId('session-row').locator('.session-title').allInnerTexts();
const groups = (page: Page) => page.getByTestId('session-group').allInnerTexts();
const row = (page: Page, title: string) => page.getByTestId('session-row').filter({ has: page.getByRole('button', { name: title, exact: true }) });

describe('the sidebar', () => {
  it('pins chats to the top, filters by title, and renames and deletes from the keyboard', async () => {
    for (const title of ['Alpha plan', 'Beta notes', 'Gamma tax']) await remote.client.call('sessions.create', { title });
    const page = await app.openApp();
    await expect.poll(() => titles(page)).toEqual(['Gamma tax', 'Beta notes', 'Alpha plan']);
    expect(await groups(page)).toEqual(['Today']);

    await row(page, 'Beta notes').hover();
    await row(page, 'Beta notes').getByTestId('pin-session').click();
    await expect.poll(() => groups(page)).toEqual(['Pinned', 'Today']);
    expect(await titles(page)).toEqual(['Beta notes', 'Gamma tax', 'Alpha plan']);
    await page.reload();
    await expect.poll(() => titles(page)).toEqual(['Beta notes', 'Gamma tax', 'Alpha plan']);

    await page.getByTestId('session-filter').fill('TAX');
    await expect.poll(() => titles(page)).toEqual(['Gamma tax']);
    await page.getByTestId('session-filter').press('Escape');
    await expect.poll(() => titles(page)).toHaveLength(3);

    // Keyboard only: arrows move between chats, F2 renames, Delete moves to the trash (with undo).
    await row(page, 'Beta notes').getByRole('button', { name: 'Beta notes', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('F2');
    await page.keyboard.type('Alpha plan, revised');
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(page)).toContain('Alpha plan, revised');
    await row(page, 'Alpha plan, revised').getByRole('button', { name: 'Alpha plan, revised', exact: true }).focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => titles(page)).toEqual(['Beta notes', 'Gamma tax']);
    await expect.poll(() => page.getByTestId('undo-toast').count()).toBe(1);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('restores from the trash, and deletes for good only after a confirmation', async () => {
    const page = await app.openApp();
    await expect.poll(() => titles(page)).toEqual(['Beta notes', 'Gamma tax']);
    await row(page, 'Gamma tax').hover();
    await row(page, 'Gamma tax').getByTestId('delete-session').click();
    await page.getByTestId('open-trash').click();
    const trash = page.getByTestId('trash-row');
    await expect.poll(() => trash.locator('.trash-title').allInnerTexts()).toEqual(['Gamma tax', 'Alpha plan, revised']);

    await trash.filter({ hasText: 'Alpha plan, revised' }).getByTestId('restore-session').click();
    // Restored, it opens again and is back among the chats.
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('Alpha plan, revised');
    await expect.poll(() => trash.count()).toBe(1);

    await trash.getByTestId('purge-session').click();
    expect(await trash.count()).toBe(1);
    await page.getByTestId('confirm-purge').click();
    await expect.poll(() => trash.count()).toBe(0);
    expect((await remote.client.call('sessions.list', { trash: true })).items).toEqual([]);

    await page.getByTestId('close-trash').click();
    await expect.poll(() => titles(page)).toEqual(['Beta notes', 'Alpha plan, revised']);
    await page.close();
  });

  it('loads older chats as the list scrolls, and finds chats beyond the loaded pages by title', async () => {
    for (let i = 0; i < 130; i++) await remote.client.call('sessions.create', { title: `Bulk chat ${String(i).padStart(3, '0')}` });
    const page = await app.openApp();
    await expect.poll(() => titles(page)).toContain('Bulk chat 129');
    // Only the rows on screen are in the page.
    expect(await page.getByTestId('session-row').count()).toBeLessThan(60);
    await page.getByTestId('session-list').hover();
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 4000);
        return titles(page);
      })
      .toContain('Alpha plan, revised');
    expect(await titles(page)).toContain('Bulk chat 000');

    await page.reload();
    await page.getByTestId('session-filter').fill('chat 007');
    await expect.poll(() => titles(page)).toEqual(['Bulk chat 007']);
    await page.close();
  });
});
