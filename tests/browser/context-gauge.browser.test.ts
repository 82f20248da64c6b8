import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { pickModel, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// The context gauge beside Send: how full the next request would leave the model's window, the draft included.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-gauge-');
});
afterAll(async () => {
  await app?.stop();
});

describe('the context gauge', () => {
  it('follows the draft as it is typed, warns near the window, and shows what fills it', async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Gauge Chat' });
    app.provider.enqueue(textReply('Short answer.'));
    await page.getByTestId('composer-input').fill('A short question.');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getAttribute('data-status')).toBe('complete');
    // GPT-4o mini: a 128,000-token window, 16,384 kept for the answer.
    await pickModel(page, 'model-picker', 'openai/gpt-4o-mini');
    const gauge = page.getByTestId('context-gauge');
    // The built-in tools' definitions take about 1%.
    await expect.poll(() => gauge.innerText()).toMatch(/^[0-2]%$/);
    expect(await gauge.getAttribute('data-level')).toBe('ok');

    // About 50,000 tokens of draft: under half.
    await page.getByTestId('composer-input').fill('word '.repeat(40_000));
    await expect.poll(() => gauge.innerText()).toMatch(/^4[0-9]%$/);
    // About 105,000: past 90%, a warning.
    await page.getByTestId('composer-input').fill('word '.repeat(84_000));
    await expect.poll(() => gauge.getAttribute('data-level')).toBe('warn');

    await gauge.click();
    const details = page.getByTestId('context-details');
    const text = await details.innerText();
    expect(text).toMatch(/of 111,616 tokens \(128,000 in the model's window, 16,384 kept for the answer\)/);
    expect(text).toMatch(/Recent messages\s+\d+/);
    expect(text).toMatch(/Your message \(estimate\)\s+105,000/);
    expect(text).toContain('2 messages sent whole');
    expect(text).toContain('Nearly full');
    await page.keyboard.press('Escape');
    await expect.poll(() => details.count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
