import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { CodaError, type Usage } from '../../../shared/index.js';
import { anthropicBetas, anthropicSampling } from './anthropic-thinking.js';
import { brokenStream, cancelled, networkFailure, normalizeFailure, retryAfterFrom, type ProviderIdentity } from './errors.js';
import type { ChatProvider, ChatRequest, ChatTurn, ModelListing, ProviderStreamEvent, ReasoningPart } from './types.js';

export interface AnthropicProviderOptions {
  identity: ProviderIdentity;
  apiKey: string;
  baseURL?: string | undefined;
  /** Anthropic requires max_tokens; used when the request does not say. */
  defaultMaxTokens?: number;
}

/**
 * Anthropic Messages, streamed, through the official SDK. Thinking blocks stream as reasoning and, once complete with
 * their signature (or redacted), as reasoning parts the agent loop sends back first in the next request of the loop.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  private readonly client: Anthropic;
  private readonly who: ProviderIdentity;
  private readonly defaultMaxTokens: number;

  constructor(options: AnthropicProviderOptions) {
    this.id = options.identity.id;
    this.who = options.identity;
    this.defaultMaxTokens = options.defaultMaxTokens ?? 8192;
    this.client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL ?? null, maxRetries: 0, timeout: 10 * 60_000 });
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    const blocks = new Map<number, OpenBlock>();
    const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    let sawUsage = false;
    try {
      const body = this.body(request);
      const betas = anthropicBetas(request.model, body);
      const stream = await this.client.messages.create(
        { ...body, stream: true },
        { signal: request.signal, ...(betas.length > 0 ? { headers: { 'anthropic-beta': betas.join(',') } } : {}) },
      );
      yield { type: 'connected' };
      for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
        switch (event.type) {
          case 'message_start': {
            yield { type: 'response-id', id: event.message.id };
            const u = event.message.usage;
            // Anthropic's input_tokens excludes cached reads and cache writes; the normalized input is all of them.
            usage.cachedInputTokens = u.cache_read_input_tokens ?? 0;
            usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
            usage.inputTokens = u.input_tokens + usage.cachedInputTokens + usage.cacheWriteTokens;
            usage.outputTokens = u.output_tokens;
            sawUsage = true;
            break;
          }
          case 'content_block_start': {
            const block = event.content_block;
            blocks.set(event.index, openBlock(block));
            if (block.type === 'text' && block.text) yield { type: 'text', text: block.text };
            if (block.type === 'thinking' && block.thinking) yield { type: 'reasoning', text: block.thinking };
            break;
          }
          case 'content_block_delta': {
            const delta = event.delta;
            if (delta.type === 'text_delta') yield { type: 'text', text: delta.text };
            const block = blocks.get(event.index);
            if (delta.type === 'thinking_delta') {
              if (block?.kind === 'thinking') block.text += delta.thinking;
              yield { type: 'reasoning', text: delta.thinking };
            } else if (delta.type === 'signature_delta' && block?.kind === 'thinking') block.signature += delta.signature;
            else if (delta.type === 'input_json_delta' && block?.kind === 'tool') block.json += delta.partial_json;
            break;
          }
          case 'content_block_stop': {
            const block = blocks.get(event.index);
            if (block?.kind === 'tool') yield { type: 'tool-call', id: block.id, name: block.name, arguments: block.json || '{}' };
            else if (block?.kind === 'thinking')
              yield { type: 'reasoning-part', part: { kind: 'anthropic-thinking', text: block.text, signature: block.signature } };
            else if (block?.kind === 'redacted') yield { type: 'reasoning-part', part: { kind: 'anthropic-redacted', data: block.data } };
            break;
          }
          case 'message_delta': {
            // Cumulative totals: overwrite, never add. message_start's output count is only a placeholder.
            usage.outputTokens = event.usage.output_tokens;
            const thinking = (event.usage as { output_tokens_details?: { thinking_tokens?: number } }).output_tokens_details?.thinking_tokens;
            if (typeof thinking === 'number') usage.reasoningTokens = thinking;
            if (typeof event.usage.input_tokens === 'number') {
              usage.inputTokens = event.usage.input_tokens + usage.cachedInputTokens + usage.cacheWriteTokens;
            }
            break;
          }
          default:
            break;
        }
      }
      if (request.signal.aborted) throw cancelled();
      if (sawUsage) yield { type: 'usage', usage };
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async complete(request: ChatRequest): Promise<string> {
    try {
      const message = await this.client.messages.create(this.body(request), { signal: request.signal });
      return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async listModels(signal: AbortSignal): Promise<ModelListing[]> {
    try {
      const models: ModelListing[] = [];
      for await (const model of this.client.models.list({ limit: 100 }, { signal })) models.push({ id: model.id, label: model.display_name || model.id });
      return models;
    } catch (error) {
      throw this.toCodaError(error, signal);
    }
  }

  private body(request: ChatRequest) {
    const system = request.messages.flatMap((t) => (t.role === 'system' ? [t.content] : [])).join('\n\n');
    const tools: Tool[] | undefined = request.tools?.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: { type: 'object', ...t.parameters } as Tool['input_schema'],
    }));
    return {
      model: request.model,
      ...anthropicSampling(request, this.defaultMaxTokens),
      messages: toAnthropicMessages(request.messages),
      ...(system ? { system } : {}),
      ...(tools?.length ? { tools } : {}),
    };
  }

  private toCodaError(error: unknown, signal: AbortSignal): CodaError {
    if (error instanceof CodaError) return error;
    if (signal.aborted || error instanceof Anthropic.APIUserAbortError) return cancelled();
    if (error instanceof Anthropic.APIConnectionTimeoutError)
      return new CodaError('timeout', `${this.who.label} did not answer in time.`, { provider: this.id });
    if (error instanceof Anthropic.APIConnectionError) return networkFailure(this.who, error.cause ?? error);
    if (error instanceof Anthropic.APIError) {
      // Errors sent inside an open stream (`event: error`) arrive without an HTTP status; their type says what happened.
      const body = error.error as { error?: { type?: unknown; message?: unknown } } | undefined;
      const type = typeof body?.error?.type === 'string' ? body.error.type : undefined;
      const message = typeof body?.error?.message === 'string' ? body.error.message : error.message;
      if (error.status !== undefined || type) {
        return normalizeFailure(this.who, { status: error.status ?? statusOfType(type), type, message, retryAfterSeconds: retryAfterFrom(error.headers) });
      }
    }
    return brokenStream(this.who, error);
  }
}

/** A content block while it streams: tool input and thinking are gathered until the block closes. */
type OpenBlock =
  | { kind: 'tool'; id: string; name: string; json: string }
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'other' };

function openBlock(block: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>['content_block']): OpenBlock {
  if (block.type === 'tool_use') return { kind: 'tool', id: block.id, name: block.name, json: '' };
  if (block.type === 'thinking') return { kind: 'thinking', text: block.thinking, signature: block.signature };
  if (block.type === 'redacted_thinking') return { kind: 'redacted', data: block.data };
  return { kind: 'other' };
}

function statusOfType(type: string | undefined): number | undefined {
  const byType: Record<string, number> = { overloaded_error: 529, api_error: 500, rate_limit_error: 429, invalid_request_error: 400 };
  return type ? byType[type] : undefined;
}

/** Anthropic wants alternating user/assistant turns; tool results travel as user content blocks. */
function toAnthropicMessages(turns: ChatTurn[]): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Exclude<MessageParam['content'], string>) => {
    const last = out.at(-1);
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    if (turn.role === 'user') push('user', [{ type: 'text', text: turn.content }]);
    else if (turn.role === 'assistant') {
      push('assistant', [
        // Thinking first, in order and unmodified: the API checks each block's signature.
        ...(turn.reasoning ?? []).flatMap(toThinkingBlock),
        ...(turn.content ? [{ type: 'text' as const, text: turn.content }] : []),
        ...(turn.toolCalls ?? []).map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: parseArguments(c.arguments) })),
      ]);
    } else {
      push('user', [{ type: 'tool_result', tool_use_id: turn.toolCallId, content: turn.content, ...(turn.isError ? { is_error: true } : {}) }]);
    }
  }
  return out;
}

function toThinkingBlock(part: ReasoningPart): ContentBlockParam[] {
  switch (part.kind) {
    case 'anthropic-thinking':
      return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    case 'anthropic-redacted':
      return [{ type: 'redacted_thinking', data: part.data }];
    case 'reasoning-content':
      return [];
  }
}

function parseArguments(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
