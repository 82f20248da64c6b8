import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHttpService } from '../fixtures/mcp-http-service.js';
import { startOpenApiService } from '../fixtures/openapi-service.js';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Saved secrets of a tool server in Settings › Tools: shown only as a hint, replaced in place from the card.

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const NEW_TOKEN = 'rotated-token-5678';
const QUERY_KEY = 'sk-browser-query-abcd';
const ROTATED_KEY = 'sk-browser-rotated-wxyz';

let app: AppUnderTest;
let service: Awaited<ReturnType<typeof startOpenApiService>>;
let mcp: Awaited<ReturnType<typeof startMcpHttpService>>;

beforeAll(async () => {
  service = await startOpenApiService(NEW_TOKEN);
  mcp = await startMcpHttpService();
  app = await startAppUnderTest('coda-browser-secrets-');
});

afterAll(async () => {
  await app?.stop();
  await service?.close();
  await mcp?.close();
});

/** The api_key values the MCP server was called with. */
const sentKeys = () => mcp.urls.map((url) => new URL(url, mcp.url).searchParams.get('api_key'));

describe('tool server secrets in Settings › Tools', () => {
  it('replaces a rotated token from the server card, and the service gets the new one', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Kind of server').selectOption('openapi');
    await page.getByLabel('Server name').fill('Inventory');
    await page.getByLabel('OpenAPI description address').fill(`${service.url}/openapi.yaml`);
    await page.getByLabel('Bearer token').fill('old-token-1234');
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-inventory');
    await expect.poll(() => card.getByTestId('credential-text').allInnerTexts()).toEqual(['Bearer token: saved, ends in 1234']);
    await card.getByLabel('Trust its read-only tools (run without asking)').check();
    await card.getByTestId('confirm-server').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');

    // Cancel leaves everything as it was.
    await card.getByRole('button', { name: 'Replace the bearer token of Inventory' }).click();
    await card.getByLabel('New value of the bearer token for Inventory').fill('not-this-one');
    await card.getByRole('button', { name: 'Cancel replacing the bearer token' }).click();
    expect(await card.getByLabel('New value of the bearer token for Inventory').count()).toBe(0);

    await card.getByRole('button', { name: 'Replace the bearer token of Inventory' }).click();
    const input = card.getByLabel('New value of the bearer token for Inventory');
    expect(await input.inputValue()).toBe('');
    expect(await input.getAttribute('type')).toBe('password');
    const save = card.getByRole('button', { name: 'Save new value of the bearer token' });
    expect(await save.isDisabled()).toBe(true);
    await input.fill(NEW_TOKEN);
    await save.click();
    await expect.poll(() => card.getByTestId('credential-text').allInnerTexts()).toEqual(['Bearer token: saved, ends in 5678']);
    // The list can refresh (a server event) a moment before the editor closes.
    await expect.poll(() => input.count()).toBe(0);
    expect(await card.innerText()).not.toContain(NEW_TOKEN);
    expect(await card.getByTestId('server-status').innerText()).toBe('ready');

    // A call now carries the new token: the service answers instead of refusing with 401.
    service.requests.length = 0;
    app.provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'i', name: 'inventory__getItem', arguments: '{"id":7}' } }] },
      textReply('Item 7 is a widget.'),
    );
    await page.getByTestId('new-chat').click();
    await page.getByTestId('composer-input').fill('What is item 7?');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-assistant').last().getByTestId('message-text').innerText()).toBe('Item 7 is a widget.');
    const sent = app.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[];
    expect(sent.find((m) => m.role === 'tool')?.content).toContain('widget');
    expect(service.requests.some((r) => r.url === '/api/items/7')).toBe(true);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('shows a command’s secret variable as a hint beside the rest of its environment, before it starts', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Server name').fill('Everything');
    await page.getByLabel('Command', { exact: true }).fill(process.execPath);
    await page.getByLabel('Arguments').fill(`${everything}\nstdio`);
    await page.getByLabel('Environment').fill('GITHUB_TOKEN=ghp_browser-secret-ab12\nLOG_LEVEL=debug');
    expect(await page.getByTestId('secrets-note').innerText()).toContain('Variables whose name looks secret');
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-everything');
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('not started: confirm below');
    expect(await card.getByTestId('server-env').innerText()).toBe('LOG_LEVEL=debug');
    expect(await card.getByTestId('credential-text').allInnerTexts()).toEqual(['GITHUB_TOKEN = saved, ends in ab12']);
    expect(await card.innerText()).not.toContain('ghp_browser-secret');
    expect(await card.getByRole('button', { name: 'Replace GITHUB_TOKEN of Everything' }).count()).toBe(1);
    await card.getByRole('button', { name: 'Remove' }).click();
    // Removing asks first, naming the server.
    expect(await card.count()).toBe(1);
    await card.getByTestId('confirm-remove-server').click();
    await expect.poll(() => card.count()).toBe(0);
    await page.close();
  });

  it('shows a key in an MCP server’s address masked, and replaces it from the card', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Kind of server').selectOption('http');
    await page.getByLabel('Server name').fill('Hosted');
    await page.getByLabel('MCP endpoint').fill(`${mcp.url}?api_key=${QUERY_KEY}&region=eu`);
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-hosted');
    await expect.poll(() => card.getByTestId('server-url').innerText()).toBe(`${mcp.url}?region=eu&api_key=••••abcd`);
    expect(await card.getByTestId('credential-text').allInnerTexts()).toEqual(['Query parameter api_key: saved, ends in abcd']);
    expect(await card.innerText()).not.toContain(QUERY_KEY);

    await card.getByTestId('confirm-server').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    // The server itself gets the whole address.
    expect(sentKeys()).toContain(QUERY_KEY);

    mcp.urls.length = 0;
    await card.getByRole('button', { name: 'Replace the api_key query parameter of Hosted' }).click();
    await card.getByLabel('New value of the api_key query parameter for Hosted').fill(ROTATED_KEY);
    await card.getByRole('button', { name: 'Save new value of the api_key query parameter' }).click();
    await expect.poll(() => card.getByTestId('server-url').innerText()).toBe(`${mcp.url}?region=eu&api_key=••••wxyz`);
    expect(await card.getByTestId('credential-text').allInnerTexts()).toEqual(['Query parameter api_key: saved, ends in wxyz']);
    expect(await card.innerText()).not.toContain(ROTATED_KEY);
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    expect(sentKeys()).toContain(ROTATED_KEY);
    expect(sentKeys()).not.toContain(QUERY_KEY);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
