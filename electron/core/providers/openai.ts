import OpenAI, { AzureOpenAI } from 'openai';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { CodaError, type Usage } from '../../../shared/index.js';
import { brokenStream, cancelled, networkFailure, normalizeFailure, retryAfterFrom, type ProviderIdentity } from './errors.js';
import { effortOf } from './thinking.js';
import type { ChatProvider, ChatRequest, ChatTurn, ModelListing, ProviderStreamEvent, ToolDefinition } from './types.js';

export interface OpenAIProviderOptions {
  identity: ProviderIdentity;
  apiKey: string;
  baseURL?: string | undefined;
  /** Azure OpenAI: the resource endpoint and API version; the model name is the deployment. */
  azure?: { endpoint: string; apiVersion: string } | undefined;
}

/** OpenAI Chat Completions (and Azure OpenAI, and every OpenAI-compatible server) through the official SDK. */
export class OpenAIProvider implements ChatProvider {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly who: ProviderIdentity;

  constructor(options: OpenAIProviderOptions) {
    this.id = options.identity.id;
    this.who = options.identity;
    // Retries, timeouts and the circuit breaker live in resilience.ts, the same for every provider.
    this.client = options.azure
      ? new AzureOpenAI({ apiKey: options.apiKey, endpoint: options.azure.endpoint, apiVersion: options.azure.apiVersion, maxRetries: 0 })
      : new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 10 * 60_000 });
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    const toolCalls = new Map<number, { id: string; name: string; arguments: string }>();
    let reasoningContent = '';
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: toOpenAIMessages(request.messages),
          stream: true,
          stream_options: { include_usage: true },
          ...(request.temperature === null ? {} : { temperature: request.temperature }),
          ...(request.topP === undefined ? {} : { top_p: request.topP }),
          ...(request.maxOutputTokens ? { max_completion_tokens: request.maxOutputTokens } : {}),
          ...(request.tools?.length ? { tools: request.tools.map(toOpenAITool) } : {}),
          // A level only: a budget maps onto the level whose budget covers it (thinking.ts).
          ...(request.thinking ? { reasoning_effort: effortOf(request.thinking) } : {}),
        },
        { signal: request.signal },
      );
      yield { type: 'connected' };
      let responseId: string | null = null;
      for await (const chunk of stream) {
        if (chunk.id && chunk.id !== responseId) {
          responseId = chunk.id;
          yield { type: 'response-id', id: chunk.id };
        }
        const delta = chunk.choices[0]?.delta;
        if (delta) {
          // vLLM, DeepSeek, llama.cpp and OpenRouter stream reasoning in one of these extra fields.
          const extra = delta as { reasoning_content?: unknown; reasoning?: unknown };
          const reasoning = typeof extra.reasoning_content === 'string' ? extra.reasoning_content : extra.reasoning;
          if (typeof reasoning === 'string' && reasoning) yield { type: 'reasoning', text: reasoning };
          if (typeof extra.reasoning_content === 'string') reasoningContent += extra.reasoning_content;
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
      // The SDK ends the iteration quietly when its request is aborted.
      if (request.signal.aborted) throw cancelled();
      // DeepSeek's thinking mode wants it back on the turn's tool calls (see toOpenAIMessages).
      if (reasoningContent) yield { type: 'reasoning-part', part: { kind: 'reasoning-content', text: reasoningContent } };
      for (const [index, call] of toolCalls) yield { type: 'tool-call', ...call, id: call.id || `call_${index}` };
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async complete(request: ChatRequest): Promise<string> {
    try {
      const response = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: toOpenAIMessages(request.messages),
          ...(request.temperature === null ? {} : { temperature: request.temperature }),
        },
        { signal: request.signal },
      );
      return response.choices[0]?.message.content ?? '';
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async listModels(signal: AbortSignal): Promise<ModelListing[]> {
    try {
      const models: ModelListing[] = [];
      for await (const model of this.client.models.list({ signal })) models.push({ id: model.id, label: model.id });
      return models;
    } catch (error) {
      throw this.toCodaError(error, signal);
    }
  }

  private toCodaError(error: unknown, signal: AbortSignal): CodaError {
    if (error instanceof CodaError) return error;
    if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return cancelled();
    if (error instanceof OpenAI.APIConnectionTimeoutError) return new CodaError('timeout', `${this.who.label} did not answer in time.`, { provider: this.id });
    if (error instanceof OpenAI.APIConnectionError) return networkFailure(this.who, error.cause ?? error);
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      const body = error.error as { message?: unknown; type?: unknown; code?: unknown } | undefined;
      return normalizeFailure(this.who, {
        status: error.status,
        type: typeof body?.type === 'string' ? body.type : typeof body?.code === 'string' ? body.code : undefined,
        message: typeof body?.message === 'string' ? body.message : error.message,
        retryAfterSeconds: retryAfterFrom(error.headers),
      });
    }
    return brokenStream(this.who, error);
  }
}

/** OpenAI counts reasoning tokens inside completion_tokens and cached tokens inside prompt_tokens; both totals are kept as billed. */
export function normalizeUsage(usage: NonNullable<ChatCompletionChunk['usage']>): Usage {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function toOpenAIMessages(turns: ChatTurn[]): ChatCompletionMessageParam[] {
  return turns.map((turn): ChatCompletionMessageParam => {
    switch (turn.role) {
      case 'system':
      case 'user':
        return { role: turn.role, content: turn.content };
      case 'assistant': {
        if (!turn.toolCalls?.length) return { role: 'assistant', content: turn.content };
        // Only a server that streamed reasoning_content gets it back: OpenAI's own API never sends one.
        const reasoning = turn.reasoning?.flatMap((part) => (part.kind === 'reasoning-content' ? [part.text] : [])).join('');
        const message: ChatCompletionAssistantMessageParam & { reasoning_content?: string } = {
          role: 'assistant',
          content: turn.content || null,
          tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
          ...(reasoning ? { reasoning_content: reasoning } : {}),
        };
        return message;
      }
      case 'tool':
        return { role: 'tool', tool_call_id: turn.toolCallId, content: turn.content };
    }
  });
}

function toOpenAITool(tool: ToolDefinition): ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
