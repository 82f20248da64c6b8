import { createRequire } from 'node:module';
import type * as Encoding from 'gpt-tokenizer/encoding/cl100k_base';
import { textTokens, turnTokens, turnTokensWith } from '../chat/estimate.js';
import type { ChatTurn } from '../providers/types.js';
import type { TokenCounting } from './builder.js';
import type { TokenCalibration } from './calibration.js';

/** OpenAI's older chat models (GPT-4, GPT-3.5) use cl100k; every model since GPT-4o uses o200k (estimate.ts). */
export function openAIEncoding(model: string): 'cl100k_base' | 'o200k_base' {
  return /^gpt-(3\.5|4)(-(?!o)|$)/.test(model) ? 'cl100k_base' : 'o200k_base';
}

/** cl100k is loaded only for a request to one of those older models (it takes as long to load as o200k). */
let cl100k: typeof Encoding | null = null;
function cl100kTokens(text: string): number {
  cl100k ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/cl100k_base') as typeof Encoding;
  return cl100k.countTokens(text);
}

/** The local o200k count, uncorrected: what calibration compares billed usage with. */
export const O200K_COUNTING: TokenCounting = { turn: turnTokens, text: textTokens };

/**
 * How the builder counts for one model: OpenAI's models with their own encoding (exact up to the chat format's
 * few tokens per message); every other provider with o200k times the ratio learnt from its billed usage.
 */
export function countingFor(
  provider: string,
  model: string,
  calibration: TokenCalibration | null,
  /** A turn's o200k count, from counts kept by message id where the caller has them. */
  o200kTurn: (turn: ChatTurn) => number = turnTokens,
): TokenCounting {
  if (provider === 'openai' && openAIEncoding(model) === 'cl100k_base') return { turn: (turn) => turnTokensWith(cl100kTokens, turn), text: cl100kTokens };
  const ratio = provider === 'openai' ? 1 : (calibration?.ratio(provider, model) ?? 1);
  if (ratio === 1) return { turn: o200kTurn, text: textTokens };
  return { turn: (turn) => Math.ceil(o200kTurn(turn) * ratio), text: (text) => Math.ceil(textTokens(text) * ratio) };
}
