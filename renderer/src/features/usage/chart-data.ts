import type { UsageRow } from '../../../../shared/index.js';

/** One bar of the chat's usage chart: an answer, in the order answers were started. */
export interface AnswerBar {
  index: number;
  row: UsageRow;
  /** Input tokens not read from cache, cached input, and output (reasoning included): the stacked parts. */
  parts: { key: 'input' | 'cached' | 'output'; from: number; to: number }[];
  total: number;
  /** Cost of this answer and of all answers up to it (unpriced answers add nothing). */
  costUsd: number;
  runningCostUsd: number;
}

/** Stacks each answer's tokens and runs its cost: what the chart draws, kept apart from drawing so it can be tested. */
export function answerBars(rows: readonly UsageRow[]): AnswerBar[] {
  let running = 0;
  return rows.map((row, index) => {
    const uncached = Math.max(0, row.inputTokens - row.cachedInputTokens);
    const parts: AnswerBar['parts'] = [
      { key: 'cached', from: 0, to: row.cachedInputTokens },
      { key: 'input', from: row.cachedInputTokens, to: row.cachedInputTokens + uncached },
      { key: 'output', from: row.cachedInputTokens + uncached, to: row.cachedInputTokens + uncached + row.outputTokens },
    ];
    running += row.costUsd ?? 0;
    return { index, row, parts, total: parts[2]!.to, costUsd: row.costUsd ?? 0, runningCostUsd: running };
  });
}
