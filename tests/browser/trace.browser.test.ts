import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-browser-trace-');
});

afterAll(async () => {
  await app?.stop();
});

describe('the timing waterfall', () => {
  it('shows an answer’s spans nested, with durations, and marks the tool call that failed', async () => {
    // A page of its own context, as axe needs to run in.
    const context = await app.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(app.serve.url);
    await page.getByTestId('new-chat').click();
    // The model calls a tool no server has: the call fails, and the model answers without it.
    app.provider.enqueue(
      { kind: 'stream', steps: [{ text: 'Looking.' }, { toolCall: { id: 'x', name: 'nowhere__lookup', arguments: '{}' } }] },
      textReply('It is not there.'),
    );
    await page.getByTestId('composer-input').fill('Look it up');
    await page.getByTestId('composer-input').press('Enter');
    const answer = page.getByTestId('message-assistant').last();
    await expect.poll(() => answer.getByTestId('message-text').innerText()).toContain('It is not there.');

    await answer.getByTestId('timing-toggle').click();
    const waterfall = answer.getByTestId('waterfall');
    const rows = waterfall.getByTestId('waterfall-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    const labels = await rows.evaluateAll((items) =>
      items.map((li) => [li.getAttribute('data-depth'), li.querySelector('.waterfall-label')?.textContent ?? '']),
    );
    // The answer first, everything it did under it.
    expect(labels[0]).toEqual(['0', 'Answer']);
    expect(labels.slice(1).every(([depth]) => Number(depth) >= 1)).toBe(true);
    expect(labels.map(([, name]) => name)).toEqual(expect.arrayContaining(['Build context', 'Model · gpt-4.1-mini', '✕Tool · nowhere › lookup']));
    // Every bar is labelled with its duration.
    const durations = await waterfall.getByTestId('waterfall-duration').allInnerTexts();
    expect(durations.length).toBe(labels.length);
    expect(durations.every((d) => /^\d+(\.\d+)? (ms|s)/.test(d))).toBe(true);
    // Only the failed call is marked, on its own row.
    const failed = waterfall.locator('[data-status="error"]');
    expect(await failed.count()).toBe(1);
    expect(await failed.getByTestId('waterfall-error').count()).toBe(1);
    expect(await failed.innerText()).toContain('Tool · nowhere › lookup');
    // Bars are drawn to scale inside their row: the answer's bar spans the whole track.
    const [rootBar] = await waterfall.getByTestId('waterfall-bar').evaluateAll((bars) => bars.map((b) => b.getAttribute('style') ?? ''));
    expect(rootBar).toContain('width: 100%');

    // Readable by everyone: no WCAG A/AA problem in the open waterfall (contrast of labels and marks included).
    const axe = await new AxeBuilder({ page }).include('[data-testid="waterfall"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // Database writes are there on request.
    await waterfall.getByTestId('waterfall-writes').check();
    await expect.poll(() => rows.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Save · messages')]));
    await answer.getByTestId('timing-toggle').click();
    expect(await answer.getByTestId('waterfall').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps timings for the days set in Settings › Data', async () => {
    const page = await app.openApp();
    await page.getByTestId('open-settings').click();
    const data = page.getByTestId('data-settings');
    const days = data.getByTestId('trace-retention');
    await expect.poll(() => days.inputValue()).toBe('30');
    await days.fill('0');
    await data.getByTestId('trace-retention-save').click();
    await expect.poll(() => data.getByTestId('trace-retention-note').innerText()).toContain('from 1 to 3650');
    await days.fill('7');
    await data.getByTestId('trace-retention-save').click();
    await expect.poll(() => data.getByTestId('trace-retention-note').innerText()).toContain('Saved');
    await page.reload();
    await page.getByTestId('open-settings').click();
    await expect.poll(() => page.getByTestId('trace-retention').inputValue()).toBe('7');
    await page.close();
  });
});
