import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, tempDir } from '../helpers/core.js';
import { writeCodaExport } from '../helpers/import-fixture.js';
import { connectWebSocket, type WebSocketClient } from '../helpers/ws-client.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Import from Settings in a browser (serve mode): a chosen Coda export, and the report of what happened to each chat.
let app: AppUnderTest;
let remote: WebSocketClient;

beforeAll(async () => {
  app = await startAppUnderTest('coda-import-');
  remote = await connectWebSocket(`${app.serve.url.replace(/^http/, 'ws').replace(/\/\?token=/, '/ws?token=')}`);
});
afterAll(async () => {
  await remote?.close();
  await app?.stop();
});

describe('import in Settings', () => {
  it('imports a chosen export as a copy, shows the report, and refuses a broken file with its reason', async () => {
    const chat = await remote.client.call('sessions.create', { title: 'Garden plan' });
    const pieces = [
      await remote.client.call('export.piece', { format: 'json', piece: { kind: 'header' } }),
      await remote.client.call('export.piece', { format: 'json', piece: { kind: 'chat', sessionId: chat.id, index: 0 } }),
      await remote.client.call('export.piece', { format: 'json', piece: { kind: 'footer' } }),
    ];
    const text = pieces.map((p) => p.text).join('');
    const page = await app.openApp();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);

    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'chats.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-report').innerText()).toContain('1 of 1 chat imported (0 messages), 0 skipped.');
    expect(await page.getByTestId('import-report').innerText()).toContain('Imported “Garden plan” as a copy');
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);

    // Skip, chosen by keyboard.
    await page.getByTestId('import-conflict').focus();
    await page.getByTestId('import-conflict').selectOption('skip');
    await page.getByTestId('import-run').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('import-report').innerText()).toContain('Skipped “Garden plan”: a chat with this id is already here');

    await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, 40)) });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-error').innerText()).toMatch(/Cannot import this file: it is not valid JSON .*it may be truncated/);
    expect(await page.getByTestId('session-row').count()).toBe(2);

    // A file no format recognizes is refused from its start, before it is sent.
    await page.getByTestId('import-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('[{"hello":1}]') });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-error').innerText()).toContain('it is not an export this app recognizes');

    // A ChatGPT export, recognised by itself: its chats arrive in the sidebar, and the tree keeps the edited question's branch.
    const chatgpt = await readFile(fileURLToPath(new URL('../fixtures/import/chatgpt.json', import.meta.url)));
    await page.getByTestId('import-file').setInputFiles({ name: 'conversations.json', mimeType: 'application/json', buffer: chatgpt });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-report').innerText()).toContain('2 of 2 chats imported (8 messages), 0 skipped.');
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(4);
    await page.getByTestId('session-row').filter({ hasText: 'Plotting sales data' }).getByRole('button', { name: 'Plotting sales data', exact: true }).click();
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toContain('Plotting sales data');
    await expect.poll(() => page.getByTestId('sibling-position').first().innerText()).toMatch(/^\d\/2$/);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('imports a file over 7 MB at 360 px, sent in pieces, with a progress bar, the format chosen by keyboard', async () => {
    // A real export of 3 chats with long answers (about 9 MB), made by a core of its own in a temporary folder.
    const maker = await startTestCore();
    const dir = await tempDir('coda-import-big-');
    try {
      const file = await writeCodaExport(maker, dir.dir, { chats: 3, exchanges: 3, answer: (c, e) => `${c}.${e} ${'long answer, '.repeat(80_000)}` });
      expect((await stat(file)).size).toBeGreaterThan(8 * 1024 * 1024);
      const page = await app.openApp();
      // The chats of the test before, once the sidebar has them.
      await expect.poll(() => page.getByTestId('session-row').count()).toBe(4);
      const rows = await page.getByTestId('session-row').count();
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings-nav-import').click();
      await page.setViewportSize({ width: 360, height: 740 });
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('import-format').focus();
      await page.keyboard.press('ArrowDown'); // Auto-detect → Coda
      expect(await page.getByTestId('import-format').inputValue()).toBe('coda');
      const bar = page.getByTestId('import-progress').waitFor();
      await page.getByTestId('import-run').click();
      await bar;
      expect(await page.getByTestId('import-progress').locator('progress').getAttribute('aria-label')).toBe('Import progress');
      await expect.poll(() => page.getByTestId('import-report').innerText(), { timeout: 60_000 }).toContain('3 of 3 chats imported (18 messages), 0 skipped.');
      // Nothing wider than the window.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      expect(page.problems).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('session-row').count()).toBe(rows + 3);
      await page.close();
    } finally {
      await maker.dispose();
      await dir.remove();
    }
  }, 120_000);
});
