import { describe, expect, it } from 'vitest';
import type { CompareMessage } from '../../../shared/index.js';
import { alignTurns, branchTotals, compareBranches, turnsOf } from './align.js';

let clock = 1_000;
function msg(id: string, role: CompareMessage['role'], extra: Partial<CompareMessage> = {}): CompareMessage {
  const startedAt = (clock += 1_000);
  return {
    id,
    role,
    text: id,
    provider: role === 'assistant' ? 'openai' : null,
    model: role === 'assistant' ? 'gpt-4.1-mini' : null,
    status: 'complete',
    usage:
      role === 'assistant' ? { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, source: 'provider' } : null,
    costUsd: role === 'assistant' ? 0.01 : null,
    timing:
      role === 'assistant'
        ? { startedAt, firstTokenAt: startedAt + 100, finishedAt: startedAt + 500 }
        : { startedAt: null, firstTokenAt: null, finishedAt: null },
    toolCalls: 0,
    ...extra,
  };
}
const ids = (turn: { question: CompareMessage | null; answers: CompareMessage[] } | null) =>
  turn ? [turn.question?.id ?? null, ...turn.answers.map((a) => a.id)] : null;

describe('comparing two branches', () => {
  it('parts at the first turn: no shared message, each side from its own first question', () => {
    const left = [msg('q1', 'user'), msg('a1', 'assistant')];
    const right = [msg('q1b', 'user'), msg('a1b', 'assistant')];
    const compared = compareBranches(left, right);
    expect(compared.ancestor).toBeNull();
    expect(compared.rows.map((r) => [ids(r.left), ids(r.right)])).toEqual([
      [
        ['q1', 'a1'],
        ['q1b', 'a1b'],
      ],
    ]);
  });

  it('parts deep in the chat at an answer: the shared question is the ancestor and the first row has no question', () => {
    const shared = [msg('q1', 'user'), msg('a1', 'assistant'), msg('q2', 'user')];
    const left = [...shared, msg('a2', 'assistant'), msg('q3', 'user'), msg('a3', 'assistant')];
    const right = [...shared, msg('a2b', 'assistant', { model: 'claude-sonnet-4-6' })];
    const compared = compareBranches(left, right);
    expect(compared.ancestor?.id).toBe('q2');
    expect(compared.rows.map((r) => [ids(r.left), ids(r.right)])).toEqual([
      [
        [null, 'a2'],
        [null, 'a2b'],
      ],
      [['q3', 'a3'], null],
    ]);
    // Only what follows the split is counted: one answer on the right, two on the left.
    expect(compared.right).toMatchObject({ answers: 1, inputTokens: 10, outputTokens: 5, models: ['claude-sonnet-4-6'] });
    expect(compared.left).toMatchObject({ answers: 2, inputTokens: 20, outputTokens: 10, latencyMs: 1000, firstTokenMs: 100 });
    expect(compared.left.costUsd).toBeCloseTo(0.02);
  });

  it('aligns unequal lengths row by row, the shorter side empty past its end', () => {
    const left = [msg('q', 'user'), msg('a', 'assistant')];
    const right = [msg('qb', 'user'), msg('ab', 'assistant'), msg('qb2', 'user'), msg('ab2', 'assistant'), msg('qb3', 'user')];
    const rows = compareBranches(left, right).rows;
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.left === null)).toEqual([false, true, true]);
    // A question still waiting for its answer is a turn with no answers.
    expect(ids(rows[2]!.right)).toEqual(['qb3']);
  });

  it('when one side is a prefix of the other, the shared part is the ancestor and that side is empty', () => {
    const left = [msg('q', 'user'), msg('a', 'assistant')];
    const right = [...left, msg('q2', 'user'), msg('a2', 'assistant')];
    const compared = compareBranches(left, right);
    expect(compared.ancestor?.id).toBe('a');
    expect(compared.rows).toEqual([{ left: null, right: { question: right[2], answers: [right[3]] } }]);
    expect(compared.left).toMatchObject({ answers: 0, costUsd: 0, latencyMs: 0, firstTokenMs: null, models: [] });
  });

  it('keeps tool steps with the answer they belong to and counts the tool calls of each side', () => {
    const turns = turnsOf([msg('q', 'user'), msg('a', 'assistant', { toolCalls: 2 }), msg('t', 'tool'), msg('a-after', 'assistant', { toolCalls: 1 })]);
    expect(turns.map(ids)).toEqual([['q', 'a', 't', 'a-after']]);
    const totals = branchTotals(turns.flatMap((t) => [...(t.question ? [t.question] : []), ...t.answers]));
    expect(totals).toMatchObject({ answers: 2, toolCalls: 3, models: ['gpt-4.1-mini'] });
  });

  it('counts unpriced and estimated answers apart, and leaves unknown timings out', () => {
    const totals = branchTotals([
      msg('a', 'assistant', { costUsd: null }),
      msg('b', 'assistant', {
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, source: 'estimate' },
        timing: { startedAt: 5, firstTokenAt: null, finishedAt: null },
      }),
    ]);
    expect(totals).toMatchObject({ answers: 2, unpricedAnswers: 1, estimatedAnswers: 1, inputTokens: 11, latencyMs: 500, firstTokenMs: 100 });
    expect(totals.costUsd).toBeCloseTo(0.01);
  });

  it('aligns nothing against nothing', () => {
    expect(alignTurns([], [])).toEqual([]);
  });
});
