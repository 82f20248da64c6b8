import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/browser/browser.js';
import { startServe, type ServeProcess } from '../tests/browser/serve-process.js';
import { ScriptedProviderServer } from '../tests/provider-server/server.js';
import { createResult } from './lib/report.js';
import { summarize, target } from './lib/stats.js';
import { ensureDataset, type Dataset } from './lib/store-dataset.js';
import type { BenchOptions, BenchResult, Check, Measure } from './lib/types.js';

/**
 * UI benchmark: the built app in Chromium against serve mode, on a database of 10,000 chats and one chat of 10,000
 * messages (built by the real migrations, cached in bench/.cache/ui, copied for each run so nothing changes it).
 * Times come from the page itself (performance.now() to the frame after the content is in the DOM).
 */

export const description = 'UI in Chromium: sidebar with 10,000 chats, a 10,000-message chat, scrolling it, typing while an answer streams';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const cacheDir = path.join(benchDir, '.cache', 'ui');
const SPEC = { sessions: 10_000, messagesPerSession: 2, largeSessionMessages: 10_000, seed: 20_261_203 };
const ROUNDS = 7;

/** In the page: resolves with the time from navigation start to the frame after `selector` first matches. */
const PAINTED = (selector: string) => `new Promise((resolve) => {
  const check = () => {
    if (document.querySelector(${JSON.stringify(selector)})) requestAnimationFrame(() => resolve(performance.now()));
    else requestAnimationFrame(check);
  };
  check();
})`;

async function timeToPaint(browser: Browser, url: string, selector: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url, { waitUntil: 'commit' });
  const ms = (await page.evaluate(PAINTED(selector))) as number;
  await page.close();
  return ms;
}

async function rounds(fn: () => Promise<number>): Promise<number[]> {
  await fn(); // warm-up: the first load fills caches a user's second start would have
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) out.push(await fn());
  return out;
}

/** Frame gaps (ms between animation frames) while `work` runs in the page. */
async function frameGaps(page: Page, work: () => Promise<void>): Promise<number[]> {
  await page.evaluate(
    `window.__gaps = []; (() => { let last = performance.now(); const tick = (now) => { window.__gaps.push(now - last); last = now; if (!window.__stopFrames) requestAnimationFrame(tick); }; window.__stopFrames = false; requestAnimationFrame(tick); })()`,
  );
  await work();
  await page.evaluate('window.__stopFrames = true');
  return (await page.evaluate('window.__gaps')) as number[];
}

async function serveCopy(dataset: Dataset, env: Record<string, string>): Promise<{ serve: ServeProcess; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coda-bench-ui-'));
  await cp(dataset.dataDir, dir, { recursive: true });
  const serve = await startServe(dir, env);
  return { serve, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function run(options: BenchOptions = { rebuild: false }): Promise<BenchResult> {
  const log = (line: string) => console.log(line);
  const dataset = await ensureDataset(cacheDir, migrationsDir, { rebuild: options.rebuild, spec: SPEC, log });
  const provider = await new ScriptedProviderServer().listen();
  const env = { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: provider.openaiBaseUrl };
  const browser = await launchChromium();
  const empty = await mkdtemp(path.join(tmpdir(), 'coda-bench-ui-empty-'));
  const baselineServe = await startServe(empty, env);
  const { serve, remove } = await serveCopy(dataset, env);
  const measures: Measure[] = [];
  const checks: Check[] = [];
  try {
    // Baseline in the same run: the app's first screen on an empty data folder (its composer painted).
    const baseline = summarize(await rounds(() => timeToPaint(browser, baselineServe.url, '[data-testid="composer-input"]')));
    measures.push({ id: 'baseline.empty', label: 'open the app, empty data folder (composer painted)', ms: baseline, target: null });

    // What the data adds to opening the app: each round's time less the empty app's median (the page and its
    // scripts load the same either way); the ratio compares the whole times.
    const added = (samples: number[]) => samples.map((ms) => Math.max(0, ms - baseline.p50));
    const sidebarRounds = await rounds(() => timeToPaint(browser, serve.url, '[data-testid="session-row"]'));
    const sidebar = summarize(added(sidebarRounds));
    measures.push({
      id: 'open.sidebar',
      label: 'open the app with 10,000 chats: sidebar painted, added over the empty app',
      ms: sidebar,
      target: target(sidebar, 300, 'p50'),
      info: { wholeP50Ms: summarize(sidebarRounds).p50, ratioToBaseline: +(summarize(sidebarRounds).p50 / baseline.p50).toFixed(2) },
    });

    const chatUrl = `${serve.url}#/s/${dataset.largeSessionId}`;
    const chatRounds = await rounds(() => timeToPaint(browser, chatUrl, '[data-testid="message-list"] [data-testid^="message-"]'));
    const chat = summarize(chatRounds);
    measures.push({
      id: 'open.longChat',
      label: 'open the 10,000-message chat: last messages painted (whole time)',
      ms: chat,
      target: target(chat, 1000, 'p50'),
      info: { addedP50Ms: summarize(added(chatRounds)).p50, ratioToBaseline: +(chat.p50 / baseline.p50).toFixed(2) },
    });

    // Scroll the long chat end to end, older pages loading on the way, counting frames over 50 ms.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(chatUrl);
    await page.waitForSelector('[data-testid="message-list"] [data-testid^="message-"]');
    const list = page.locator('[data-testid="message-list"]');
    await list.hover();
    let reachedTop = false;
    const scrollGaps = await frameGaps(page, async () => {
      const deadline = Date.now() + 90_000;
      while (!reachedTop && Date.now() < deadline) {
        await page.mouse.wheel(0, -3000);
        await page.waitForTimeout(16);
        reachedTop = (await page.evaluate(
          `(() => { const el = document.querySelector('[data-testid="message-list"]'); return el.scrollTop === 0 && !document.querySelector('[data-testid="older-messages"]'); })()`,
        )) as boolean;
      }
    });
    const longFrames = scrollGaps.filter((gap) => gap > 50).length;
    measures.push({
      id: 'scroll.longChat',
      label: 'scroll the 10,000-message chat to its first message (frame gaps)',
      ms: summarize(scrollGaps),
      target: null,
      info: { framesOver50ms: longFrames, frames: scrollGaps.length },
    });
    checks.push({
      id: 'scroll.reachedTop',
      label: 'scrolling reaches the first message',
      pass: reachedTop,
      detail: reachedTop ? 'reached the first message' : 'stopped before the first message (90 s)',
    });
    checks.push({
      id: 'scroll.noLongFrames',
      label: 'no frame over 50 ms while scrolling',
      pass: longFrames === 0,
      detail: `${longFrames} of ${scrollGaps.length} frames over 50 ms`,
    });
    await page.close();

    // Typing while an answer streams 2,000 tokens at 100 tokens a second: keystroke to the next frame.
    const typing = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await typing.goto(serve.url);
    await typing.waitForSelector('[data-testid="composer-input"]');
    provider.enqueue({ kind: 'stream', steps: Array.from({ length: 2000 }, (_, i) => ({ text: `token${i} ` })), stepsPerSecond: 100 });
    await typing.fill('[data-testid="composer-input"]', 'Stream for a while');
    await typing.press('[data-testid="composer-input"]', 'Enter');
    await typing.waitForSelector('[data-testid="stop"]');
    await typing.evaluate(
      `window.__keys = []; document.addEventListener('keydown', (e) => { const t = performance.now(); requestAnimationFrame(() => window.__keys.push(performance.now() - t)); }, true)`,
    );
    await typing.focus('[data-testid="composer-input"]');
    for (let i = 0; i < 150; i++) {
      await typing.keyboard.type('x');
      await typing.waitForTimeout(60);
    }
    const keys = (await typing.evaluate('window.__keys')) as number[];
    const keystroke = summarize(keys);
    const heap = (await typing.evaluate('performance.memory ? performance.memory.usedJSHeapSize : null')) as number | null;
    measures.push({
      id: 'type.whileStreaming',
      label: 'keystroke to next frame while an answer streams 100 tokens/s',
      ms: keystroke,
      target: target(keystroke, 16, 'p95'),
      info: { heapMbAfter: heap === null ? null : Math.round(heap / 1e6) },
    });

    // An hour of streaming, compressed: 360,000 tokens (an hour at 100 tokens a second) as 36 answers of 10,000
    // tokens at 2,000 a second in one chat, then the page's JS heap after a full garbage collection.
    const cdp = await typing.context().newCDPSession(typing);
    const heapAfterGc = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    await typing.waitForSelector('[data-testid="stop"]', { state: 'detached', timeout: 60_000 });
    const heapBefore = await heapAfterGc();
    for (let i = 0; i < 36; i++) {
      provider.enqueue({ kind: 'stream', steps: Array.from({ length: 10_000 }, (_, t) => ({ text: `w${t} ` })), stepsPerSecond: 2000 });
      await typing.fill('[data-testid="composer-input"]', `Answer ${i}`);
      await typing.press('[data-testid="composer-input"]', 'Enter');
      await typing.waitForSelector('[data-testid="stop"]');
      await typing.waitForSelector('[data-testid="stop"]', { state: 'detached', timeout: 60_000 });
    }
    const heapAfter = await heapAfterGc();
    const heapMb = Math.round(heapAfter / 1e6);
    checks.push({
      id: 'heap.hourOfStreaming',
      label: 'page JS heap after an hour-equivalent of streaming (360,000 tokens) at most 300 MB',
      pass: heapMb <= 300,
      detail: `${heapMb} MB after (${Math.round(heapBefore / 1e6)} MB before), after a full GC`,
    });
    await typing.close();
  } finally {
    await browser.close();
    await serve.stop();
    await baselineServe.stop();
    await remove();
    await rm(empty, { recursive: true, force: true });
    await provider.close();
  }
  return createResult('ui', rootDir, {
    dataset: {
      sessions: SPEC.sessions,
      messagesPerSession: SPEC.messagesPerSession,
      longChatMessages: SPEC.largeSessionMessages,
      builtThisRun: dataset.builtThisRun,
    },
    measures,
    checks,
  });
}
