import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../electron/core/core.js';
import { MessagesRepository, type FinishedAnswer } from '../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import type { Message } from '../shared/index.js';
import { launchChromium } from '../tests/browser/browser.js';
import { startServe } from '../tests/browser/serve-process.js';
import { tempDir } from '../tests/helpers/core.js';
import { createResult } from './lib/report.js';
import { round, summarize, target } from './lib/stats.js';
import type { BenchResult, Check, Measure } from './lib/types.js';
import { completeAnswer } from '../tests/helpers/seed.js';

/**
 * The tree view in the real page (Chromium against serve mode) on a chat of 1,000 messages with branches: how long
 * the panel takes to draw, and every frame's length (requestAnimationFrame, plus Chromium's long-animation-frame
 * entries) while the user zooms with the wheel, pans by dragging and points at messages.
 */
export const description = 'tree view: open, zoom, pan and hover a 1,000-message tree in Chromium (no frame over 50 ms)';

const MESSAGES = 1_000;
const FRAME_TARGET_MS = 50;
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');

const START_RECORDING = `(() => {
  const w = window;
  w.__frames = []; w.__longFrames = []; w.__recording = true;
  let last = null;
  const tick = (now) => { if (last !== null) w.__frames.push(now - last); last = now; if (w.__recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longFrames.push(e.duration); }).observe({ type: 'long-animation-frame' });
})()`;
const STOP_RECORDING = `(() => { window.__recording = false; return { frames: window.__frames, longFrames: window.__longFrames }; })()`;

/** 500 exchanges; every fourth question is asked twice (an edit), so the tree branches all the way down. */
async function seed(dataDir: string): Promise<void> {
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const repo = new MessagesRepository(store);
  const session = await sessions.create({ title: 'A branchy chat', titleSource: 'user', settings: DEFAULT_SETTINGS });
  const run = { provider: 'openai', model: 'gpt-4.1-mini', estimatedInputTokens: null, traceId: null };
  let parent: Message | null = null;
  for (let i = 0; i < MESSAGES / 2; i++) {
    const branchFrom: Message | null = parent;
    const { assistant } = await repo.addExchange(session.id, parent, `Question ${i}`, run);
    const done: FinishedAnswer = completeAnswer(`Answer ${i}`, { provider: 'openai', model: 'gpt-4.1-mini' });
    parent = await repo.finish(assistant.id, done);
    if (i % 4 === 3 && i + 1 < MESSAGES / 2) {
      const other = await repo.addExchange(session.id, branchFrom, `Question ${i} (edited)`, run);
      parent = await repo.finish(other.assistant.id, { ...done, text: `Answer ${i} (edited)` });
      i++;
    }
  }
  await store.close();
}

interface Recording {
  frames: number[];
  longFrames: number[];
}

export async function run(): Promise<BenchResult> {
  const data = await tempDir('coda-bench-tree-');
  await seed(data.dir);
  const serve = await startServe(data.dir, { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: 'http://127.0.0.1:9' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serve.url);
    await page.getByTestId('session-row').filter({ hasText: 'A branchy chat' }).getByRole('button', { name: 'A branchy chat', exact: true }).click();
    await page.getByTestId('message-user').first().waitFor();

    const opened = Date.now();
    await page.getByTestId('toggle-tree').click();
    // Drawn once the active path's last message is (the view opens on it).
    await page.getByText(`${MESSAGES} messages`).waitFor();
    await page.locator('[data-testid="tree-node"][data-active="true"]').last().waitFor();
    const openMs = Date.now() - opened;
    const drawn = await page.getByTestId('tree-node').count();

    await page.evaluate(START_RECORDING);
    const box = (await page.getByTestId('tree-canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(30);
    }
    await page.mouse.down();
    for (let i = 0; i < 30; i++) await page.mouse.move(cx + i * 10, cy + i * 12, { steps: 2 });
    await page.mouse.up();
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, -120);
      await page.waitForTimeout(30);
    }
    const nodes = page.getByTestId('tree-node');
    const drawnNow = await nodes.count();
    for (let i = 0; i < 10; i++) await nodes.nth(Math.max(0, drawnNow - 1 - i)).hover({ force: true });
    await page.waitForTimeout(300);
    const recording = (await page.evaluate(STOP_RECORDING)) as Recording;

    const frames = summarize(recording.frames);
    const measures: Measure[] = [
      {
        id: 'tree.open',
        label: `open the tree of ${MESSAGES} messages (click to the visible part drawn)`,
        ms: summarize([openMs]),
        target: null,
        info: { drawn },
      },
      {
        id: 'tree.frame',
        label: 'frame length while zooming, panning and pointing at messages',
        ms: frames,
        target: target(frames, FRAME_TARGET_MS, 'max'),
        info: { framesOver50ms: recording.frames.filter((f) => f > FRAME_TARGET_MS).length },
      },
    ];
    const checks: Check[] = [
      {
        id: 'tree.long-animation-frames',
        label: 'no long animation frame (Chromium: over 50 ms) while zooming, panning and pointing',
        pass: recording.longFrames.length === 0,
        detail: recording.longFrames.length === 0 ? 'none' : recording.longFrames.map((d) => `${Math.round(d)} ms`).join(', '),
      },
    ];
    console.log(`open ${openMs} ms, ${drawn} nodes; frames max ${frames.max} ms, long frames ${recording.longFrames.length}`);
    return createResult('tree-view', rootDir, {
      dataset: { messages: MESSAGES, viewport: '1280x900', loadAverage: round(loadavg()[0] ?? 0, 2) },
      measures,
      checks,
    });
  } finally {
    await browser.close();
    await serve.stop();
    await data.remove();
  }
}
