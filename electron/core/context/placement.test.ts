import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textTokens, turnTokens } from '../chat/estimate.js';
import type { ChatTurn } from '../providers/types.js';
import { buildContext, type ContextItem } from './builder.js';
import { contextBudget } from './budget.js';
import { contextEntries } from './preview.js';

// Where each candidate message goes (the gauge's list and `context show`): always the builder's own choice.
const COUNTING = { turn: turnTokens, text: textTokens };
let next = 0;
const id = () => `00000000-0000-7000-8000-${String(++next).padStart(12, '0')}`;
const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `**word${(seed + i) % 89}** said`).join(' ');

function chat(sizes: number[]): (ContextItem & { id: string })[] {
  return sizes.flatMap((size, i) => [
    { id: id(), turn: { role: 'user', content: `Question ${i}: ${words(size, i)}` } satisfies ChatTurn },
    { id: id(), turn: { role: 'assistant', content: `Answer ${i}: ${words(size * 2, i)}` } satisfies ChatTurn },
  ]);
}

describe('context placement', () => {
  it('says of every candidate message exactly what the request does with it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { minLength: 1, maxLength: 30 }), fc.integer({ min: 600, max: 20_000 }), fc.nat(2), (sizes, budget, pinCount) => {
        const items = chat(sizes);
        const pinned = items.filter((i) => i.turn.role === 'user').slice(0, pinCount);
        const built = buildContext(
          { system: [], tools: [], pinned, summary: null, recalled: [], history: items },
          { window: budget, outputReserve: 0, budget },
          COUNTING,
        );
        const placement = built.placement();
        const b = built.breakdown();
        expect(placement.map((p) => p.id)).toEqual(items.map((i) => i.id));
        for (const [index, p] of placement.entries()) {
          const item = items[index]!;
          const sentWhole = built.turns.includes(item.turn);
          expect(p.tokens).toBe(turnTokens(item.turn));
          switch (p.status) {
            case 'pinned':
              expect(pinned.map((x) => x.id)).toContain(p.id);
              expect(sentWhole).toBe(true);
              break;
            case 'in':
              expect(sentWhole).toBe(true);
              expect(b.included).toContain(p.id);
              break;
            case 'compressed':
              expect(sentWhole).toBe(false);
              expect(b.compressed).toContain(p.id);
              expect(p.sentTokens).toBeLessThan(p.tokens);
              break;
            case 'left-out':
              expect(sentWhole).toBe(false);
              expect(b.dropped).toContain(p.id);
              expect(p.sentTokens).toBe(0);
              break;
            default:
              throw new Error(`unexpected status ${p.status}`);
          }
        }
        // What is sent adds up to the breakdown's messages.
        expect(placement.reduce((n, p) => n + p.sentTokens, 0)).toBe(b.pins + b.recent);
      }),
      { numRuns: 100 },
    );
  });

  it('marks the messages a summary covers as summarized, recalled ones as recalled, pins older than the history first', () => {
    const older = chat([2]);
    const items = chat([5, 5, 5]);
    const summary = { text: 'They greeted each other.', covers: [items[0]!.id, items[1]!.id] };
    const built = buildContext(
      { system: [], tools: [], pinned: [older[0]!], summary, recalled: [items[4]!], history: items },
      contextBudget('openai', 'gpt-4o', null),
      COUNTING,
    );
    expect(built.placement().map((p) => p.status)).toEqual(['pinned', 'summarized', 'summarized', 'in', 'in', 'recalled', 'in']);
    const entries = contextEntries(built.placement(), [...older, ...items]);
    expect(entries[0]).toMatchObject({ messageId: older[0]!.id, role: 'user', status: 'pinned', excerpt: 'Question 0: **word0** said **word1** said' });
    expect(entries.map((e) => e.role)).toEqual(['user', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  });

  it('lists a message recalled from another chat by its own role and words, with the chat it is in', () => {
    const items = chat([5, 5]);
    const otherId = '01900000-0000-7000-8000-00000000abcd';
    const found = {
      messageId: otherId,
      sessionId: '01900000-0000-7000-8000-00000000cccc',
      sessionTitle: 'Ops notes',
      role: 'user' as const,
      depth: 0,
      similarity: 0.8,
      preview: 'The Zephyr deployment password rotates every Tuesday at noon.',
    };
    const turn = { role: 'system' as const, content: `Recalled from an earlier message by the user in the chat "Ops notes":\n${found.preview}` };
    const built = buildContext(
      { system: [], tools: [], pinned: [], summary: null, recalled: [{ id: otherId, turn }], history: items },
      contextBudget('openai', 'gpt-4o', null),
      COUNTING,
    );
    const entries = contextEntries(built.placement(), items, [found]);
    expect(entries).toHaveLength(5);
    expect(entries[0]).toEqual({
      messageId: otherId,
      role: 'user',
      excerpt: found.preview,
      tokens: COUNTING.turn(turn),
      status: 'recalled',
      recalledFrom: { sessionId: found.sessionId, sessionTitle: 'Ops notes' },
    });
    expect(entries.slice(1).every((e) => e.recalledFrom === null)).toBe(true);
  });

  it('cuts long excerpts to one short line', () => {
    const [item] = chat([400]);
    const built = buildContext(
      { system: [], tools: [], pinned: [], summary: null, recalled: [], history: [item!] },
      contextBudget('openai', 'gpt-4o', null),
      COUNTING,
    );
    const [entry] = contextEntries(built.placement(), [item!]);
    expect(entry!.excerpt).toHaveLength(80);
    expect(entry!.excerpt.endsWith('…')).toBe(true);
  });
});
