import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Pinning a message in the app, against serve mode: the marker shows, it stays across a reload, and it is sent.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-pins-');
});
afterAll(async () => {
  await app?.stop();
});

async function send(page: Page, text: string, reply: string) {
  app.provider.enqueue(textReply(reply));
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe(reply);
}

describe('pins in the browser', () => {
  it('pins a question, shows it pinned across a reload, and unpins it', async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Code Word' });
    await send(page, 'The code word is PELICAN.', 'Noted.');

    const question = page.getByTestId('message-user').first();
    expect(await question.getByTestId('pinned-marker').count()).toBe(0);
    await question.getByTestId('pin-message').click();
    await expect.poll(() => question.getByTestId('pinned-marker').count()).toBe(1);
    expect(await question.getByTestId('pin-message').getAttribute('aria-pressed')).toBe('true');

    await page.reload();
    const again = page.getByTestId('message-user').first();
    await expect.poll(() => again.getByTestId('pinned-marker').count()).toBe(1);

    // The next request carries it (here it is recent anyway; the context tests cover long chats).
    app.provider.requests.length = 0;
    await send(page, 'What is the code word?', 'PELICAN.');
    const sent = app.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { content: string }[];
    expect(sent.map((m) => m.content)).toContain('The code word is PELICAN.');

    await again.getByTestId('pin-message').click();
    await expect.poll(() => again.getByTestId('pinned-marker').count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
