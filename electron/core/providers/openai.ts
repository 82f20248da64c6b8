import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CodaError, type Usage } from '../../../shared/index.js';
import type { ChatProvider, ChatRequest, ProviderStreamEvent } from './types.js';

export interface OpenAIProviderOptions {
  apiKey: string;
  baseURL?: string | undefined;
  /** Retries of a request that failed before any token arrived (the SDK backs off and honours retry-after). */
  maxRetries?: number;
  timeoutMs?: number;
}

/** OpenAI Chat Completions, streamed with usage, through the official SDK. */
export class OpenAIProvider implements ChatProvider {
  readonly id = 'openai';
  private readonly client: OpenAI;

  constructor(options: OpenAIProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 120_000,
    });
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    const toolCalls = new Map<number, { id: string; name: string; arguments: string }>();
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages satisfies ChatCompletionMessageParam[],
          stream: true,
          stream_options: { include_usage: true },
          ...(request.temperature === null ? {} : { temperature: request.temperature }),
        },
        { signal: request.signal },
      );
      let responseId: string | null = null;
      for await (const chunk of stream) {
        if (chunk.id && chunk.id !== responseId) {
          responseId = chunk.id;
          yield { type: 'response-id', id: chunk.id };
        }
        const delta = chunk.choices[0]?.delta;
        if (delta) {
          // Several OpenAI-compatible servers (vLLM, DeepSeek, llama.cpp) stream reasoning in this extra field.
          const reasoning = (delta as { reasoning_content?: unknown }).reasoning_content;
          if (typeof reasoning === 'string' && reasoning) yield { type: 'reasoning', text: reasoning };
          if (delta.content) yield { type: 'text', text: delta.content };
          for (const call of delta.tool_calls ?? []) {
            const current = toolCalls.get(call.index) ?? { id: '', name: '', arguments: '' };
            current.id ||= call.id ?? '';
            current.name += call.function?.name ?? '';
            current.arguments += call.function?.arguments ?? '';
            toolCalls.set(call.index, current);
          }
        }
        if (chunk.usage) yield { type: 'usage', usage: normalizeUsage(chunk.usage) };
      }
      for (const call of toolCalls.values()) yield { type: 'tool-call', ...call };
    } catch (error) {
      throw toCodaError(error, request.signal);
    }
  }

  async complete(request: ChatRequest): Promise<string> {
    try {
      const response = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages satisfies ChatCompletionMessageParam[],
          ...(request.temperature === null ? {} : { temperature: request.temperature }),
        },
        { signal: request.signal, maxRetries: 0 },
      );
      return response.choices[0]?.message.content ?? '';
    } catch (error) {
      throw toCodaError(error, request.signal);
    }
  }
}

/** OpenAI counts reasoning tokens inside completion_tokens and cached tokens inside prompt_tokens; we keep both totals as billed. */
export function normalizeUsage(usage: NonNullable<ChatCompletionChunk['usage']>): Usage {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function toCodaError(error: unknown, signal: AbortSignal): CodaError {
  if (error instanceof CodaError) return error;
  if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return new CodaError('cancelled', 'Stopped.');
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new CodaError('timeout', 'OpenAI did not answer in time. Try again, or check the endpoint.');
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new CodaError('network', `Could not reach OpenAI: ${error.cause instanceof Error ? error.cause.message : error.message}. Check your connection or OPENAI_BASE_URL.`);
  }
  if (error instanceof OpenAI.AuthenticationError) {
    return new CodaError('provider_auth', 'The OpenAI key was rejected: check OPENAI_API_KEY.', { status: 401 });
  }
  if (error instanceof OpenAI.RateLimitError) {
    const retryAfter = Number(error.headers?.get('retry-after'));
    return new CodaError(
      'provider_rate_limited',
      `OpenAI is rate limiting this key${Number.isFinite(retryAfter) ? `; try again in ${retryAfter} s` : ''}.`,
      { status: 429, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) },
    );
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const detail = error.error && typeof error.error === 'object' && 'message' in error.error ? String(error.error.message) : error.message;
    return new CodaError('provider_error', `OpenAI returned an error${status ? ` (HTTP ${status})` : ''}: ${detail}`, status ? { status } : undefined);
  }
  // A stream cut off mid-way or a chunk the SDK could not parse.
  const message = error instanceof Error ? error.message : String(error);
  return new CodaError('network', `The answer from OpenAI was cut off: ${message}`);
}
