import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthMcpServer } from '../fixtures/oauth-mcp-server.js';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

let app: AppUnderTest;
let remote: Awaited<ReturnType<typeof startOAuthMcpServer>>;

beforeAll(async () => {
  remote = await startOAuthMcpServer();
  app = await startAppUnderTest('coda-browser-oauth-');
});

afterAll(async () => {
  await app?.stop();
  await remote?.close();
});

describe('a remote MCP server behind OAuth, in Settings › Tools', () => {
  it('asks to sign in, signs in through the browser, shows the tools, and signs out', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Kind of server').selectOption('http');
    await page.getByLabel('Server name').fill('Remote');
    await page.getByLabel('MCP endpoint').fill(remote.url);
    await expect.poll(() => page.getByTestId('add-server').isEnabled()).toBe(true);
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-remote');
    await expect
      .poll(async () => ((await page.getByTestId('add-server-error').count()) ? await page.getByTestId('add-server-error').innerText() : card.count()))
      .toBe(1);
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('not started: confirm below');
    await card.getByTestId('confirm-server').click({ timeout: 20_000 });

    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('sign-in needed');
    expect(await card.getByTestId('sign-in-needed').innerText()).toContain('Remote asks you to sign in');

    // A chat meanwhile says the server's tools are missing and why, with the way to Settings.
    app.provider.enqueue(textReply('Nothing remote for now.'));
    await page.getByTestId('new-chat').click();
    await page.getByTestId('composer-input').fill('Who am I on the remote server?');
    await page.getByTestId('composer-input').press('Enter');
    const note = page.getByTestId('tools-unavailable');
    await expect.poll(() => note.innerText()).toContain('Remote needs you to sign in, so its tools were not available.');
    await note.getByRole('button', { name: 'Open Settings › Tools' }).click();

    // The link opens the authorization server in a new tab; it approves and hands the code to Coda's listener.
    const [signInTab] = await Promise.all([page.context().waitForEvent('page'), card.getByTestId('sign-in-link').click()]);
    await signInTab.waitForLoadState();
    await expect.poll(() => signInTab.locator('body').innerText()).toContain('Signed in to Remote');
    expect(new URL(signInTab.url()).hostname).toBe('127.0.0.1');

    // Settings updates by itself.
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    expect(await card.getByTestId('signed-in').innerText()).toBe('Signed in (OAuth)');
    await expect.poll(() => card.locator('code').allInnerTexts()).toEqual(['whoami']);
    expect(remote.state.authorizations).toBe(1);

    await card.getByTestId('sign-out').click();
    await expect.poll(() => card.getByTestId('signed-in').count()).toBe(0);

    // A server used as a service needs its client's secret or key; the form says so before anything is saved.
    // (Settings was opened afresh from the chat's note, so the form starts over.)
    await page.getByLabel('Kind of server').selectOption('http');
    await page.getByLabel('Server name').fill('Service');
    await page.getByLabel('MCP endpoint').fill(remote.url);
    await page.getByText('OAuth options').click();
    await page.getByLabel('How Coda signs in').selectOption('client_credentials');
    await page.getByLabel('OAuth client ID').fill('coda-service');
    expect(await page.getByLabel('OAuth private key').count()).toBe(1);
    expect(await page.getByLabel('OAuth callback port').count()).toBe(0);
    await page.getByTestId('add-server').click();
    // Said beside the Add button, where the user is looking.
    await expect.poll(() => page.getByTestId('add-server-error').innerText()).toContain('needs the client ID and its secret or private key');
    expect(await page.getByTestId('tool-server-service').count()).toBe(0);
    await signInTab.close();
    await page.close();
  });
});
