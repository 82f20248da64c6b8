import type { OutputConfig, ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import { CodaError } from '../../../shared/index.js';
import { budgetOf, effortOf } from './thinking.js';
import type { ChatRequest } from './types.js';

/**
 * How an Anthropic model takes thinking. Claude 3.7 to 4.5 take a budget (`enabled`); Opus and Sonnet 4.6 take a
 * budget or, preferably, `adaptive` thinking with an effort; Opus 4.7 and later (Claude 5 too) take `adaptive` only
 * and cannot turn thinking off; Claude 3.5 and older do not think.
 */
export type AnthropicThinkingMode = 'none' | 'budget' | 'budget-or-adaptive' | 'adaptive';

/** Anthropic's smallest thinking budget: a smaller one is a 400. */
export const MIN_ANTHROPIC_BUDGET = 1_024;

export function anthropicThinkingMode(model: string): AnthropicThinkingMode {
  if (/^claude-3-7-/.test(model)) return 'budget';
  if (/^claude-(instant|2|3)[-.]/.test(model)) return 'none';
  // claude-opus-4-1-20250805, claude-sonnet-4-20250514 (a date, not a minor version), claude-sonnet-4-6, claude-fable-5-1.
  const version = /^claude-[a-z]+-(\d+)(?:-(\d{1,2})(?!\d))?/.exec(model);
  if (!version) return 'budget';
  const number = Number(version[1]) * 10 + Number(version[2] ?? 0);
  if (number < 46) return 'budget';
  return number === 46 ? 'budget-or-adaptive' : 'adaptive';
}

/**
 * Claude 4 to 4.5 think between tool calls only with this beta (adaptive thinking does so by itself); without it,
 * only the first step of an answer would have reasoning. Claude 3.7 does not take it.
 */
export const INTERLEAVED_THINKING_BETA = 'interleaved-thinking-2025-05-14';

export function anthropicBetas(model: string, sampling: AnthropicSampling): string[] {
  return sampling.thinking?.type === 'enabled' && !/^claude-3-7-/.test(model) ? [INTERLEAVED_THINKING_BETA] : [];
}

/** The request's sampling and thinking fields as Anthropic takes them. */
export interface AnthropicSampling {
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  thinking?: ThinkingConfigParam;
  output_config?: OutputConfig;
}

/**
 * Sampling and thinking for one request. With thinking on, Anthropic refuses a temperature other than 1, a top-p
 * under 0.95 and a budget not below max_tokens: such settings are refused here with what to change, rather than
 * quietly dropped. Without a longest-answer setting, max_tokens leaves `defaultMaxTokens` for the answer after the
 * budget. A budget under Anthropic's minimum is raised to it.
 */
export function anthropicSampling(request: ChatRequest, defaultMaxTokens: number): AnthropicSampling {
  const mode = anthropicThinkingMode(request.model);
  const thinking = mode === 'none' ? undefined : request.thinking;
  const plain: AnthropicSampling = {
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    ...(request.temperature === null ? {} : { temperature: Math.min(1, request.temperature) }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
  };
  if (!thinking) return plain;
  if ('budgetTokens' in thinking && thinking.budgetTokens === 0) return mode === 'adaptive' ? plain : { ...plain, thinking: { type: 'disabled' } };

  if (request.temperature !== null && request.temperature !== 1) {
    throw settingConflict(`Anthropic's thinking works only at temperature 1: clear Temperature (or set it to 1) in Chat settings, or turn Thinking off.`);
  }
  if (request.topP !== undefined && request.topP < 0.95) {
    throw settingConflict(`With thinking on, Anthropic takes a top-p from 0.95 to 1: clear Top-p in Chat settings, or turn Thinking off.`);
  }
  const budget = Math.max(MIN_ANTHROPIC_BUDGET, budgetOf(thinking));
  const sampling = { ...(request.temperature === null ? {} : { temperature: 1 }), ...(request.topP === undefined ? {} : { top_p: request.topP }) };
  const adaptive = mode === 'adaptive' || (mode === 'budget-or-adaptive' && 'effort' in thinking);
  if (adaptive) {
    // Summarized, so the thinking streams as reasoning (some models omit it by default and send only the signature).
    return {
      max_tokens: request.maxOutputTokens ?? budget + defaultMaxTokens,
      ...sampling,
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: effortOf(thinking) },
    };
  }
  if (request.maxOutputTokens !== undefined && request.maxOutputTokens <= budget) {
    throw settingConflict(
      `Anthropic needs the longest answer above the thinking budget, which it counts in: ${request.maxOutputTokens} tokens is not more than ${budget}. Raise Longest answer or lower Thinking in Chat settings.`,
    );
  }
  return { max_tokens: request.maxOutputTokens ?? budget + defaultMaxTokens, ...sampling, thinking: { type: 'enabled', budget_tokens: budget } };
}

function settingConflict(message: string): CodaError {
  return new CodaError('validation', message);
}
