import { CodaError, costOf, toErrorShape, type ModelPrice } from '../../../shared/index.js';
import { addUsage, ZERO_USAGE } from '../chat/usage-meter.js';
import { contextBudget } from '../context/budget.js';
import { textTokens } from '../chat/estimate.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** Longest a summarizer call may take before the summary is given up (the chat carries on without it). */
const SUMMARY_TIMEOUT_MS = 120_000;
/** Longest summary asked for, in tokens. */
export const SUMMARY_MAX_TOKENS = 2_000;

const INSTRUCTIONS = [
  'You condense a conversation between a user and an assistant so it can continue without the original messages.',
  'Write a concise summary in plain prose or short bullet points, in the language of the conversation.',
  'Keep every name (people, products, places, files), every number with its unit, every decision made and why,',
  'and every open question or task still to do. Leave out greetings and small talk. Reply with the summary only.',
].join(' ');

/** A message to summarize, as the model sees it. */
export interface SummaryInput {
  role: 'user' | 'assistant';
  text: string;
}

export interface SummarizerResult {
  text: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

const transcript = (messages: SummaryInput[]) => messages.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.text}`).join('\n\n');

/**
 * Splits messages into parts the summarizer's window takes with the summary so far (counted with the tokenizer; a
 * part takes at most half the budget, leaving room for the instructions, the summary so far and the tokenizer's
 * misestimate for other providers). One message longer than that is cut.
 */
function parts(messages: SummaryInput[], maxTokens: number): SummaryInput[][] {
  const out: SummaryInput[][] = [];
  let current: SummaryInput[] = [];
  let size = 0;
  for (const message of messages) {
    let text = message.text;
    let tokens = textTokens(text) + 8;
    if (tokens > maxTokens) {
      // Tokens are at least a character each, so this many characters always fit.
      text = `${text.slice(0, maxTokens)} […cut]`;
      tokens = textTokens(text) + 8;
    }
    if (current.length > 0 && size + tokens > maxTokens) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push({ role: message.role, text });
    size += tokens;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Folds new messages into the summary so far with one model call per part (most ranges are one part). The call
 * goes through the provider router like titles do, streamed so its usage can be kept with the summary.
 */
export async function summarize(
  providers: ProviderRegistry,
  target: { provider: string; model: string },
  previous: string | null,
  messages: SummaryInput[],
  options: { signal?: AbortSignal; priceOverrides?: Readonly<Record<string, ModelPrice>> } = {},
): Promise<SummarizerResult> {
  const failed = (error: unknown) => {
    const shape = toErrorShape(error);
    return new CodaError(shape.code, `The summarizer (${target.provider}/${target.model}) failed: ${shape.message}`);
  };
  let provider: ReturnType<ProviderRegistry['get']>;
  try {
    provider = providers.get(target.provider);
  } catch (error) {
    throw failed(error);
  }
  const { budget } = contextBudget(target.provider, target.model, SUMMARY_MAX_TOKENS);
  const maxTokens = Math.max(2_000, Math.floor(budget / 2) - (previous ? textTokens(previous) : 0) - 500);
  let summary = previous;
  let total = ZERO_USAGE;
  let reported = false;
  for (const part of parts(messages, maxTokens)) {
    const content = summary
      ? `Summary so far:\n${summary}\n\nNew messages to fold into it:\n\n${transcript(part)}\n\nWrite the updated summary of the whole conversation.`
      : `Conversation:\n\n${transcript(part)}\n\nWrite the summary.`;
    let text = '';
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(SUMMARY_TIMEOUT_MS)]) : AbortSignal.timeout(SUMMARY_TIMEOUT_MS);
    try {
      for await (const event of provider.stream({
        model: target.model,
        temperature: null,
        maxOutputTokens: SUMMARY_MAX_TOKENS,
        signal,
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          { role: 'user', content },
        ],
      })) {
        if (event.type === 'text') text += event.text;
        else if (event.type === 'usage') {
          reported = true;
          total = addUsage(total, event.usage);
        }
      }
    } catch (error) {
      throw failed(error);
    }
    if (!text.trim()) throw new CodaError('provider_error', `The summarizer (${target.provider}/${target.model}) returned no text.`);
    summary = text.trim();
  }
  if (summary === null) throw new CodaError('validation', 'There is nothing to summarize yet.');
  return {
    text: summary,
    inputTokens: reported ? total.inputTokens : null,
    outputTokens: reported ? total.outputTokens : null,
    costUsd: reported ? costOf(target.provider, target.model, total, options.priceOverrides) : null,
  };
}
