import { createRequire } from 'node:module';
import type * as GptTokenizer from 'gpt-tokenizer';
import type { ChatProvider, ChatTurn, CountRequest } from '../providers/types.js';
import type { TokenCounter } from './usage-meter.js';

/**
 * gpt-tokenizer's o200k encoding takes ~100 ms to load, so it is loaded when the first count needs it (after a
 * request has left), not when core opens: `coda --help` or a command that sends nothing never loads it.
 */
let tokenizer: typeof GptTokenizer | null = null;
function countTokens(text: string): number {
  tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer') as typeof GptTokenizer;
  return tokenizer.countTokens(text);
}

/** Tokens each message adds for its role and separators in chat formats. */
export const PER_MESSAGE_OVERHEAD = 4;

/** One turn's tokens as the o200k tokenizer counts them, with its role overhead, tool calls and thinking. */
export function turnTokens(turn: ChatTurn): number {
  return turnTokensWith(countTokens, turn);
}

/** One turn's tokens with a given text counter (another encoding: context/counting.ts). */
export function turnTokensWith(countTokens: (text: string) => number, turn: ChatTurn): number {
  let count = PER_MESSAGE_OVERHEAD + countTokens(turn.content);
  if (turn.role === 'assistant') for (const call of turn.toolCalls ?? []) count += countTokens(call.name) + countTokens(call.arguments);
  // Thinking sent back is read as input; a redacted block's size is unknowable from its encrypted data.
  if (turn.role === 'assistant') for (const part of turn.reasoning ?? []) count += part.kind === 'anthropic-redacted' ? 0 : countTokens(part.text);
  return count;
}

/** Tokens of plain text (the tokenizer is loaded on first use). */
export function textTokens(text: string): number {
  return countTokens(text);
}
const CACHE_LIMIT = 20_000;

/** Longest wait for a provider's own count; after it the local tokenizer answers, so a slow count never holds an answer back. */
export const PROVIDER_COUNT_TIMEOUT_MS = 3_000;

/**
 * The prompt's size as the provider counts it where its API can (Gemini's countTokens), else the local tokenizer's
 * estimate. Never fails: a provider that cannot be reached, refuses, is stopped or is slow leaves it to `local`.
 */
export async function estimateInputTokens(provider: () => ChatProvider, request: CountRequest, local: () => number): Promise<number> {
  try {
    const counter = provider();
    if (counter.countTokens)
      return await counter.countTokens({ ...request, signal: AbortSignal.any([request.signal, AbortSignal.timeout(PROVIDER_COUNT_TIMEOUT_MS)]) });
  } catch {
    // An estimate is a nicety: the tokenizer's stands in.
  }
  return local();
}

/**
 * A pre-flight estimate of the prompt's size with OpenAI's o200k tokenizer, for budgeting before sending. Other
 * providers tokenize differently, so it is stored as an estimate; the billed count always comes from the provider.
 * Finished messages never change, so each one's count is kept: a long chat is tokenized once, not at every send.
 */
export class TokenCountCache {
  private readonly counts = new Map<string, number>();

  estimate(turns: ChatTurn[], ids: (string | null)[] = []): number {
    let total = 3;
    turns.forEach((turn, index) => {
      total += this.turn(turn, ids[index] ?? null);
    });
    return total;
  }

  /** One turn's o200k count, kept when it is a message's (`id`). */
  turn(turn: ChatTurn, id: string | null): number {
    let count = id ? this.counts.get(id) : undefined;
    if (count === undefined) {
      count = turnTokens(turn);
      if (id) this.remember(id, count);
    }
    return count;
  }

  private remember(id: string, count: number): void {
    if (this.counts.size >= CACHE_LIMIT) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    this.counts.set(id, count);
  }
}

/**
 * Counts for the usage meter (usage-meter.ts) of one answer: the history's turns by their saved counts (`ids`
 * align with `history`; a request may send some of them, or shortened copies, so each is found by identity), the
 * answer's own turns afresh, tool definitions as their JSON.
 */
export function tokenCounter(cache: TokenCountCache, history: readonly ChatTurn[], ids: (string | null)[]): TokenCounter & { turn(turn: ChatTurn): number } {
  const idOf = new Map<ChatTurn, string | null>(history.map((turn, i) => [turn, ids[i] ?? null]));
  return {
    input: (turns, tools) =>
      cache.estimate(
        [...turns],
        turns.map((turn) => idOf.get(turn) ?? null),
      ) + (tools.length > 0 ? countTokens(JSON.stringify(tools)) : 0),
    text: (text) => countTokens(text),
    // One turn's o200k count, by its saved count when it is one of the history's (the context builder's counting).
    turn: (turn) => cache.turn(turn, idOf.get(turn) ?? null),
  };
}
