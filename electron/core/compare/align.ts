import type { BranchTotals, CompareMessage, CompareRow, CompareTurn } from '../../../shared/index.js';

/**
 * Two branches of a conversation tree, side by side: where they part, their turns aligned by position after that
 * point, and what each cost. Pure: the paths come in root first, read by the caller.
 */
export interface Compared {
  ancestor: CompareMessage | null;
  rows: CompareRow[];
  left: BranchTotals;
  right: BranchTotals;
}

export function compareBranches(leftPath: readonly CompareMessage[], rightPath: readonly CompareMessage[]): Compared {
  const shared = sharedPrefix(leftPath, rightPath);
  const left = leftPath.slice(shared);
  const right = rightPath.slice(shared);
  return { ancestor: leftPath[shared - 1] ?? null, rows: alignTurns(turnsOf(left), turnsOf(right)), left: branchTotals(left), right: branchTotals(right) };
}

/** How many messages two root-first paths share from the root. */
export function sharedPrefix(left: readonly { id: string }[], right: readonly { id: string }[]): number {
  let n = 0;
  while (n < left.length && n < right.length && left[n]!.id === right[n]!.id) n++;
  return n;
}

/**
 * A side's messages as turns: each question opens one, and what follows it until the next question (the answer,
 * a tool step, a system note) belongs to it. What comes before the first question answers the shared one.
 */
export function turnsOf(messages: readonly CompareMessage[]): CompareTurn[] {
  const turns: CompareTurn[] = [];
  for (const message of messages) {
    const current = turns.at(-1);
    if (message.role === 'user') turns.push({ question: message, answers: [] });
    else if (current) current.answers.push(message);
    else turns.push({ question: null, answers: [message] });
  }
  return turns;
}

/**
 * Row n holds each side's n-th turn after the point where they part. A side with fewer turns has nothing (null)
 * in the rows past its end; rows are never shifted to match similar questions, so a row always means "the same
 * number of exchanges after the split".
 */
export function alignTurns(left: readonly CompareTurn[], right: readonly CompareTurn[]): CompareRow[] {
  return Array.from({ length: Math.max(left.length, right.length) }, (_, i) => ({ left: left[i] ?? null, right: right[i] ?? null }));
}

/** Sums over the answers among `messages` (the user's messages cost nothing). */
export function branchTotals(messages: readonly CompareMessage[]): BranchTotals {
  const answers = messages.filter((m) => m.role === 'assistant');
  const totals: BranchTotals = {
    answers: answers.length,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedAnswers: 0,
    estimatedAnswers: 0,
    latencyMs: 0,
    firstTokenMs: null,
    toolCalls: 0,
    models: [],
  };
  const firstTokens: number[] = [];
  for (const answer of answers) {
    totals.inputTokens += answer.usage?.inputTokens ?? 0;
    totals.outputTokens += answer.usage?.outputTokens ?? 0;
    totals.costUsd += answer.costUsd ?? 0;
    if (answer.usage && answer.costUsd === null) totals.unpricedAnswers++;
    if (answer.usage?.source === 'estimate') totals.estimatedAnswers++;
    totals.toolCalls += answer.toolCalls;
    const { startedAt, firstTokenAt, finishedAt } = answer.timing;
    if (startedAt !== null && finishedAt !== null) totals.latencyMs += Math.max(0, finishedAt - startedAt);
    if (startedAt !== null && firstTokenAt !== null) firstTokens.push(Math.max(0, firstTokenAt - startedAt));
    if (answer.model && !totals.models.includes(answer.model)) totals.models.push(answer.model);
  }
  if (firstTokens.length > 0) totals.firstTokenMs = Math.round(firstTokens.reduce((a, b) => a + b, 0) / firstTokens.length);
  return totals;
}
