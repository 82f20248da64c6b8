import type { Usage } from '../contract/domain.js';

/** USD per one million tokens. Reasoning tokens are billed as output and already counted in outputTokens. */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
}

/** Bump when prices change, so stored costs can say which table priced them. */
export const PRICING_VERSION = '2026-12-02';

/**
 * Public list prices of the providers' models, per 1M tokens, standard tier, as their pricing pages publish them
 * (developers.openai.com/api/docs/pricing, platform.claude.com/docs/en/about-claude/pricing,
 * ai.google.dev/gemini-api/docs/pricing; checked for this version against copies of those pages made in 2026).
 * Every model in the catalog (models.ts) is here or runs on a free provider; a test holds that.
 */
export const modelPrices: Readonly<Record<string, ModelPrice>> = {
  'openai/gpt-5': { input: 1.25, cachedInput: 0.125, cacheWrite: 0, output: 10 },
  'openai/gpt-5-mini': { input: 0.25, cachedInput: 0.025, cacheWrite: 0, output: 2 },
  'openai/gpt-5-nano': { input: 0.05, cachedInput: 0.005, cacheWrite: 0, output: 0.4 },
  'openai/gpt-4.1': { input: 2, cachedInput: 0.5, cacheWrite: 0, output: 8 },
  'openai/gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, cacheWrite: 0, output: 1.6 },
  'openai/gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, cacheWrite: 0, output: 0.4 },
  'openai/gpt-4o': { input: 2.5, cachedInput: 1.25, cacheWrite: 0, output: 10 },
  'openai/gpt-4o-mini': { input: 0.15, cachedInput: 0.075, cacheWrite: 0, output: 0.6 },
  'openai/o3': { input: 2, cachedInput: 0.5, cacheWrite: 0, output: 8 },
  'openai/o4-mini': { input: 1.1, cachedInput: 0.275, cacheWrite: 0, output: 4.4 },
  // Anthropic: cache reads at 0.1x input, 5-minute cache writes at 1.25x input.
  'anthropic/claude-sonnet-4-6': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'anthropic/claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'anthropic/claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'anthropic/claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  // Gemini: prompts up to 200k tokens, text; thinking tokens are billed as output, cached tokens at the context
  // caching price (storage per hour is not counted).
  'gemini/gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, cacheWrite: 0, output: 10 },
  'gemini/gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, cacheWrite: 0, output: 2.5 },
  'gemini/gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, cacheWrite: 0, output: 0.4 },
  'gemini/gemini-2.0-flash': { input: 0.1, cachedInput: 0.025, cacheWrite: 0, output: 0.4 },
};

/**
 * Providers whose models run on the user's own machine or server: no provider bills them per token, so their
 * answers cost 0 (a price the user sets in Settings still wins, for a rented GPU say).
 */
export const freeProviders: ReadonlySet<string> = new Set(['ollama', 'lmstudio', 'llamacpp', 'vllm']);

/** The price that applies to a model: the user's own, the list price, 0 on a free provider; null when unknown. */
export function priceOf(provider: string, model: string, overrides: Readonly<Record<string, ModelPrice>> = {}): ModelPrice | null {
  const key = `${provider}/${model}`;
  const price = overrides[key] ?? modelPrices[key];
  if (price) return price;
  return freeProviders.has(provider) ? { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 } : null;
}

/**
 * Cost of one reply from the provider's reported usage; null when the model's price is unknown (a model a
 * provider lists that the table does not know, say), so the UI shows "unknown" rather than a made-up zero.
 */
export function costOf(provider: string, model: string, usage: Usage, overrides: Readonly<Record<string, ModelPrice>> = {}): number | null {
  const price = priceOf(provider, model, overrides);
  if (!price) return null;
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const micro =
    uncachedInput * price.input + usage.cachedInputTokens * price.cachedInput + usage.cacheWriteTokens * price.cacheWrite + usage.outputTokens * price.output;
  return micro / 1_000_000;
}
