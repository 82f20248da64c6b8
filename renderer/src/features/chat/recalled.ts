import type { AgentStep, AnswerRecall } from '../../../../shared/index.js';

/** Each answer's recall, from the first of its steps that has one (recall is stored with an answer's first step). */
export function recallsByMessage(steps: readonly AgentStep[]): Record<string, AnswerRecall> {
  const out: Record<string, AnswerRecall> = {};
  for (const step of [...steps].sort((a, b) => a.ordinal - b.ordinal)) if (step.recall && !out[step.messageId]) out[step.messageId] = step.recall;
  return out;
}

/** The line that sums up an answer's recall: how many messages, and how they were found. */
export function recallSummary(recall: AnswerRecall): string {
  const n = recall.messages.length;
  const what = n === 1 ? '1 earlier message' : `${n} earlier messages`;
  return recall.mode === 'semantic' ? `Recalled ${what}` : `Recalled ${what} by keywords`;
}
