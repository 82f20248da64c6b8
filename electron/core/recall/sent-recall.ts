import type { AnswerRecall, ContextBreakdown } from '../../../shared/index.js';

/** What recall offered, narrowed to the messages the context builder actually sent (a long one may not fit). */
export function sentRecall(recall: AnswerRecall, context: ContextBreakdown): AnswerRecall {
  const sent = new Set(context.included);
  return { ...recall, messages: recall.messages.filter((m) => sent.has(m.messageId)) };
}
