import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelCatalog } from '../../../shared/index.js';
import { textTokens, turnTokens } from '../chat/estimate.js';
import type { ChatTurn, ToolDefinition } from '../providers/types.js';
import { buildContext, type ContextItem } from './builder.js';
import { contextBudget, DEFAULT_CONTEXT_WINDOW, type ContextBudget } from './budget.js';
import { stripFormatting } from './compress.js';

const COUNTING = { turn: turnTokens, text: textTokens };
const tools: ToolDefinition[] = [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];

let next = 0;
const id = () => `00000000-0000-7000-8000-${String(++next).padStart(12, '0')}`;
const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `**word${(seed + i) % 97}** and _more_`).join(' ');

/** A conversation of turns: questions, answers, and answers with tool calls and their results. */
const conversation = fc.array(fc.record({ question: fc.nat(400), answer: fc.nat(1_500), toolOutput: fc.option(fc.nat(6_000), { nil: null }) }), {
  minLength: 1,
  maxLength: 40,
});

function history(spec: { question: number; answer: number; toolOutput: number | null }[]): ContextItem[] {
  return spec.flatMap((t, i) => {
    const items: ContextItem[] = [{ id: id(), turn: { role: 'user', content: words(t.question, i) } }];
    if (t.toolOutput !== null) {
      const callId = `call_${i}`;
      items.push({ id: id(), turn: { role: 'assistant', content: '', toolCalls: [{ id: callId, name: 'read_file', arguments: '{"path":"a"}' }] } });
      items.push({ id: id(), turn: { role: 'tool', toolCallId: callId, name: 'read_file', content: 'x'.repeat(t.toolOutput) } });
    }
    items.push({ id: id(), turn: { role: 'assistant', content: words(t.answer, i) } });
    return items;
  });
}

/** Shrinks a catalog model so random conversations of a few thousand tokens overflow it. */
const scaled = (budget: ContextBudget, divisor: number): ContextBudget => {
  const window = Math.max(2_000, Math.floor(budget.window / divisor));
  const outputReserve = Math.floor(budget.outputReserve / divisor);
  return { window, outputReserve, budget: window - outputReserve };
};

const sent = (turns: ChatTurn[]) => turns.reduce((n, t) => n + turnTokens(t), 0) + textTokens(JSON.stringify(tools));

describe('context builder', () => {
  it('budgets by the catalog, with a documented default for unknown models', () => {
    expect(contextBudget('openai', 'gpt-4o', null)).toEqual({ window: 128_000, outputReserve: 16_384, budget: 111_616 });
    expect(contextBudget('openai', 'gpt-4o', 1_000).budget).toBe(127_000);
    expect(contextBudget('ollama', 'llama3.2', null).window).toBe(DEFAULT_CONTEXT_WINDOW);
    // A max output above the window still leaves half of it for the prompt.
    expect(contextBudget('ollama', 'tiny', 1_000_000).budget).toBe(DEFAULT_CONTEXT_WINDOW / 2);
  });

  it('never exceeds the budget of any catalog model, keeps pins, whole turns and tool pairs', () => {
    const models = fc.constantFrom(...modelCatalog);
    fc.assert(
      fc.property(models, fc.integer({ min: 1, max: 2_000 }), conversation, fc.nat(3), (model, divisor, spec, pinCount) => {
        const budget = scaled(contextBudget(model.provider, model.id, null), divisor);
        const items = history(spec);
        const pinned = items.filter((i) => i.turn.role === 'user').slice(0, pinCount) as (ContextItem & { id: string })[];
        const system: ChatTurn[] = [{ role: 'system', content: 'You are a careful assistant.' }];
        const built = buildContext({ system, tools, pinned, summary: null, recalled: [], history: items }, budget, COUNTING);
        const b = built.breakdown();
        const last = items.filter((i) => i.turn.role === 'user').at(-1)!;
        const newestTurn = items.slice(items.indexOf(last));
        const mandatory = sent([...system, ...pinned.map((p) => p.turn), ...newestTurn.map((i) => i.turn)].map((t) => t));
        if (mandatory <= budget.budget) expect(sent(built.turns)).toBeLessThanOrEqual(budget.budget);
        // Pins always go, whole.
        for (const pin of pinned) expect(built.turns).toContain(pin.turn);
        // The question being answered always goes.
        expect(b.included.concat(b.compressed)).toContain(last.id);
        // Every tool result goes with its call, and every call with its result.
        const calls = new Set(built.turns.flatMap((t) => (t.role === 'assistant' ? (t.toolCalls ?? []).map((c) => c.id) : [])));
        const results = new Set(built.turns.flatMap((t) => (t.role === 'tool' ? [t.toolCallId] : [])));
        expect([...results].sort()).toEqual([...calls].sort());
        // Whole turns: a message is out only with its whole turn, and everything older is out too (a sliding window).
        const out = new Set(b.dropped);
        const firstKept = Math.max(-1, ...items.flatMap((item, index) => (item.id && out.has(item.id) ? [index] : []))) + 1;
        if (firstKept > 0) expect(items[firstKept]!.turn.role).toBe('user');
        for (const item of items.slice(0, firstKept)) expect(out.has(item.id!) || pinned.some((p) => p.id === item.id)).toBe(true);
        // Nothing is dropped while a newer turn went whole; compressed ones come before (older than) dropped ones never.
        if (b.dropped.length > 0) expect(b.compressed.length + b.included.length).toBeGreaterThan(0);
        expect(b.pins).toBe(pinned.reduce((n, p) => n + turnTokens(p.turn), 0));
        expect(b.system + b.tools + b.pins + b.recent + b.free).toBeGreaterThanOrEqual(Math.min(budget.budget, b.system + b.tools + b.pins + b.recent));
      }),
      { numRuns: 150 },
    );
  });

  it('compresses older turns before dropping them, with a note where tool output was cut', () => {
    const items = history([
      { question: 20, answer: 200, toolOutput: 20_000 },
      { question: 20, answer: 200, toolOutput: null },
      { question: 20, answer: 20, toolOutput: null },
    ]);
    const budget = { window: 7_000, outputReserve: 1_000, budget: 6_000 };
    const built = buildContext({ system: [], tools: [], pinned: [], summary: null, recalled: [], history: items }, budget, COUNTING);
    const b = built.breakdown();
    expect(b.dropped).toEqual([]);
    expect(b.compressed.length).toBeGreaterThan(0);
    const tool = built.turns.find((t) => t.role === 'tool');
    expect(tool?.content).toMatch(/more characters of tool output cut to fit the context window/);
    expect(sent(built.turns)).toBeLessThanOrEqual(budget.budget + textTokens(JSON.stringify(tools)));
  });

  it('warns when the pins alone exceed the budget, and still sends them', () => {
    const items = history([
      { question: 3_000, answer: 10, toolOutput: null },
      { question: 5, answer: 5, toolOutput: null },
    ]);
    const pinned = [items[0]!] as (ContextItem & { id: string })[];
    const built = buildContext(
      { system: [], tools: [], pinned, summary: null, recalled: [], history: items },
      { window: 2_000, outputReserve: 0, budget: 2_000 },
      COUNTING,
    );
    expect(built.pinsOverBudget?.message).toMatch(/Pinned messages take [\d,]+ tokens, more than this model's budget of 2,000/);
    expect(built.turns).toContain(items[0]!.turn);
    expect(built.breakdown().pinsOverBudget).toBe(true);
  });

  it('sends everything of a short chat without counting first', () => {
    const items = history([{ question: 5, answer: 5, toolOutput: null }]);
    const built = buildContext({ system: [], tools: [], pinned: [], summary: null, recalled: [], history: items }, contextBudget('openai', 'gpt-4o', null), {
      turn: () => {
        throw new Error('counted before sending');
      },
      text: () => 0,
    });
    expect(built.turns).toEqual(items.map((i) => i.turn));
  });

  it('sends a summary in place of the messages it covers, and recalled messages once', () => {
    const items = history([
      { question: 5, answer: 5, toolOutput: null },
      { question: 5, answer: 5, toolOutput: null },
      { question: 5, answer: 5, toolOutput: null },
    ]);
    const covered = items.slice(0, 2).map((i) => i.id!);
    const recalled = [items[2]!] as (ContextItem & { id: string })[];
    const built = buildContext(
      { system: [], tools: [], pinned: [], summary: { text: 'They said hello.', covers: covered }, recalled, history: items },
      contextBudget('openai', 'gpt-4o', null),
      COUNTING,
    );
    expect(built.turns[0]).toEqual({ role: 'system', content: 'Summary of the earlier conversation:\nThey said hello.' });
    expect(built.turns).not.toContain(items[0]!.turn);
    expect(built.turns.filter((t) => t === items[2]!.turn)).toHaveLength(1);
    const b = built.breakdown();
    expect(b.summary).toBeGreaterThan(0);
    expect(b.recalled).toBe(turnTokens(items[2]!.turn));
  });

  it('strips formatting but keeps the words', () => {
    expect(stripFormatting('# Title\n\n**bold** and _it_ [link](http://x)\n\n\n\n```ts\ncode\n```')).toBe('Title\n\nbold and it link\n\ncode');
  });
});
