import http from 'node:http';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startOpenApiService } from '../fixtures/openapi-service.js';
import { textReply } from '../provider-server/script.js';
import type { ScriptedProviderServer } from '../provider-server/server.js';
import { importServer, pickModel, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

let app: AppUnderTest;
let provider: ScriptedProviderServer;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-');
  provider = app.provider;
});

afterAll(async () => {
  await app?.stop();
});

const openApp = () => app.openApp();

const assistantText = (page: Page) => page.getByTestId('message-assistant').last().getByTestId('message-text');

describe('the app in a browser against serve mode', () => {
  it('creates a chat, streams the answer, and keeps it across a reload and a restart of the server', async () => {
    const page = await openApp();
    // The token leaves the address bar once read.
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByTestId('new-chat').click();
    provider.enqueue({ ...textReply('Streaming **works** fine.', { input: 11, output: 4 }), stepDelayMs: 400 });
    provider.enqueueCompletion({ kind: 'completion', text: 'Streaming Check' });
    await page.getByTestId('composer-input').fill('Does streaming work?');
    await page.getByTestId('composer-input').press('Enter');

    await expect.poll(() => page.getByTestId('message-user').last().innerText()).toContain('Does streaming work?');
    await expect.poll(() => page.getByTestId('stop').count()).toBe(1);
    await expect.poll(() => assistantText(page).innerText()).toBe('Streaming works fine.');
    // Markdown is rendered (bold), not shown as asterisks.
    expect(await assistantText(page).locator('strong').innerText()).toBe('works');
    await expect.poll(() => page.getByTestId('message-usage').last().innerText()).toContain('11 in · 4 out');
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('Streaming Check');
    await expect.poll(() => page.getByTestId('session-totals').innerText()).toMatch(/^15 tokens · \$0\.0000\d+$/);

    await page.reload();
    await expect.poll(() => assistantText(page).innerText()).toBe('Streaming works fine.');
    expect(await page.getByTestId('message-user').innerText()).toContain('Does streaming work?');

    await app.restartServe();
    const again = await openApp();
    await again.getByTestId('session-row').filter({ hasText: 'Streaming Check' }).getByRole('button', { name: 'Streaming Check' }).click();
    await expect.poll(() => assistantText(again).innerText()).toBe('Streaming works fine.');
    expect(again.problems).toEqual([]);
    await again.close();
    await page.close();
  });

  it('uses Shift+Enter for new lines, shows provider errors inline, and retries', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    provider.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
    const input = page.getByTestId('composer-input');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('message-error').innerText()).toContain('OpenAI key was rejected');
    expect(await page.getByTestId('message-user').last().innerText()).toContain('first line\nsecond line');

    provider.enqueue(textReply('Recovered.'));
    await page.getByTestId('retry').click();
    await expect.poll(() => assistantText(page).innerText()).toBe('Recovered.');
    expect(await page.getByTestId('message-error').count()).toBe(0);
    await page.close();
  });

  it('stops a streaming answer and keeps what arrived', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    provider.enqueue({ kind: 'stream', steps: Array.from({ length: 300 }, (_, i) => ({ text: `word${i} ` })), stepDelayMs: 20 });
    await page.getByTestId('composer-input').fill('Write a lot');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toContain('word3');
    await page.getByTestId('stop').click();
    await expect.poll(() => page.locator('[data-status="interrupted"]').count()).toBe(1);
    const kept = await assistantText(page).innerText();
    expect(kept).toContain('word3');
    expect(kept).not.toContain('word299');
    // The provider never reported usage for the stopped stream: what it billed is estimated, and says so.
    const usage = page.getByTestId('message-usage').last();
    await expect.poll(() => usage.getAttribute('data-usage-source')).toBe('estimate');
    expect(await usage.innerText()).toMatch(/^≈ [\d,]+ in · [\d,]+ out · ≈ \$0\.\d+/);
    await expect.poll(() => page.getByTestId('session-totals').innerText()).toMatch(/^≈ [\d,]+ tokens · ≈ \$/);
    await page.close();
  });

  it('shows raw HTML from the model as text, never as markup', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    provider.enqueue(textReply('Look: <img src=x onerror="window.pwned=1"> and <b>not bold</b>'));
    await page.getByTestId('composer-input').fill('html please');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toContain('<b>not bold</b>');
    expect(await assistantText(page).locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });

  it('deletes a chat with undo', async () => {
    const page = await openApp();
    const rows = page.getByTestId('session-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await rows.first().getByRole('button').first().click();
    const active = page.locator('[data-testid="session-row"].active');
    await expect.poll(() => active.count()).toBe(1);
    const before = await rows.count();
    await active.hover();
    await active.getByTestId('delete-session').click();
    await expect.poll(() => rows.count()).toBe(before - 1);
    expect(await active.count()).toBe(0);
    await page.getByTestId('undo-delete').click();
    await expect.poll(() => rows.count()).toBe(before);
    // Undo brings the chat back and opens it again.
    await expect.poll(() => active.count()).toBe(1);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(before);
    await page.close();
  });

  it('shows providers in Settings, tests a connection, and switches the model of a chat', async () => {
    const page = await openApp();
    await page.getByTestId('open-settings').click();
    const openai = page.getByTestId('provider-openai');
    await expect.poll(() => openai.getByTestId('provider-status').innerText()).toBe('Configured');
    expect(await openai.innerText()).toContain('Key from OPENAI_API_KEY, ends in test');
    expect(await page.getByTestId('provider-anthropic').getByTestId('provider-status').innerText()).toBe('Not set up');
    // Serve mode cannot keep keys safely: no key fields, only the variable to set.
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    expect(await page.getByTestId('provider-anthropic').innerText()).toContain('ANTHROPIC_API_KEY');
    await openai.getByTestId('test-connection').click();
    await expect.poll(() => openai.getByTestId('test-result').innerText()).toMatch(/^Connected: \d+ models/);

    await pickModel(page, 'default-model', 'openai/gpt-4o-mini');
    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('model-picker').getAttribute('data-value')).toBe('openai/gpt-4o-mini');
    await pickModel(page, 'model-picker', 'openai/gpt-4.1');
    provider.enqueue(textReply('Answered by 4.1.'));
    await page.getByTestId('composer-input').fill('which model?');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('Answered by 4.1.');
    expect(provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['model']).toBe('gpt-4.1');
    await page.close();
  });

  it("edits a chat's system prompt and fallbacks, and prices a model", async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    await page.getByTestId('toggle-chat-settings').click();
    await page.getByTestId('system-prompt').fill('Answer in French.');
    await page.getByTestId('add-fallback').click();
    await expect.poll(() => page.getByTestId('fallback-0').count()).toBe(1);
    provider.enqueue(textReply('Bonjour.'));
    await page.getByTestId('composer-input').fill('hello');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('Bonjour.');
    expect(provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages']).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'hello' },
    ]);

    await page.getByTestId('open-settings').click();
    const prices = page.getByTestId('price-overrides');
    await prices.getByLabel('Input price per million tokens', { exact: true }).fill('2');
    await prices.getByLabel('Output price per million tokens', { exact: true }).fill('8');
    await prices.getByTestId('save-price').click();
    await expect.poll(() => prices.innerText()).toContain('$8');
    await page.close();
  });

  it('shows the tools the agent used, live and after a reload', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'call_9', name: 'coda__evaluate_math', arguments: '{"expression":"2^10"}' } }] },
      textReply('2^10 is 1024.'),
    );
    await page.getByTestId('composer-input').fill('What is 2^10?');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('2^10 is 1024.');
    const call = page.getByTestId('tool-call');
    await expect.poll(() => call.getAttribute('data-status')).toBe('success');
    await call.locator('summary').click();
    expect(await call.getByTestId('tool-output').innerText()).toContain('1024');
    await page.reload();
    await expect.poll(() => page.getByTestId('tool-call').getAttribute('data-status')).toBe('success');
    expect(await page.getByTestId('tool-call').innerText()).toMatch(/coda › evaluate_math\s*ok\s*ran \d+ ms/);
    await page.close();
  });

  it('adds an MCP server from a Claude Desktop config, confirms it, and asks before its tool runs', async () => {
    const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const page = await openApp();
    const card = await importServer(page, 'everything', { command: process.execPath, args: [everything, 'stdio'] });
    expect(await card.innerText()).toContain(everything);
    await card.getByTestId('confirm-server').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    // The same config again: said beside Import, and nothing is added twice.
    await page.getByTestId('claude-config').fill(JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } }));
    await page.getByTestId('import-claude').click();
    await expect.poll(() => page.getByTestId('import-error').innerText()).toContain('A tool server named "everything" is added already');
    expect(await page.getByTestId('tools-settings').locator('[data-testid^="tool-server-everything"]').count()).toBe(1);

    await page.getByTestId('new-chat').click();
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'echo_1', name: 'everything__echo', arguments: '{"message":"ping"}' } }] },
      textReply('It said ping.'),
    );
    await page.getByTestId('composer-input').fill('echo ping');
    await page.getByTestId('composer-input').press('Enter');
    const approval = page.getByTestId('approval');
    await expect.poll(() => approval.count()).toBe(1);
    expect(await approval.innerText()).toContain('"message": "ping"');
    // The focus moves to the request (not to its Allow button); Tab reaches Allow, and the keyboard alone answers.
    await expect.poll(() => page.locator('[data-testid="approval"]:focus').count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(await page.locator('[data-testid="approve"]:focus').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('It said ping.');
    await expect.poll(() => page.getByTestId('tool-call').getAttribute('data-status')).toBe('success');

    // "Always allow" runs it, and the next call of that tool does not ask.
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'echo_2', name: 'everything__echo', arguments: '{"message":"again"}' } }] },
      textReply('Again.'),
    );
    await page.getByTestId('composer-input').fill('echo again');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => approval.count()).toBe(1);
    await approval.getByTestId('always-allow').click();
    await expect.poll(() => assistantText(page).innerText()).toBe('Again.');
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'echo_3', name: 'everything__echo', arguments: '{"message":"third"}' } }] },
      textReply('Third, unasked.'),
    );
    await page.getByTestId('composer-input').fill('echo a third time');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('Third, unasked.');
    expect(await page.getByTestId('tool-call').last().getAttribute('data-status')).toBe('success');

    // Its prompts are slash commands, its resources attachments.
    await page.getByTestId('composer-input').fill('/');
    const prompts = page.getByTestId('prompt-list');
    await expect.poll(() => prompts.locator('button').count()).toBeGreaterThan(0);
    await prompts.locator('button').filter({ hasText: 'simple' }).first().click();
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).not.toBe('/');
    await page.getByTestId('attach').click();
    await page.getByTestId('resource-list').locator('button').first().click();
    await expect.poll(() => page.getByTestId('attached-resource').count()).toBe(1);
    provider.enqueue(textReply('Read the attachment.'));
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => assistantText(page).innerText()).toBe('Read the attachment.');
    expect(await page.getByTestId('message-files').count()).toBe(1);
    const sent = provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { content: string }[];
    expect(sent.at(-1)?.content).toContain('[Attached: ');
    await page.close();
  });

  it('adds an OpenAPI service as tools from Settings', async () => {
    const service = await startOpenApiService('browser-token');
    try {
      const page = await openApp();
      await page.getByTestId('open-settings').click();
      await page.getByLabel('Kind of server').selectOption('openapi');
      await page.getByLabel('Server name').fill('Inventory');
      await page.getByLabel('OpenAPI description address').fill(`${service.url}/openapi.yaml`);
      await page.getByLabel('Bearer token').fill('browser-token');
      expect(await page.getByTestId('secrets-note').innerText()).toContain('kept only until Coda quits');
      await page.getByTestId('add-server').click();
      const card = page.getByTestId('tool-server-inventory');
      await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('not started: confirm below');
      expect(await card.innerText()).toContain(`${service.url}/openapi.yaml`);
      expect(await card.innerText()).not.toContain('browser-token');
      expect(await card.getByTestId('credential-text').allInnerTexts()).toEqual(['Bearer token: saved, ends in oken']);
      await card.getByTestId('confirm-server').click();
      await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
      await expect.poll(() => card.locator('code').allInnerTexts()).toEqual(['getItem', 'createItem', 'broken']);
      await page.close();
    } finally {
      await service.close();
    }
  });

  it('refuses sockets without the token or from another origin, and survives invalid payloads', async () => {
    const wsUrl = `${app.serve.origin.replace('http', 'ws')}/ws`;
    // Refused in the handshake, with an HTTP status: never a 101 and a close after.
    const refusal = (url: string, origin?: string) =>
      new Promise<number | 'opened'>((resolve) => {
        const socket = new WebSocket(url, origin ? { origin } : {});
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve('opened'));
        socket.on('error', () => undefined);
      });
    expect(await refusal(wsUrl)).toBe(401);
    expect(await refusal(`${wsUrl}?token=wrong`)).toBe(401);
    expect(await refusal(`${wsUrl}?token=${app.serve.token}`, 'http://evil.example')).toBe(403);

    const socket = new WebSocket(`${wsUrl}?token=${app.serve.token}`, { origin: app.serve.origin });
    const replies: unknown[] = [];
    socket.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString())));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send('garbage');
    socket.send(JSON.stringify({ type: 'invoke', id: 1, method: 'sessions.rename', input: { id: 5 } }));
    socket.send(JSON.stringify({ type: 'invoke', id: 2, method: 'app.info', input: {} }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies[0]).toMatchObject({ type: 'protocol-error', error: { code: 'validation' } });
    expect(replies[1]).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { code: 'validation' } } });
    expect(replies[2]).toMatchObject({ type: 'result', id: 2, result: { ok: true } });
    socket.close();

    // Requests with a foreign Host header (DNS rebinding) are refused.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.get(`${app.serve.origin}/`, { headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
    });
    expect(status).toBe(421);

    // A page with someone else's token says so (it cannot read the handshake's 401, so it asks), and stops retrying.
    const stranger = await app.browser.newPage();
    await stranger.goto(`${app.serve.origin}/?token=not-the-token`);
    await expect.poll(() => stranger.getByTestId('access-refused').count()).toBe(1);
    // Only that, and how to get a working link: none of the app around it.
    expect(await stranger.getByTestId('access-refused').innerText()).toContain('Open the address coda serve printed');
    expect(await stranger.getByTestId('new-chat').count()).toBe(0);
    await stranger.close();
  });
});
