import { countTokens } from 'gpt-tokenizer';
import type { ChatTurn } from '../providers/types.js';

/** Tokens each message adds for its role and separators in chat formats. */
const PER_MESSAGE_OVERHEAD = 4;

/**
 * A pre-flight estimate of the prompt's size with OpenAI's o200k tokenizer, for budgeting before sending. Other
 * providers tokenize differently, so it is stored as an estimate; the billed count always comes from the provider.
 */
export function estimateInputTokens(turns: ChatTurn[]): number {
  let total = 3;
  for (const turn of turns) {
    total += PER_MESSAGE_OVERHEAD + countTokens(turn.content);
    if (turn.role === 'assistant') for (const call of turn.toolCalls ?? []) total += countTokens(call.name) + countTokens(call.arguments);
  }
  return total;
}
