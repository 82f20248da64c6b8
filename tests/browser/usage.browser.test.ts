import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Tokens and cost per answer and per chat, spending limits, and usage as CSV.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-usage-');
});

afterAll(async () => {
  await app?.stop();
});

/** $0.7497 with gpt-4.1-mini ($0.40 in, $0.10 cached, $1.60 out per million tokens): 1,000 of the input read from cache. */
const PRICEY = { input: 375_000, output: 375_000, cached: 1_000, reasoning: 2_000 };

describe('usage and budgets', () => {
  it('breaks an answer down, charts the chat, warns near a limit, blocks at it, and sends once anyway', async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Usage chat' });
    for (const question of ['First question', 'Second question']) {
      app.provider.enqueue(textReply(`Answer to ${question}.`, PRICEY));
      await page.getByTestId('composer-input').fill(question);
      await page.getByTestId('composer-input').press('Enter');
      await expect.poll(() => page.getByTestId('message-assistant').last().getAttribute('data-status')).toBe('complete');
    }

    // One answer, broken down as billed.
    const usage = page.getByTestId('message-assistant').last().getByTestId('message-usage');
    // Usage arrives with the answer's last save, just after it shows as complete.
    await expect.poll(() => usage.getAttribute('data-usage-source')).toBe('provider');
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('Usage chat');
    // By keyboard (a click could land while the virtualized list settles its measured heights).
    await usage.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => usage.getAttribute('aria-expanded')).toBe('true');
    // The breakdown the line opened (found by the line's aria-controls: the list may reorder its rows meanwhile).
    const breakdown = page.locator(`[id="${await usage.getAttribute('aria-controls')}"]`);
    const text = await breakdown.innerText();
    expect(text).toMatch(/Input tokens\s+375,000/);
    expect(text).toMatch(/of which read from cache\s+1,000/);
    expect(text).toMatch(/of which reasoning\s+2,000/);
    expect(text).toMatch(/Cost\s+\$0\.750/);
    expect(text).toMatch(/Unseen in its requests\s+≈ [\d,]+ tokens over 1 request \(system prompt, tool definitions\)/);

    // The chat: one bar per answer, numbers on focus, its data as CSV.
    await expect.poll(() => page.getByTestId('session-totals').innerText()).toMatch(/^1,500,000 tokens · \$1\.50$/);
    await page.getByTestId('session-totals').click();
    await expect.poll(() => page.getByTestId('usage-bar').count()).toBe(2);
    await page.getByTestId('usage-bar').nth(1).focus();
    await expect.poll(() => page.getByTestId('usage-tooltip').innerText()).toContain('Answer 2 · gpt-4.1-mini');
    expect(await page.getByTestId('usage-tooltip').innerText()).toContain('$1.50 so far');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chat-usage-csv').click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/,openai,gpt-4\.1-mini,complete,375000,1000,0,375000,2000,0\.749700,no$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('usage-popover').count()).toBe(0);

    // Limits: a wrong amount is said next to its field; 83% of the monthly limit warns.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-usage').click();
    await expect.poll(() => page.getByTestId('spent-this-month').innerText()).toContain('Spent this month: $1.50');
    await page.getByTestId('budget-monthlyUsd').fill('-5');
    await page.getByTestId('budget-monthlyUsd').press('Enter');
    expect(await page.getByTestId('usage-settings').getByRole('alert').innerText()).toContain('A limit is an amount of dollars above 0');
    await page.getByTestId('budget-monthlyUsd').fill('1.8');
    await page.getByTestId('budget-monthlyUsd').press('Enter');
    await expect.poll(() => page.getByTestId('spent-this-month').innerText()).toContain('of $1.80');
    await page.getByRole('button', { name: 'Usage chat' }).click();
    await expect
      .poll(() => page.getByTestId('budget-notice').innerText())
      .toMatch(/^\$1\.50 spent this month: 83% of the monthly limit of \$1\.80\.\s*Limits…$/);
    expect(await page.getByTestId('budget-notice').getAttribute('class')).toContain('budget-warn');

    // A per-chat limit that blocks: the message is kept, and sent once on request.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('budget-chatUsd').fill('1');
    await page.getByTestId('budget-chatUsd').press('Enter');
    await page.getByTestId('budget-block').check();
    await expect.poll(() => page.getByTestId('budget-block').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Usage chat' }).click();
    await page.getByTestId('composer-input').fill('Third question');
    await page.getByTestId('composer-input').press('Enter');
    await expect
      .poll(() => page.getByTestId('budget-notice').innerText())
      .toContain('The per-chat spending limit of $1.00 is reached: $1.50 spent in this chat.');
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('Third question');
    expect(await page.getByTestId('message-user').count()).toBe(2);
    app.provider.enqueue(textReply('Answer anyway.', PRICEY));
    await page.getByTestId('send-anyway').click();
    await expect.poll(() => page.getByTestId('message-assistant').last().innerText()).toContain('Answer anyway.');
    expect(await page.getByTestId('composer-input').inputValue()).toBe('');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('exports every answer of a date range as CSV from Settings', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-usage').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-usage').click()]);
    expect(download.suggestedFilename()).toMatch(/^coda-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toMatch(/^started_at,chat,chat_id,message_id/);
    expect(csv.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('usage-export-result').innerText()).toMatch(/^Exported \d+ answers\.$/);
    // A range with nothing in it says so, and the file has only its header.
    await page.getByTestId('usage-from').fill('2001-01-01');
    await page.getByTestId('usage-to').fill('2001-01-31');
    const [empty] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-usage').click()]);
    expect((await readFile((await empty.path())!, 'utf8')).trim().split('\r\n')).toHaveLength(1);
    await expect.poll(() => page.getByTestId('usage-export-result').innerText()).toBe('Exported 0 answers.');
    await page.close();
  });
});
