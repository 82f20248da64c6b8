import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthMcpServer } from '../fixtures/oauth-mcp-server.js';
import { tempDir } from '../helpers/core.js';
import { launchChromium } from './browser.js';
import { startServe, type ServeProcess } from './serve-process.js';

let browser: Browser;
let data: Awaited<ReturnType<typeof tempDir>>;
let serve: ServeProcess;
let remote: Awaited<ReturnType<typeof startOAuthMcpServer>>;

beforeAll(async () => {
  remote = await startOAuthMcpServer();
  data = await tempDir('coda-browser-oauth-');
  serve = await startServe(data.dir, { OPENAI_API_KEY: 'sk-browser-test' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await remote?.close();
  await data?.remove();
});

describe('a remote MCP server behind OAuth, in Settings › Tools', () => {
  it('asks to sign in, signs in through the browser, shows the tools, and signs out', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(serve.url);
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Kind of server').selectOption('http');
    await page.getByLabel('Server name').fill('Remote');
    await page.getByLabel('MCP endpoint').fill(remote.url);
    await expect.poll(() => page.getByTestId('add-server').isEnabled()).toBe(true);
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-remote');
    await expect
      .poll(async () => ((await page.getByTestId('tools-error').count()) ? await page.getByTestId('tools-error').innerText() : card.count()))
      .toBe(1);
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('not started: confirm below');
    await card.getByTestId('confirm-server').click({ timeout: 20_000 });

    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('sign-in needed');
    expect(await card.getByTestId('sign-in-needed').innerText()).toContain('Remote asks you to sign in');

    // The link opens the authorization server in a new tab; it approves and hands the code to Coda's listener.
    const [signInTab] = await Promise.all([page.context().waitForEvent('page'), card.getByTestId('sign-in-link').click()]);
    await signInTab.waitForLoadState();
    await expect.poll(() => signInTab.locator('body').innerText()).toContain('Signed in to Remote');
    expect(new URL(signInTab.url()).hostname).toBe('127.0.0.1');

    // Settings updates by itself.
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    expect(await card.getByTestId('signed-in').innerText()).toBe('Signed in (OAuth)');
    expect(await card.locator('code').allInnerTexts()).toEqual(['whoami']);
    expect(remote.state.authorizations).toBe(1);

    await card.getByTestId('sign-out').click();
    await expect.poll(() => card.getByTestId('signed-in').count()).toBe(0);
    await signInTab.close();
    await page.close();
  });
});
