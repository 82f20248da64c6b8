import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import type { ScriptedProviderServer } from '../provider-server/server.js';
import { importServer, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// A tool server asking the user mid-call (MCP elicitation), answered through the form in the conversation.
let app: AppUnderTest;
let provider: ScriptedProviderServer;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-elicit-');
  provider = app.provider;
});

afterAll(async () => {
  await app?.stop();
});

const openApp = () => app.openApp();

describe('a tool server asking the user (elicitation)', () => {
  it("shows the server's form under its call, checks it inline, sends it, and keeps a one-line record", async () => {
    const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const page = await openApp();
    const card = await importServer(page, 'everything', { command: process.execPath, args: [everything, 'stdio'] });
    await card.getByTestId('confirm-server').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');

    await page.getByTestId('new-chat').click();
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'ask_1', name: 'everything__trigger-elicitation-request', arguments: '{}' } }] },
      textReply('Thanks for answering.'),
    );
    await page.getByTestId('composer-input').fill('ask me something');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('approval').getByTestId('approve').click();

    const form = page.getByTestId('elicitation');
    await expect.poll(() => form.count()).toBe(1);
    expect(await form.getByTestId('elicitation-server').innerText()).toBe('everything');
    expect(await form.innerText()).toContain('comes from the server, not from Coda');
    expect(await form.getByTestId('elicitation-message').innerText()).toBe('Please provide inputs for the following fields:');
    // The approval did its job; the call now waits on the user's answer.
    expect(await page.getByTestId('approval').count()).toBe(0);
    expect(await page.getByTestId('tool-call').locator('summary .tool-status').innerText()).toBe('asks you');
    // Labels from the schema's titles (the required mark is not part of the name), defaults prefilled.
    expect(await form.getByLabel('String with default').inputValue()).toBe('It was a dark and stormy night.');
    expect(await form.getByLabel('Integer', { exact: true }).inputValue()).toBe('42');
    expect(await form.getByLabel('String', { exact: true }).getAttribute('aria-required')).toBe('true');
    expect(await form.getByLabel('Guitar').isChecked()).toBe(true);

    // Inline checks before anything is sent.
    await form.getByLabel('String with email format').fill('not an address');
    await form.getByTestId('elicitation-submit').click();
    await expect.poll(() => form.getByTestId('elicitation-problem-name').innerText()).toBe('String is required');
    expect(await form.getByTestId('elicitation-problem-email').innerText()).toContain('must be an email address');
    expect(await form.getByLabel('String', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('String', { exact: true }).fill('Grace Hopper');
    await form.getByLabel('String with email format').fill('grace@example.com');
    await form.getByLabel('Titled Single Select Enum', { exact: true }).selectOption({ label: 'Wonder Woman' });
    await form.getByLabel('Piano').check();
    await form.getByTestId('elicitation-submit').click();

    const record = page.getByTestId('elicitation-record');
    await expect.poll(() => record.count()).toBe(1);
    expect(await record.innerText()).toMatch(/^You sent everything: String: Grace Hopper · .*Titled Single Select Enum: Wonder Woman/);
    expect(await record.innerText()).toContain('Untitled Multiple Select Enum: Guitar, Piano');
    expect(await page.getByTestId('elicitation').count()).toBe(0);
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Thanks for answering.');
    const call = page.getByTestId('tool-call');
    await expect.poll(() => call.getAttribute('data-status')).toBe('success');
    await call.locator('summary').click();
    expect(await call.getByTestId('tool-output').innerText()).toContain('- Name: Grace Hopper');

    // The record is kept with the call.
    await page.reload();
    await expect.poll(() => page.getByTestId('elicitation-record').innerText()).toContain('You sent everything: String: Grace Hopper');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('declines from the form (the server is told), and a stop cancels an open question', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    const ask = (id: string) => ({ kind: 'stream' as const, steps: [{ toolCall: { id, name: 'everything__trigger-elicitation-request', arguments: '{}' } }] });
    provider.enqueue(ask('ask_2'), textReply('Understood, no details.'));
    await page.getByTestId('composer-input').fill('ask me again');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('approval').getByTestId('approve').click();
    await page.getByTestId('elicitation').getByTestId('elicitation-decline').click();
    await expect.poll(() => page.getByTestId('elicitation-record').innerText()).toBe("You declined everything's question.");
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Understood, no details.');

    provider.enqueue(ask('ask_3'));
    await page.getByTestId('composer-input').fill('and once more');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('approval').getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('elicitation').count()).toBe(1);
    await page.getByTestId('stop').click();
    await expect.poll(() => page.getByTestId('elicitation-record').last().innerText()).toBe("everything's question was cancelled: the answer was stopped.");
    expect(await page.getByTestId('elicitation').count()).toBe(0);
    await page.close();
  });
});
