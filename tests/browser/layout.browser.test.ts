import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Narrow windows (a phone-sized 360 px) and the Escape key.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-layout-');
});

afterAll(async () => {
  await app?.stop();
});

describe('a 360 px window', () => {
  it('keeps the composer whole, scrolls nothing sideways, and shows the chats in a drawer', async () => {
    const context = await app.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(app.serve.url);
    const input = page.getByTestId('composer-input');
    await expect.poll(() => input.count()).toBe(1);
    // The sidebar is a closed drawer: nothing of it can be reached until it opens.
    expect(await page.getByTestId('new-chat').isVisible()).toBe(false);
    await page.keyboard.press('Tab');
    expect(await page.locator('[data-testid="new-chat"]:focus').count()).toBe(0);

    app.provider.enqueue(textReply(`A long line: ${'x'.repeat(400)}\n\n\`\`\`\n${'y'.repeat(400)}\n\`\`\``));
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Narrow chat' });
    await input.fill('hello from a phone');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);
    await expect.poll(() => page.getByTestId('message-assistant').innerText()).toContain('A long line');

    const box = await input.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    const send = await page.getByTestId('send').boundingBox();
    expect(send && send.x + send.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await page.getByTestId('drawer-toggle').click();
    await expect.poll(() => page.getByTestId('new-chat').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('new-chat').isVisible()).toBe(false);
    await page.getByTestId('drawer-toggle').click();
    // Choosing in the drawer closes it.
    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('new-chat').isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('New chat');
    await context.close();
  });
});

describe('the Escape key', () => {
  it('closes the chat settings first, then stops a streaming answer, keeping what arrived', async () => {
    const page = await app.openApp();
    app.provider.enqueue({ kind: 'stream', steps: Array.from({ length: 300 }, (_, i) => ({ text: `word${i} ` })), stepDelayMs: 20 });
    await page.getByTestId('composer-input').fill('Write a lot');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('stop').count()).toBe(1);
    await page.getByTestId('toggle-chat-settings').click();
    await expect.poll(() => page.getByTestId('chat-settings').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('chat-settings').count()).toBe(0);
    expect(await page.getByTestId('stop').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('stop').count()).toBe(0);
    const text = await page.getByTestId('message-assistant').last().getByTestId('message-text').innerText();
    expect(text).toMatch(/^word0 word1/);
    expect(text).not.toContain('word299');
    await page.close();
  });
});
