import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec, startOpenApiService } from '../fixtures/openapi-service.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Where an OpenAPI service's calls (and its token) go, in Settings › Tools: shown before it starts, and asked again
// when its description starts naming another origin.

const TOKEN = 'browser-origin-token-4321';
let app: AppUnderTest;
let home: Awaited<ReturnType<typeof startOpenApiService>>;
let elsewhere: Awaited<ReturnType<typeof startOpenApiService>>;

beforeAll(async () => {
  home = await startOpenApiService(TOKEN);
  elsewhere = await startOpenApiService(TOKEN);
  app = await startAppUnderTest('coda-browser-origin-');
});

afterAll(async () => {
  await app?.stop();
  await home?.close();
  await elsewhere?.close();
});

describe('the origin of an OpenAPI service in Settings › Tools', () => {
  it('is shown before it starts, and a new one waits for the user to confirm it', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Kind of server').selectOption('openapi');
    await page.getByLabel('Server name').fill('Inventory');
    await page.getByLabel('OpenAPI description address').fill(`${home.url}/openapi.yaml`);
    await page.getByLabel('Bearer token').fill(TOKEN);
    await page.getByTestId('add-server').click();
    const card = page.getByTestId('tool-server-inventory');
    await expect.poll(() => card.getByTestId('server-origin').innerText()).toBe(home.url);
    await card.getByTestId('confirm-server').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');

    home.describe(spec.replace('servers: [{ url: /api }]', `servers: [{ url: '${elsewhere.url}/api' }]`));
    await card.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('needs confirmation');
    const change = card.getByTestId('origin-change');
    expect(await change.innerText()).toContain(`Its description now sends calls to ${elsewhere.url} instead of ${home.url}`);
    expect(await card.getByRole('alert').innerText()).toContain(`changed from ${home.url} to ${elsewhere.url}`);
    expect(elsewhere.requests).toEqual([]);

    await card.getByTestId('confirm-origin').click();
    await expect.poll(() => card.getByTestId('server-status').innerText()).toBe('ready');
    expect(await card.getByTestId('server-origin').innerText()).toBe(elsewhere.url);
    expect(await change.count()).toBe(0);
    expect(await card.innerText()).not.toContain(TOKEN);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
