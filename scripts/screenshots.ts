/**
 * Regenerates the README's screenshots of the main screens, in light and in dark: serve mode on a fresh data
 * folder, the scripted provider for the answers, Debian's Chromium (as the browser tests use). Run after `npm run
 * build`: `npx tsx scripts/screenshots.ts`. Writes docs/screenshots/<screen>-<theme>.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppUnderTest } from '../tests/browser/app-under-test.js';
import { textReply } from '../tests/provider-server/script.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const ANSWER = [
  'A monad wraps a value with a context and chains steps that keep that context:',
  '',
  '- **unit** puts a plain value in the context;',
  '- **bind** runs the next step on the value inside.',
  '',
  '```ts',
  'const next = maybe(user).bind((u) => maybe(u.address));',
  '```',
].join('\n');

const app = await startAppUnderTest('coda-screenshots-');
try {
  await mkdir(out, { recursive: true });
  app.provider.enqueue(textReply(ANSWER, { input: 412, output: 96 }));
  app.provider.enqueueCompletion({ kind: 'completion', text: 'What a monad is' });
  const first = await app.openApp();
  await first.getByTestId('composer-input').fill('What is a monad, in two sentences and a line of code?');
  await first.getByTestId('composer-input').press('Enter');
  await first.getByTestId('message-usage').waitFor();
  await first.getByText('What a monad is').first().waitFor();
  // The page drops its token from the address once read; a new context needs it again, with the chat's hash.
  const chatUrl = `${app.serve.url}${new URL(first.url()).hash}`;
  // A second chat whose answer used a tool, for the Steps panel.
  app.provider.enqueue(
    {
      kind: 'stream',
      steps: [
        { reasoning: 'A power of two: the math tool computes it exactly.' },
        { text: 'Let me compute that.' },
        { toolCall: { id: 'call_1', name: 'coda__evaluate_math', arguments: '{"expression":"2^32"}' } },
      ],
      usage: { input: 1_210, output: 38 },
    },
    textReply('2^32 is **4,294,967,296**.', { input: 1_262, output: 14 }),
  );
  app.provider.enqueueCompletion({ kind: 'completion', text: 'Two to the thirty-second' });
  await first.getByTestId('new-chat').click();
  await first.getByTestId('composer-input').fill('What is 2^32?');
  await first.getByTestId('composer-input').press('Enter');
  await first.getByTestId('message-usage').waitFor();
  await first.getByText('Two to the thirty-second').first().waitFor();
  const stepsUrl = `${app.serve.url}${new URL(first.url()).hash}`;
  await first.close();

  for (const theme of ['light', 'dark'] as const) {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(chatUrl);
    await page.getByTestId('message-usage').waitFor();
    // Code is highlighted off the page's thread: wait for its colours.
    await page.locator('[data-testid="code-block"][data-highlighted="true"]').waitFor();
    await page.screenshot({ path: path.join(out, `chat-${theme}.png`) });
    await page.goto(stepsUrl);
    const answer = page.getByTestId('message-assistant').last();
    await answer.getByTestId('steps-toggle').click();
    await answer.getByTestId('step-call').locator('.steps-section-toggle').first().click();
    await answer.locator('.view-lines').first().waitFor();
    await answer.locator('.steps-section-toggle').filter({ hasText: 'Timing' }).click();
    await answer.getByTestId('waterfall').waitFor();
    // From the top of the answer: its steps, the call, its evaluation and the timing below.
    await answer.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(out, `steps-${theme}.png`) });
    await page.goto(chatUrl);
    await page.getByTestId('message-usage').waitFor();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('provider-openai').waitFor();
    await page.screenshot({ path: path.join(out, `settings-${theme}.png`) });
    await context.close();
  }
  console.log(`Screenshots in ${path.relative(process.cwd(), out)}`);
} finally {
  await app.stop();
}
