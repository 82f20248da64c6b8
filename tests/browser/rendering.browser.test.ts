import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../provider-server/script.js';
import { startAppUnderTest, type AppUnderTest } from './app-under-test.js';

let app: AppUnderTest;
let context: BrowserContext;

beforeAll(async () => {
  app = await startAppUnderTest('coda-rendering-');
  // The copy buttons write to the clipboard; the test reads it back as a paste would.
  context = await app.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
});

afterAll(async () => {
  await context?.close();
  await app?.stop();
});

/** A new tab with clipboard access; `problems` collects page errors and console errors (socket reconnects aside). */
async function openApp(): Promise<Page & { problems: string[] }> {
  const page = Object.assign(await context.newPage(), { problems: [] as string[] });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => page.problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('WebSocket')) page.problems.push(message.text());
  });
  await page.goto(app.serve.url);
  return page;
}

/** Opens a new chat, has the model answer `answer`, and returns the answer's element once it is complete. */
async function ask(page: Page, answer: string) {
  await page.getByTestId('new-chat').click();
  app.provider.enqueue(textReply(answer));
  await page.getByTestId('composer-input').fill('Show me');
  await page.getByTestId('composer-input').press('Enter');
  const message = page.getByTestId('message-assistant').last();
  await expect.poll(() => message.getAttribute('data-status')).toBe('complete');
  return message;
}

/** The page's globals these tests read inside page functions (the tests compile without the DOM library). */
interface PageGlobals {
  navigator: { clipboard: { readText(): Promise<string> } };
  getComputedStyle(element: unknown): { color: string; overflowX: string };
  location: { origin: string };
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
  getSelection(): { toString(): string } | null;
  pwned?: unknown;
}

const clipboard = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());

const PYTHON = 'def greet(name):\n    """Say hello."""\n    return f"Hello, {name}!"  # \\n stays';
const LONG = Array.from({ length: 40 }, (_, i) => `const line${i} = ${i};`).join('\n');

describe('answers as the reader sees them', () => {
  it('highlights code with a language label, copies the exact code, and folds long blocks', async () => {
    const page = await openApp();
    const message = await ask(page, `Here:\n\n\`\`\`python\n${PYTHON}\n\`\`\`\n\nAnd a long one:\n\n\`\`\`ts\n${LONG}\n\`\`\`\n\n\`\`\`\nno language\n\`\`\``);
    const blocks = message.getByTestId('code-block');
    await expect.poll(() => blocks.count()).toBe(3);
    expect(await blocks.getByTestId('code-lang').allInnerTexts()).toEqual(['python', 'ts', 'text']);

    const python = blocks.nth(0);
    await expect.poll(() => python.getAttribute('data-highlighted')).toBe('true');
    // Colored: the tokens carry more than one color, and the theme follows the system's light or dark setting.
    const colors = () =>
      python.locator('.code-token').evaluateAll((spans) => [...new Set(spans.map((s) => (globalThis as unknown as PageGlobals).getComputedStyle(s).color))]);
    const light = await colors();
    expect(light.length).toBeGreaterThan(2);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colors();
    expect(dark.length).toBeGreaterThan(2);
    expect(dark).not.toEqual(light);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await python.locator('pre').innerText()).toBe(PYTHON);

    await python.getByTestId('copy-code').click();
    await expect.poll(() => python.getByTestId('copy-code').innerText()).toBe('Copied');
    expect(await clipboard(page)).toBe(PYTHON);

    // Opened again (not watched while it streamed), the long block starts folded to its first 30 lines.
    await page.reload();
    const long = page.getByTestId('message-assistant').last().getByTestId('code-block').nth(1);
    await expect.poll(() => long.getAttribute('data-highlighted')).toBe('true');
    expect((await long.locator('pre').innerText()).split('\n')).toHaveLength(30);
    expect(await long.getByTestId('code-fold').innerText()).toBe('Show all 40 lines');
    // Copy takes the whole block, folded or not.
    await long.getByTestId('copy-code').click();
    await expect.poll(() => clipboard(page)).toBe(LONG);
    await long.getByTestId('code-fold').click();
    expect(await long.locator('pre').innerText()).toBe(LONG);
    expect(await long.getByTestId('code-fold').innerText()).toBe('Show fewer lines');

    // A block without a language is shown plain, still with its label and copy button.
    expect(await blocks.nth(2).locator('pre').innerText()).toBe('no language');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('typesets math in all four notations and keeps backslashes such as \\,', async () => {
    const page = await openApp();
    const message = await ask(
      page,
      'Inline \\(3\\,\\text{m/s}\\) and $x^2$, a price of 5 in `\\(code\\)`.\n\n$$\n\\int_0^1 x\\,dx\n$$\n\n\\[\ny = \\frac{1}{2}\n\\]',
    );
    await expect.poll(() => message.locator('.katex').count()).toBe(4);
    expect(await message.locator('.katex-display').count()).toBe(2);
    const tex = await message.locator('.katex annotation').allTextContents();
    expect(tex).toEqual(['3\\,\\text{m/s}', 'x^2', '\\int_0^1 x\\,dx', 'y = \\frac{1}{2}']);
    // Code is left as it was written.
    expect(await message.locator('code').filter({ hasText: 'code' }).first().innerText()).toBe('\\(code\\)');
    // KaTeX's stylesheet and fonts come from the app itself (the CSP allows nothing else).
    const katexFonts = () =>
      page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals & { performance: { getEntriesByType(type: string): { name: string }[] } };
        const katex = page.performance.getEntriesByType('resource').filter((entry) => entry.name.includes('KaTeX_'));
        return { loaded: katex.length, fromApp: katex.every((entry) => entry.name.startsWith(page.location.origin)) };
      });
    await expect.poll(async () => (await katexFonts()).loaded).toBeGreaterThan(0);
    expect((await katexFonts()).fromApp).toBe(true);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('draws a Mermaid diagram as an image, and shows a broken one as its source with the error', async () => {
    const page = await openApp();
    const message = await ask(page, 'A flow:\n\n```mermaid\ngraph TD\n  Start --> Stop\n```\n\nA broken one:\n\n```mermaid\ngraph TD\n  A -->\n```');
    const image = message.getByTestId('mermaid-diagram').locator('img');
    await expect.poll(() => image.count(), { timeout: 20_000 }).toBe(1);
    expect(await image.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await expect
      .poll(() =>
        image.evaluate((img) => {
          const picture = img as unknown as { complete: boolean; naturalWidth: number };
          return picture.complete && picture.naturalWidth > 0;
        }),
      )
      .toBe(true);
    // The diagram is a picture: no live SVG from the model in the page.
    expect(await message.getByTestId('message-text').locator('svg').count()).toBe(0);
    // Switching the system to dark draws it again in mermaid's dark theme.
    const light = await image.getAttribute('src');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => image.getAttribute('src'), { timeout: 20_000 }).not.toBe(light);
    await page.emulateMedia({ colorScheme: 'light' });
    const broken = message.getByTestId('mermaid-error');
    await expect.poll(() => broken.count(), { timeout: 20_000 }).toBe(1);
    expect(await broken.locator('pre').innerText()).toBe('graph TD\n  A -->');
    expect(await broken.innerText()).toContain('could not be drawn');
    // Mermaid measures its labels in the page before the picture is made; the CSP refuses the style attributes it
    // sets there (reported, harmless: the picture carries its own styles). Nothing else may go wrong.
    expect(page.problems.filter((problem) => !problem.startsWith('Applying inline style violates'))).toEqual([]);
    await page.close();
  });

  it('runs nothing the model writes: scripts, event handlers and javascript: links in Markdown or diagrams', async () => {
    const page = await openApp();
    const hostile = [
      '<script>window.pwned = "script"</script>',
      '',
      '<img src=x onerror="window.pwned = \'img\'">',
      '',
      '[click me](javascript:window.pwned="link") and [a file](file:///etc/passwd) and [web](https://example.com/) and [mail](mailto:a@example.com) and [the app](#/settings)',
      '',
      'Math with a link: $\\href{javascript:window.pwned=5}{tex link}$',
      '',
      '```mermaid',
      'graph TD',
      '  A["<img src=x onerror=window.pwned=1>"] --> B["<script>window.pwned=2</script>"]',
      '  click A "javascript:window.pwned=3"',
      '  click B callback',
      '```',
    ].join('\n');
    const message = await ask(page, hostile);
    await expect.poll(() => message.getByTestId('mermaid-diagram').or(message.getByTestId('mermaid-error')).count(), { timeout: 20_000 }).toBe(1);
    // Raw HTML shows as text; only http(s) and mailto links are links, opening outside the app.
    expect(await message.getByTestId('markdown').innerText()).toContain('<script>window.pwned = "script"</script>');
    expect(await message.locator('script, img[onerror], iframe, object, embed').count()).toBe(0);
    const links = message.getByTestId('markdown').locator('a');
    expect(await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]))).toEqual([
      ['https://example.com/', '_blank', 'noopener noreferrer'],
      ['mailto:a@example.com', '_blank', 'noopener noreferrer'],
    ]);
    await message.getByText('click me').click();
    await message.getByText('a file').click();
    const diagram = message.getByTestId('mermaid-diagram').locator('img');
    if ((await diagram.count()) > 0) await diagram.click();
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned)).toBeUndefined();
    expect(page.url()).toContain(app.serve.origin);
    await page.close();
  });

  it('scrolls a wide table inside the answer instead of widening the page', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 800, height: 700 });
    const header = `| ${Array.from({ length: 16 }, (_, i) => `Column number ${i}`).join(' | ')} |`;
    const rule = `|${'---|'.repeat(16)}`;
    const row = `| ${Array.from({ length: 16 }, (_, i) => `value ${i}`).join(' | ')} |`;
    const message = await ask(page, `A table:\n\n${header}\n${rule}\n${row}\n`);
    const scroller = message.getByTestId('table-scroll');
    await expect.poll(() => scroller.locator('table th').count()).toBe(16);
    const sizes = await scroller.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      overflow: (globalThis as unknown as PageGlobals).getComputedStyle(el).overflowX,
    }));
    expect(sizes.overflow).toBe('auto');
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(
      await page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return page.document.documentElement.scrollWidth <= page.innerWidth;
      }),
    ).toBe(true);
    await page.close();
  });

  it('copies an answer as Markdown or as plain text, and a question as written', async () => {
    const page = await openApp();
    const answer = '# Result\n\nSome **bold** and a [link](https://example.com).\n\n- one\n- two\n\n```js\nlet a = 1;\n```\n\nMath \\(a\\,b\\).';
    const message = await ask(page, answer);
    await message.getByTestId('copy-markdown').click();
    await expect.poll(() => clipboard(page)).toBe(answer);
    await message.getByTestId('copy-text').click();
    await expect.poll(() => clipboard(page)).toBe('Result\n\nSome bold and a link.\n\n• one\n• two\n\nlet a = 1;\n\nMath a\\,b.');
    // A question copies as it was written.
    await page.getByTestId('message-user').last().getByTestId('copy-question').click();
    await expect.poll(() => clipboard(page)).toBe('Show me');
    await page.close();
  });

  it('resolves reference links and footnotes defined elsewhere in the answer', async () => {
    const page = await openApp();
    const message = await ask(
      page,
      'Read [the guide][guide] first.[^1]\n\nThen the rest.\n\n[guide]: https://example.com/guide\n\n[^1]: Chapter one is enough.\n',
    );
    const markdown = message.getByTestId('markdown');
    await expect.poll(() => markdown.locator('a[href="https://example.com/guide"]').innerText()).toBe('the guide');
    expect(await markdown.innerText()).not.toContain('[the guide]');
    expect(await markdown.innerText()).not.toContain('[^1]');
    expect(await markdown.locator('sup a').count()).toBe(1);
    expect(await markdown.innerText()).toContain('Chapter one is enough.');
    // Following the footnote keeps the address, which holds the open chat.
    const address = page.url();
    await markdown.locator('sup a').click();
    expect(page.url()).toBe(address);
    await page.close();
  });

  it('keeps finished blocks in place while an answer streams, and highlights code once its block is done', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    const words = Array.from({ length: 120 }, (_, i) => ({ text: `word${i} ` }));
    app.provider.enqueue({
      kind: 'stream',
      steps: [{ text: 'First paragraph to select.\n\n```python\nx = 1\n' }, { wait: 1500 }, { text: 'y = 2\n```\n\n' }, ...words],
      stepDelayMs: 25,
    });
    await page.getByTestId('composer-input').fill('Stream please');
    await page.getByTestId('composer-input').press('Enter');
    const message = page.getByTestId('message-assistant').last();
    const code = message.getByTestId('code-block');
    await expect.poll(() => code.count()).toBe(1);
    // The block still being written is shown plain.
    expect(await code.getAttribute('data-highlighted')).toBe('false');
    // The reader selects text in the first paragraph; the selection survives the rest of the stream.
    await message.getByText('First paragraph to select.').selectText();
    await expect.poll(() => message.innerText()).toContain('word60');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).getSelection()?.toString())).toBe('First paragraph to select.');
    await expect.poll(() => code.getAttribute('data-highlighted')).toBe('true');
    expect(await code.locator('pre').innerText()).toBe('x = 1\ny = 2');
    await expect.poll(() => message.getAttribute('data-status')).toBe('complete');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('highlights a code block as soon as its closing fence arrives, while the answer is still streaming', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    app.provider.enqueue({ kind: 'stream', steps: [{ text: 'Here:\n\n```js\nconst a = 1;\n```\n' }, { wait: 4000 }, { text: 'Done.' }] });
    await page.getByTestId('composer-input').fill('Code, then a pause');
    await page.getByTestId('composer-input').press('Enter');
    const message = page.getByTestId('message-assistant').last();
    await expect.poll(() => message.getByTestId('code-block').getAttribute('data-highlighted')).toBe('true');
    // Still the last block of an answer that has not finished.
    expect(await message.getAttribute('data-status')).toBe('streaming');
    expect(await message.innerText()).not.toContain('Done.');
    await expect.poll(() => message.getAttribute('data-status')).toBe('complete');
    await page.close();
  });

  it('leaves a long block the reader watched stream unfolded, and folds it when the chat is opened again', async () => {
    const page = await openApp();
    await page.getByTestId('new-chat').click();
    const lines = Array.from({ length: 35 }, (_, i) => ({ text: `print(${i})\n` }));
    app.provider.enqueue({ kind: 'stream', steps: [{ text: '```python\n' }, ...lines, { text: '```\n\nDone.' }], stepDelayMs: 30 });
    await page.getByTestId('composer-input').fill('Count');
    await page.getByTestId('composer-input').press('Enter');
    const message = page.getByTestId('message-assistant').last();
    await expect.poll(() => message.getAttribute('data-status')).toBe('complete');
    const block = message.getByTestId('code-block');
    await expect.poll(() => block.getAttribute('data-highlighted')).toBe('true');
    expect((await block.locator('pre').innerText()).split('\n')).toHaveLength(35);
    expect(await block.getByTestId('code-fold').innerText()).toBe('Show fewer lines');

    await page.reload();
    const again = page.getByTestId('message-assistant').last().getByTestId('code-block');
    await expect.poll(() => again.getByTestId('code-fold').innerText()).toBe('Show all 35 lines');
    expect((await again.locator('pre').innerText()).split('\n')).toHaveLength(30);
    await page.close();
  });

  it('follows the theme chosen in Settings › Appearance for code and diagrams, whatever the system says', async () => {
    const page = await openApp();
    await page.emulateMedia({ colorScheme: 'light' });
    const chooseTheme = async (label: string) => {
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings-nav-appearance').click();
      await page.getByTestId('appearance').getByLabel(label).check();
    };
    await chooseTheme('Dark');
    const message = await ask(page, '```python\ndef f():\n    return 1\n```\n\n```mermaid\ngraph TD\n  A --> B\n```\n');
    const keyword = message.getByTestId('code-block').first().locator('.code-token', { hasText: 'def' });
    // github-dark-default's keyword color (#FF7B72), on a light system.
    await expect.poll(() => keyword.evaluate((span) => (globalThis as unknown as PageGlobals).getComputedStyle(span).color)).toBe('rgb(255, 123, 114)');
    const image = message.getByTestId('mermaid-diagram').locator('img');
    await expect.poll(() => image.count(), { timeout: 20_000 }).toBe(1);
    const dark = await image.getAttribute('src');

    await chooseTheme('Like the system');
    await page.getByTestId('session-row').first().getByRole('button').first().click();
    // github-light-default's keyword color (#CF222E), and the diagram drawn again in the light theme.
    await expect.poll(() => keyword.evaluate((span) => (globalThis as unknown as PageGlobals).getComputedStyle(span).color)).toBe('rgb(207, 34, 46)');
    await expect.poll(() => image.getAttribute('src'), { timeout: 20_000 }).not.toBe(dark);
    await page.close();
  });

  it('passes axe (WCAG A/AA, contrast included) on an answer with code, math, a table and a diagram, light and dark', async () => {
    const page = await openApp();
    const message = await ask(
      page,
      `Code, math \\(a^2\\) and a table:\n\n\`\`\`python\n${PYTHON}\n\`\`\`\n\n$$\nx = 1\n$$\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\`\`\`mermaid\ngraph TD\n  A --> B\n\`\`\`\n\n[A link](https://example.com)`,
    );
    await expect.poll(() => message.getByTestId('code-block').first().getAttribute('data-highlighted')).toBe('true');
    await expect.poll(() => message.locator('.katex').count()).toBe(2);
    await expect.poll(() => message.getByTestId('mermaid-diagram').count(), { timeout: 20_000 }).toBe(1);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect.poll(() => message.getByTestId('mermaid-diagram').locator('img').count(), { timeout: 20_000 }).toBe(1);
      const result = await new AxeBuilder({ page })
        .include('[data-testid="message-assistant"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        result.violations.map(
          (v) =>
            `${scheme} ${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        ),
      ).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.close();
  });
});
