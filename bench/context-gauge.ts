import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ContextEntry, ContextPreview, ContextStatus } from '../shared/index.js';
import { createResult } from './lib/report.js';
import { Rng, uuidv7 } from './lib/prng.js';
import { summarize, target } from './lib/stats.js';
import { createTextGenerator } from './lib/text.js';
import type { BenchResult, Measure } from './lib/types.js';

/**
 * The context gauge per keystroke: what the renderer computes when the draft changes (gaugeReading over the
 * preview of a 200-message chat with the draft), and, apart, rendering the details' message list, which is
 * memoized (it renders when the preview changes, not per keystroke). In Node: no DOM, so the list is timed as
 * React's render to a string, an upper bound of its virtual-DOM work.
 */
export const description = 'context gauge: per-keystroke reading with a 200-message preview (target p95 ≤ 2 ms), and its message list';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MESSAGES = 200;

// The renderer's own modules, loaded by path: they belong to the web project, which the bench's typecheck does not see.
const GAUGE = '../renderer/src/features/context/gauge.js';
const LIST = '../renderer/src/features/context/ContextMessageList.js';
// React too: its types bring the DOM library into the Node project (and change Playwright's types in tests).
const REACT = 'react';
const SERVER = 'react-dom/server';
type GaugeReading = (preview: ContextPreview, draft: string) => { used: number };
interface ListProps {
  entries: ContextEntry[];
  onJump: (entry: ContextEntry) => void;
}
/** The little of React the bench uses, typed here. */
interface ReactModule {
  createElement(type: unknown, props: ListProps): unknown;
}
const KEYSTROKES = 5_000;

function preview(): ContextPreview {
  const rng = new Rng(20_261_203);
  const text = createTextGenerator(20_261_203);
  const statuses: ContextStatus[] = ['left-out', 'compressed', 'in'];
  const messages: ContextEntry[] = Array.from({ length: MESSAGES }, (_, i) => {
    const role = i % 2 === 0 ? 'user' : 'assistant';
    const status = i === 0 ? 'pinned' : statuses[Math.min(2, Math.floor((i / MESSAGES) * 3))]!;
    const base = {
      messageId: uuidv7(1_700_000_000_000 + i, rng),
      role,
      excerpt: text.message(role).slice(0, 80),
      tokens: 40 + rng.int(0, 400),
      recalledFrom: null,
    } as const;
    return status === 'compressed' ? { ...base, status, sentTokens: Math.floor(base.tokens * 0.8) } : { ...base, status };
  });
  return {
    window: 128_000,
    outputReserve: 16_384,
    budget: 111_616,
    system: 120,
    tools: 1_400,
    pins: 200,
    summary: 0,
    recalled: 0,
    recent: 60_000,
    free: 49_896,
    included: messages.filter((m) => m.status === 'in').map((m) => m.messageId),
    compressed: messages.filter((m) => m.status === 'compressed').map((m) => m.messageId),
    dropped: messages.filter((m) => m.status === 'left-out').map((m) => m.messageId),
    pinsOverBudget: false,
    messages,
  };
}

export async function run(): Promise<BenchResult> {
  const { gaugeReading } = (await import(GAUGE)) as { gaugeReading: GaugeReading };
  const { ContextMessageList } = (await import(LIST)) as { ContextMessageList: unknown };
  const React = (await import(REACT)) as ReactModule;
  const { renderToString } = (await import(SERVER)) as { renderToString: (element: unknown) => string };
  const createElement = React.createElement.bind(React);
  const data = preview();
  const draftText = createTextGenerator(7).answer(KEYSTROKES);
  const measures: Measure[] = [];

  // One keystroke at a time: the draft grows by a character, as in the composer.
  const readings: number[] = [];
  let sink = 0;
  for (let i = 0; i < 200; i++) sink += gaugeReading(data, draftText.slice(0, i)).used;
  for (let i = 1; i <= KEYSTROKES; i++) {
    const draft = draftText.slice(0, i);
    const t0 = performance.now();
    sink += gaugeReading(data, draft).used;
    readings.push(performance.now() - t0);
  }
  const keystroke = summarize(readings);
  measures.push({
    id: 'keystroke.reading',
    label: `gauge reading per keystroke (draft up to ${KEYSTROKES.toLocaleString('en-US')} characters, ${MESSAGES}-message preview)`,
    ms: keystroke,
    target: target(keystroke, 2),
    info: { messages: MESSAGES },
  });

  // tsx compiles the renderer's JSX with the classic transform here (React.createElement on a global React).
  Object.assign(globalThis, { React });
  const onJump = () => undefined;
  const renders: number[] = [];
  for (let i = 0; i < 10; i++) sink += renderToString(createElement(ContextMessageList, { entries: data.messages, onJump })).length;
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    sink += renderToString(createElement(ContextMessageList, { entries: data.messages, onJump })).length;
    renders.push(performance.now() - t0);
  }
  measures.push({
    id: 'list.render',
    label: `message list of ${MESSAGES} rows rendered (once per preview, memoized across keystrokes)`,
    ms: summarize(renders),
    target: null,
  });
  if (sink === 0) throw new Error('nothing measured');
  return createResult('context-gauge', rootDir, { dataset: { messages: MESSAGES, keystrokes: KEYSTROKES }, measures });
}
