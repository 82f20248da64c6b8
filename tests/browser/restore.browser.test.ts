import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWebSocket, type WebSocketClient } from '../helpers/ws-client.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Settings › Data in a browser (serve mode): back up, download the backup, restore it at the next start, and see the
// chats of the backup after serve mode restarts.
let app: AppUnderTest;
let remote: WebSocketClient;
const wsUrl = () => `${app.serve.url.replace(/^http/, 'ws').replace(/\/\?token=/, '/ws?token=')}`;

beforeAll(async () => {
  app = await startAppUnderTest('coda-restore-');
  remote = await connectWebSocket(wsUrl());
});
afterAll(async () => {
  await remote?.close();
  await app?.stop();
});

describe('restore from Settings', () => {
  it('backs up, downloads the backup, and restores it when serve mode starts again', async () => {
    await remote.client.call('sessions.create', { title: 'Kept in the backup' });
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-data').click();
    const list = page.getByTestId('backup-list');
    await page.getByTestId('back-up').click();
    await expect.poll(() => list.getByTestId('backup-row').count()).toBe(1);
    await remote.client.call('sessions.create', { title: 'Made after the backup' });

    const [download] = await Promise.all([page.waitForEvent('download'), list.getByTestId('backup-download').click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^coda-backup-.*\.zip$/);
    expect((await readFile(await download.path())).equals(await readFile(path.join(app.dataDir, 'backups', name)))).toBe(true);

    // By keyboard: Restore… asks first, saying what will happen; Keep my data leaves everything as it is.
    await list.getByTestId('backup-restore').focus();
    await page.keyboard.press('Enter');
    expect(await list.getByTestId('restore-confirm').innerText()).toContain('Replace every chat, setting and attachment');
    await list.getByTestId('restore-confirm-yes').click();
    const pending = list.getByTestId('restore-pending');
    await expect.poll(() => pending.innerText()).toContain(`${name} (taken`);
    expect(await pending.innerText()).toContain('Stop serve mode and start it again to finish.');
    expect(await list.getByTestId('restart-now').count()).toBe(0);
    await page.setViewportSize({ width: 360, height: 740 });
    const box = await list.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(360);
    expect(page.problems).toEqual([]);
    await page.close();

    await remote.close();
    await app.restartServe();
    remote = await connectWebSocket(wsUrl());
    const after = await app.openApp();
    await expect.poll(() => after.getByTestId('session-row').count()).toBe(1);
    expect(await after.getByTestId('session-row').innerText()).toContain('Kept in the backup');
    await after.getByTestId('open-settings').click();
    await after.getByTestId('settings-nav-data').click();
    const last = after.getByTestId('restore-last');
    await expect.poll(() => last.innerText()).toContain(`Restored ${name}`);
    expect(await last.innerText()).toContain('before-restore-');
    expect(await after.getByTestId('restore-pending').count()).toBe(0);
    expect(after.problems).toEqual([]);
    await after.close();
  });
});
