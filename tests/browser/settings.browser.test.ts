import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Settings › Appearance, Shortcuts and Data, and the shortcuts at work.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-settings-');
});

afterAll(async () => {
  await app?.stop();
});

const rootAttribute = (name: string) => `document.documentElement.getAttribute(${JSON.stringify(name)})`;

describe('Settings', () => {
  it('switches theme, text size and density at once, and keeps them across a restart', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-appearance').click();
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('settings-appearance');
    const appearance = page.getByTestId('appearance');
    await appearance.getByLabel('Dark').check();
    await expect.poll(() => page.evaluate(rootAttribute('data-theme'))).toBe('dark');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(23, 24, 27)');
    await page.getByTestId('font-size').fill('18');
    await appearance.getByLabel('Compact').check();
    await expect.poll(() => page.evaluate('getComputedStyle(document.documentElement).fontSize')).toBe('18px');

    await app.restartServe();
    const again = await app.openApp();
    await expect.poll(() => again.evaluate(rootAttribute('data-density'))).toBe('compact');
    expect(await again.evaluate(rootAttribute('data-theme'))).toBe('dark');
    await again.getByTestId('open-settings').click();
    await again.getByTestId('appearance').getByLabel('Like the system').check();
    await expect.poll(() => again.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    await again.close();
    await page.close();
  });

  it('rebinds a shortcut by pressing it, refuses one key for two actions, and the new keys work', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    const row = page.getByTestId('shortcut-newChat');
    expect(await row.locator('kbd').innerText()).toBe('Ctrl+Shift+O');
    await row.getByRole('button', { name: /Change/ }).click();
    await page.getByTestId('shortcut-recorder').press('Control+Shift+J');
    await expect.poll(() => row.locator('kbd').innerText()).toBe('Ctrl+Shift+J');

    // Ctrl+K is search's: giving it to "New chat" too is refused, with the reason.
    await row.getByRole('button', { name: /Change/ }).click();
    await page.getByTestId('shortcut-recorder').press('Control+K');
    await expect.poll(() => page.getByTestId('shortcut-error').innerText()).toContain('Mod+K cannot do two things');
    await page.keyboard.press('Escape');
    expect(await row.locator('kbd').innerText()).toBe('Ctrl+Shift+J');

    await page.keyboard.press('Control+Shift+J');
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('New chat');
    await expect.poll(() => page.locator('[data-testid="composer-input"]:focus').count()).toBe(1);
    await page.close();
  });

  it('moves between chats, searches, hides the sidebar and answers again from the keyboard', async () => {
    const page = await app.openApp();
    for (const [question, answer] of [
      ['first question', 'First answer.'],
      ['second question', 'Second answer.'],
    ]) {
      await page.getByTestId('new-chat').click();
      app.provider.enqueue(textReply(answer!));
      await page.getByTestId('composer-input').fill(question!);
      await page.getByTestId('composer-input').press('Enter');
      await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe(answer);
    }
    // Answer the last message again: a new answer, the first one kept as a branch (once the first has finished).
    await expect.poll(() => page.getByTestId('stop').count()).toBe(0);
    app.provider.enqueue(textReply('Second answer, again.'));
    await page.keyboard.press('Control+Shift+G');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Second answer, again.');

    const title = () => page.getByTestId('chat-title').innerText();
    const before = await title();
    await page.keyboard.press('Control+Alt+ArrowDown');
    await expect.poll(title).not.toBe(before);
    await page.keyboard.press('Control+Alt+ArrowUp');
    await expect.poll(title).toBe(before);

    await page.keyboard.press('Control+K');
    await expect.poll(() => page.locator('[data-testid="palette-input"]:focus').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('command-palette').count()).toBe(0);
    await page.keyboard.press('Control+Shift+S');
    await expect.poll(() => page.getByTestId('new-chat').isVisible()).toBe(false);
    await page.keyboard.press('Control+Shift+S');
    await expect.poll(() => page.getByTestId('new-chat').isVisible()).toBe(true);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it("sets a chat's sampling, answer length, thinking, step limit and tools, naming what is out of range", async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    await page.getByTestId('toggle-chat-settings').click();
    const temperature = page.getByTestId('chat-setting-temperature');
    await temperature.fill('5');
    await temperature.press('Tab');
    await expect.poll(() => page.getByTestId('chat-settings').getByRole('alert').innerText()).toBe('Temperature must be 0 to 2.');
    await temperature.fill('0.2');
    await temperature.press('Tab');
    await expect.poll(() => page.getByTestId('chat-settings').getByRole('alert').count()).toBe(0);
    await page.getByTestId('chat-setting-topP').fill('0.5');
    await page.getByTestId('chat-setting-maxOutputTokens').fill('300');
    await page.getByTestId('chat-setting-maxSteps').fill('3');
    await page.getByTestId('chat-setting-maxSteps').press('Tab');
    await page.getByTestId('chat-setting-thinking').selectOption('low');
    await page.getByTestId('chat-tools-all').uncheck();
    await page.getByTestId('chat-tools-coda').uncheck();

    app.provider.enqueue(textReply('Tuned.'));
    await page.getByTestId('composer-input').fill('how are you tuned?');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Tuned.');
    const body = app.provider.requests.filter((r) => r.body['stream'] === true).at(-1)!.body;
    expect(body).toMatchObject({ temperature: 0.2, top_p: 0.5, max_completion_tokens: 300, reasoning_effort: 'low' });
    expect(body['tools']).toBeUndefined();

    // Kept with the chat.
    await page.reload();
    await page.getByTestId('toggle-chat-settings').click();
    expect(await page.getByTestId('chat-setting-maxSteps').inputValue()).toBe('3');
    expect(await page.getByTestId('chat-setting-thinking').inputValue()).toBe('low');
    await page.close();
  });

  it("saves a chat's settings as a preset, manages presets in Settings, and starts a new chat from one", async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    await page.getByTestId('toggle-chat-settings').click();
    await page.getByTestId('system-prompt').fill('Translate everything into French.');
    await page.getByTestId('system-prompt').blur();
    await page.getByTestId('save-as-preset').click();
    await page.getByTestId('preset-name').fill('Translator');
    await page.getByTestId('preset-name').press('Enter');
    await expect.poll(() => page.getByTestId('chat-settings').getByRole('status').innerText()).toBe('Saved as “Translator”.');

    await page.getByTestId('open-settings').click();
    const rows = page.getByTestId('preset-row');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByTestId('duplicate-preset').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).getByLabel('Preset name').inputValue()).toBe('Translator (copy)');
    await rows.nth(1).getByTestId('delete-preset').click();
    await rows.nth(1).getByTestId('confirm-delete-preset').click();
    await expect.poll(() => rows.count()).toBe(1);

    await page.getByTestId('new-chat').click();
    await page.getByTestId('preset-picker').selectOption({ label: 'Translator' });
    await expect.poll(() => page.getByTestId('preset-applied').innerText()).toContain('Translator');
    app.provider.enqueue(textReply('Bonjour.'));
    await page.getByTestId('composer-input').fill('Hello');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Bonjour.');
    expect(app.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages']).toEqual([
      { role: 'system', content: 'Translate everything into French.' },
      { role: 'user', content: 'Hello' },
    ]);
    await page.close();
  });

  it('shows the data folder and backs it up on request, saying what a backup leaves out', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    const data = page.getByTestId('data-settings');
    await expect.poll(() => data.getByTestId('data-folder').innerText()).toBe(app.dataDir);
    // Serve mode has no file manager to open it with.
    expect(await data.getByRole('button', { name: 'Open the folder' }).count()).toBe(0);
    await data.getByTestId('back-up').click();
    await expect.poll(() => data.getByTestId('backup-done').innerText()).toContain(`${app.dataDir}/backups/coda-backup-`);
    expect(await data.getByTestId('backup-done').innerText()).toContain('Not included: saved provider and tool-server keys');
    // It is listed below, to download or restore (tests/browser/restore.browser.test.ts).
    await expect.poll(() => data.getByTestId('backup-row').count()).toBe(1);
    expect(await data.getByTestId('backup-done').innerText()).toMatch(/^Saved a backup \(\d+ KB\)/);
    await page.close();
  });
});
