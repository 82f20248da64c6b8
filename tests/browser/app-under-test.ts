import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { tempDir } from '../helpers/core.js';
import { ScriptedProviderServer } from '../provider-server/server.js';
import { launchChromium } from './browser.js';
import { startServe, type ServeProcess } from './serve-process.js';

/** Serve mode on a fresh data folder, the scripted provider behind it, and Chromium to drive it: one per test file. */
export interface AppUnderTest {
  browser: Browser;
  provider: ScriptedProviderServer;
  serve: ServeProcess;
  dataDir: string;
  /** The environment serve mode runs with (provider keys and addresses), for a restart. */
  env: Record<string, string>;
  /** A new tab on the app; `problems` collects page errors and console errors (socket reconnects aside). */
  openApp(): Promise<Page & { problems: string[] }>;
  restartServe(): Promise<void>;
  stop(): Promise<void>;
}

/** `env`: serve mode's environment instead of an OpenAI key for the scripted server (e.g. no provider at all). */
export async function startAppUnderTest(prefix: string, options: { env?: Record<string, string> } = {}): Promise<AppUnderTest> {
  const provider = await new ScriptedProviderServer().listen();
  const data = await tempDir(prefix);
  const env = options.env ?? { OPENAI_API_KEY: 'sk-browser-test', OPENAI_BASE_URL: provider.openaiBaseUrl };
  const app: AppUnderTest = {
    browser: await launchChromium(),
    provider,
    serve: await startServe(data.dir, env),
    dataDir: data.dir,
    env,
    async openApp() {
      const page = Object.assign(await app.browser.newPage(), { problems: [] as string[] });
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => page.problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().includes('WebSocket')) page.problems.push(message.text());
      });
      await page.goto(app.serve.url);
      return page;
    },
    async restartServe() {
      await app.serve.stop();
      app.serve = await startServe(data.dir, env);
    },
    async stop() {
      await app.browser.close();
      await app.serve.stop();
      await provider.close();
      await data.remove();
    },
  };
  return app;
}

/**
 * Opens Settings › Tools and imports one server from a Claude Desktop config, once the page's first load is done;
 * returns its card, not started yet (the test confirms it).
 */
export async function importServer(page: Page, id: string, entry: { command: string; args: string[] }): Promise<Locator> {
  await page.getByTestId('open-settings').click();
  await expect.poll(() => page.getByTestId('tool-server-coda').getByTestId('server-status').innerText()).toBe('ready');
  await page.getByTestId('claude-config').fill(JSON.stringify({ mcpServers: { [id]: entry } }));
  await page.getByTestId('import-claude').click();
  const card = page.getByTestId(`tool-server-${id}`);
  await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('not started: confirm below');
  return card;
}

/** Chooses a model in a model picker (its test id) the way a user does: open it, type part of the id, click it. */
export async function pickModel(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByTestId(`${testId}-search`).fill(value.slice(value.indexOf('/') + 1));
  await page.locator(`[role="option"][data-value="${value}"]`).click();
  await expect.poll(() => page.getByTestId(testId).getAttribute('data-value')).toBe(value);
}
