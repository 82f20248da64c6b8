import { findModel } from '../../../shared/index.js';

/**
 * Limits for a model the catalog does not know (a local Ollama model, a new release, a custom endpoint): 32,768
 * tokens is what most current open models accept, and 4,096 tokens of answer is enough for a chat reply. A model
 * with a smaller window fails with the provider's own "context length" error, which names the real limit.
 */
export const DEFAULT_CONTEXT_WINDOW = 32_768;
export const DEFAULT_OUTPUT_RESERVE = 4_096;

/** How much of a model's window a request may fill. */
export interface ContextBudget {
  window: number;
  /** Kept free for the answer. */
  outputReserve: number;
  /** window − outputReserve: what the prompt (system, tools, messages) may use. */
  budget: number;
}

/**
 * The budget for one request: the catalog's window minus the output reserve (the chat's max output setting, else
 * the model's max output). The reserve never takes more than half the window, so a max output set above a small
 * model's window still leaves room for the question.
 */
export function contextBudget(provider: string, model: string, maxOutputTokens: number | null): ContextBudget {
  const info = findModel(provider, model);
  const window = info?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const wanted = maxOutputTokens ?? info?.maxOutput ?? DEFAULT_OUTPUT_RESERVE;
  const outputReserve = Math.min(wanted, Math.floor(window / 2));
  return { window, outputReserve, budget: window - outputReserve };
}
