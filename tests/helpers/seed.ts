import type { FinishedAnswer } from '../../electron/core/store/repositories/messages.js';

/** A finished answer with only its text and model, as tests and benches seed long chats straight into the store. */
export function completeAnswer(
  text: string,
  by: { provider: string; model: string; estimatedInputTokens?: number | null; traceId?: string | null },
): FinishedAnswer {
  return {
    status: 'complete',
    provider: by.provider,
    model: by.model,
    route: [],
    estimatedInputTokens: by.estimatedInputTokens ?? null,
    text,
    reasoning: '',
    usage: null,
    costUsd: null,
    providerResponseId: null,
    firstTokenAt: null,
    error: null,
    ...(by.traceId !== undefined ? { traceId: by.traceId } : {}),
  };
}
