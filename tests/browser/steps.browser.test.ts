import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-steps-');
});

afterAll(async () => {
  await app?.stop();
});

/** Script files of the code viewer the page has fetched so far (Monaco is in MonacoView's chunk). */
const monacoRequests = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string }[] } }).performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => /MonacoView|editor\.worker/.test(name)),
  );

/** A section toggle of the panel, by the start of its title. */
const section = (scope: Locator, title: string | RegExp) => scope.locator('.steps-section-toggle').filter({ hasText: title }).first();

/** Asks something the scripted model answers in two steps: it thinks, says why, calls a tool, then answers. */
async function askWithTool(page: Page, question: string, answerHold = 0) {
  app.provider.enqueue(
    {
      kind: 'stream',
      steps: [
        { reasoning: 'The user wants a power of two; ' },
        { reasoning: 'the math tool computes it exactly.' },
        { text: 'Let me compute that.' },
        { toolCall: { id: 'call_pow', name: 'coda__evaluate_math', arguments: '{"expression":"2^10"}' } },
      ],
    },
    {
      kind: 'stream',
      steps: [{ reasoning: 'The tool said 1024.' }, { text: '2^10 ' }, ...(answerHold ? [{ wait: answerHold }] : []), { text: 'is 1024.' }],
    },
  );
  await page.getByTestId('composer-input').fill(question);
  await page.getByTestId('composer-input').press('Enter');
}

describe('the Steps panel of an answer', () => {
  it('shows every step in order, live while the answer streams, with reasoning, arguments and results in Monaco', async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    await askWithTool(page, 'What is 2^10?', 4000);
    const answer = page.getByTestId('message-assistant').last();
    const toggle = answer.getByTestId('steps-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = answer.getByTestId('steps-panel');

    // Live: the tool's step is complete and the answer's step is being written while the answer still streams.
    await expect.poll(() => panel.getByTestId('step').count()).toBe(2);
    await expect.poll(() => panel.getByTestId('step').nth(1).innerText()).toContain('2^10');
    expect(await page.getByTestId('stop').count()).toBe(1);
    expect(await panel.innerText()).toContain('updating live');
    expect(await panel.getByTestId('step').nth(1).innerText()).not.toContain('is 1024.');

    await expect.poll(() => answer.getByTestId('message-text').innerText()).toBe('Let me compute that.\n\n2^10 is 1024.');
    await expect.poll(() => panel.innerText()).not.toContain('updating live');
    const [first, second] = [panel.getByTestId('step').nth(0), panel.getByTestId('step').nth(1)];
    expect(await first.locator('.steps-section-toggle').first().innerText()).toMatch(/Step 1 · chose a tool/);
    expect(await first.getByTestId('step-reasoning').innerText()).toContain('The user wants a power of two; the math tool computes it exactly.');
    expect(await first.getByTestId('step-reason').innerText()).toContain('Let me compute that.');
    expect(await second.locator('.steps-section-toggle').first().innerText()).toMatch(/Step 2 · answer/);
    expect(await second.getByTestId('step-reasoning').innerText()).toContain('The tool said 1024.');
    expect(await second.getByTestId('step-answer').innerText()).toContain('2^10 is 1024.');
    // While the panel is open it shows the calls: the compact list under the answer steps aside.
    expect(await answer.getByTestId('tool-calls').count()).toBe(0);
    // What each request sent unseen (the built-in tools' definitions), counted once the step is saved.
    await expect
      .poll(() => first.getByTestId('step-overhead').innerText())
      .toMatch(/^Also sent with this request, unseen: \d+ tool definitions \(≈ [\d,]+ tokens\)\.$/);
    // The answer's timing waterfall is the panel's last section.
    await section(panel, 'Timing').click();
    await expect.poll(() => panel.getByTestId('waterfall-row').count()).toBeGreaterThan(2);

    // The call, collapsed until asked for: no editor was loaded for a panel without an open call.
    const call = first.getByTestId('step-call');
    await expect.poll(() => call.getAttribute('data-status')).toBe('success');
    expect(await call.innerText()).toMatch(/coda › evaluate_math\s*ok/);
    expect(await monacoRequests(page)).toEqual([]);
    await section(call, 'coda › evaluate_math').click();
    const args = call.getByTestId('step-call-arguments-code');
    const result = call.getByTestId('step-call-result-code');
    await expect.poll(() => args.locator('.monaco-editor .view-lines').count()).toBe(1);
    await expect.poll(() => args.locator('.view-lines').innerText()).toMatch(/"expression":\s*"2\^10"/);
    await expect.poll(() => result.locator('.view-lines').innerText()).toContain('1024');
    expect((await monacoRequests(page)).length).toBeGreaterThan(0);
    expect(await call.locator('dd').first().innerText()).toBe('evaluate_math');
    // The call's evaluation (decision 0020) is in the panel too: its badges and, opened, its criteria.
    await expect.poll(() => call.getByTestId('badge-arguments').innerText()).toMatch(/valid/);
    expect(await call.getByTestId('tool-criteria').count()).toBe(1);
    // JSON is coloured as JSON, and the editor is read-only.
    expect(await args.getAttribute('data-language')).toBe('json');
    expect(await args.locator('.view-lines span[class*="mtk"]').count()).toBeGreaterThan(1);
    await args.locator('.view-lines').click();
    await page.keyboard.type('typed');
    expect(await args.locator('.view-lines').innerText()).not.toContain('typed');

    // Find: Monaco's own find widget, counting the matches.
    await result.getByTestId('code-view-find').click();
    const widget = result.locator('.find-widget');
    await expect.poll(() => widget.getAttribute('aria-hidden')).toBe('false');
    await page.keyboard.type('1024');
    await expect.poll(() => widget.locator('.matchesCount').innerText()).toMatch(/^1 of \d+$/);

    // The theme follows the app's.
    expect(await args.locator('.monaco-editor').getAttribute('class')).toContain(' vs');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => args.locator('.monaco-editor').getAttribute('class')).toContain('vs-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Closing the panel brings the compact call list back.
    await answer.getByTestId('steps-toggle').click();
    expect(await answer.getByTestId('steps-panel').count()).toBe(0);
    expect(await answer.getByTestId('tool-calls').count()).toBe(1);
    // Monaco's styles went into constructed stylesheets: the strict CSP refused nothing.
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it("keeps each answer's panel and sections as the user left them, across reopening the chat and a reload", async () => {
    const page = await app.openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueueCompletion({ kind: 'completion', text: 'Kept Panels' });
    await askWithTool(page, 'Powers of two?');
    const answers = page.getByTestId('message-assistant');
    await expect.poll(() => answers.last().getByTestId('message-text').innerText()).toBe('Let me compute that.\n\n2^10 is 1024.');
    app.provider.enqueue(textReply('Nothing else to compute.'));
    await page.getByTestId('composer-input').fill('Anything else?');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => answers.count()).toBe(2);
    await expect.poll(() => answers.last().getByTestId('message-text').innerText()).toBe('Nothing else to compute.');

    // The first answer: panel open, its call open, the reasoning of step 2 closed. The second stays closed.
    const first = answers.first();
    await first.getByTestId('steps-toggle').click();
    await section(first, 'coda › evaluate_math').click();
    await section(first.getByTestId('step').nth(1), 'Reasoning').click();
    const check = async (p: Page) => {
      const one = p.getByTestId('message-assistant').first();
      await expect.poll(() => one.getByTestId('steps-panel').count()).toBe(1);
      await expect.poll(() => one.getByTestId('step-call-result-code').locator('.view-lines').innerText()).toContain('1024');
      expect(await section(one.getByTestId('step').nth(1), 'Reasoning').getAttribute('aria-expanded')).toBe('false');
      expect(await section(one.getByTestId('step').nth(0), 'Reasoning').getAttribute('aria-expanded')).toBe('true');
      expect(await p.getByTestId('message-assistant').last().getByTestId('steps-panel').count()).toBe(0);
      expect(await p.getByTestId('message-assistant').last().getByTestId('steps-toggle').getAttribute('aria-expanded')).toBe('false');
    };
    await check(page);

    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(0);
    await page.getByTestId('session-row').filter({ hasText: 'Kept Panels' }).getByRole('button', { name: 'Kept Panels' }).click();
    await check(page);
    await page.reload();
    await check(page);

    // Beside the chat on a wide window (from 1440 px; at 1280 the chat would be left too narrow), and back under the answer.
    expect(await page.getByTestId('steps-dock').count()).toBe(0);
    await page.setViewportSize({ width: 1600, height: 800 });
    await page.getByTestId('message-assistant').first().getByTestId('steps-dock').click();
    const side = page.locator('.steps-side[data-testid="steps-panel"]');
    await expect.poll(() => side.count()).toBe(1);
    expect(await page.getByTestId('message-assistant').first().getByTestId('steps-panel').count()).toBe(0);
    expect(await side.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { position: string } }).getComputedStyle(el).position)).toBe(
      'fixed',
    );
    await expect.poll(() => side.getByTestId('step-call-result-code').locator('.view-lines').innerText()).toContain('1024');
    // The conversation makes room: the composer is not under the panel.
    const [composer, panelBox] = [await page.getByTestId('composer-input').boundingBox(), await side.boundingBox()];
    expect(composer!.x + composer!.width).toBeLessThanOrEqual(panelBox!.x);
    // The focus moved with the panel, and Escape closes it there.
    expect(
      await side.getByTestId('steps-dock').evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => side.count()).toBe(0);
    await page.getByTestId('message-assistant').first().getByTestId('steps-toggle').click();
    await expect.poll(() => side.count()).toBe(1);
    await side.getByTestId('steps-dock').click();
    await expect.poll(() => page.getByTestId('message-assistant').first().getByTestId('steps-panel').count()).toBe(1);
    expect(await side.count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('is usable from the keyboard, at 360 px, and has no WCAG A/AA violations in light and dark', async () => {
    for (const [scheme, width] of [
      ['light', 1280],
      ['dark', 360],
    ] as const) {
      const context = await app.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(app.serve.url);
      // The app opens on a new chat (at 360 px the sidebar and its New chat button are folded away).
      await askWithTool(page, `Keyboard in ${scheme}`);
      const answer = page.getByTestId('message-assistant').last();
      await expect.poll(() => answer.getByTestId('message-text').innerText()).toBe('Let me compute that.\n\n2^10 is 1024.');
      // Keyboard only: focus the toggle, open the panel with Enter, then a call with Space.
      await answer.getByTestId('steps-toggle').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => answer.getByTestId('steps-panel').count()).toBe(1);
      await section(answer, 'coda › evaluate_math').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => answer.getByTestId('step-call-result-code').locator('.view-lines').innerText()).toContain('1024');
      // Nothing sticks out of a narrow window.
      expect(
        await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(width);
      const result = await new AxeBuilder({ page }).include('[data-testid="steps-panel"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(result.violations.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await context.close();
    }
  });
});
