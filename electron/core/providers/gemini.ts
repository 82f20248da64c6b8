import { randomUUID } from 'node:crypto';
import { ApiError, GoogleGenAI, type FunctionDeclaration, type GenerateContentConfig, type GenerateContentParameters } from '@google/genai';
import { CodaError } from '../../../shared/index.js';
import { brokenStream, cancelled, networkFailure, normalizeFailure, type ProviderFailure, type ProviderIdentity } from './errors.js';
import { geminiThinking, normalizeGeminiUsage, OWN_ID_PREFIX, systemText, toGeminiContents, toGeminiSchema } from './gemini-convert.js';
import type { ChatProvider, ChatRequest, CountRequest, ModelListing, ProviderStreamEvent } from './types.js';

export interface GeminiProviderOptions {
  identity: ProviderIdentity;
  apiKey: string;
  /** Host only (the SDK adds /v1beta/models/...); a trailing /v1 or /v1beta is dropped. */
  baseUrl?: string | undefined;
}

const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
const API_VERSION = 'v1beta';

/** Google Gemini through @google/genai: streamGenerateContent over SSE, function calls, thought summaries, token counts. */
export class GeminiProvider implements ChatProvider {
  readonly id: string;
  private readonly client: GoogleGenAI;
  private readonly who: ProviderIdentity;

  constructor(options: GeminiProviderOptions) {
    this.id = options.identity.id;
    this.who = options.identity;
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
    // Everything explicit: the SDK otherwise reads GOOGLE_API_KEY, GOOGLE_GEMINI_BASE_URL and GOOGLE_GENAI_USE_VERTEXAI
    // from the environment, and the key must go only where the user's settings say. It retries nothing unless told to;
    // retries and timeouts live in resilience.ts.
    this.client = new GoogleGenAI({ vertexai: false, apiKey: options.apiKey, apiVersion: API_VERSION, httpOptions: { baseUrl, apiVersion: API_VERSION } });
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    // Gemini's calls often carry no id; ours ties each result back to its call and is unique within the answer.
    const idPrefix = `${OWN_ID_PREFIX}${randomUUID().slice(0, 8)}_`;
    let calls = 0;
    try {
      const stream = await this.client.models.generateContentStream(this.params(request));
      yield { type: 'connected' };
      let usage: Parameters<typeof normalizeGeminiUsage>[0] | undefined;
      let responseId: string | undefined;
      for await (const chunk of stream) {
        if (chunk.responseId && chunk.responseId !== responseId) {
          responseId = chunk.responseId;
          yield { type: 'response-id', id: responseId };
        }
        for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
          if (part.functionCall) {
            calls += 1;
            yield {
              type: 'tool-call',
              id: part.functionCall.id || `${idPrefix}${calls}`,
              name: part.functionCall.name ?? '',
              arguments: JSON.stringify(part.functionCall.args ?? {}),
              ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
            };
          } else if (typeof part.text === 'string' && part.text) {
            // Thought summaries (asked for with includeThoughts) are parts flagged `thought`.
            yield part.thought ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text };
          }
        }
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
      }
      if (request.signal.aborted) throw cancelled();
      if (usage) yield { type: 'usage', usage: normalizeGeminiUsage(usage) };
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async complete(request: ChatRequest): Promise<string> {
    try {
      const response = await this.client.models.generateContent(this.params(request));
      return (response.candidates?.[0]?.content?.parts ?? []).map((p) => (p.thought ? '' : (p.text ?? ''))).join('');
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  /**
   * Gemini's own count of the prompt (models.countTokens). The Gemini API counts only contents there (system
   * instructions and tools are Vertex-only in that call), so the system prompt is counted as a leading user part.
   */
  async countTokens(request: CountRequest): Promise<number> {
    const system = systemText(request.messages);
    const contents = toGeminiContents(request.messages);
    if (system) contents.unshift({ role: 'user', parts: [{ text: system }] });
    if (contents.length === 0) return 0;
    try {
      const counted = await this.client.models.countTokens({ model: request.model, contents, config: { abortSignal: request.signal } });
      if (typeof counted.totalTokens !== 'number') throw new CodaError('provider_error', `${this.who.label} returned no token count.`, { provider: this.id });
      return counted.totalTokens;
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async listModels(signal: AbortSignal): Promise<ModelListing[]> {
    try {
      const models: ModelListing[] = [];
      for await (const model of await this.client.models.list({ config: { pageSize: 1000, abortSignal: signal } })) {
        if (!model.name || !(model.supportedActions?.includes('generateContent') ?? true)) continue;
        models.push({ id: model.name.replace(/^models\//, ''), label: model.displayName ?? model.name });
      }
      return models;
    } catch (error) {
      throw this.toCodaError(error, signal);
    }
  }

  private params(request: ChatRequest): GenerateContentParameters {
    const system = systemText(request.messages);
    const functionDeclarations = request.tools?.map((t): FunctionDeclaration => ({
      name: t.name,
      description: t.description,
      parameters: toGeminiSchema(t.parameters) as FunctionDeclaration['parameters'],
    }));
    const thinkingConfig = geminiThinking(request.model, request.thinking);
    const config: GenerateContentConfig = {
      abortSignal: request.signal,
      ...(system ? { systemInstruction: system } : {}),
      ...(functionDeclarations?.length ? { tools: [{ functionDeclarations }] } : {}),
      ...(request.temperature === null ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(thinkingConfig ? { thinkingConfig } : {}),
    };
    return { model: request.model, contents: toGeminiContents(request.messages), config };
  }

  private toCodaError(error: unknown, signal: AbortSignal): CodaError {
    if (error instanceof CodaError) return error;
    if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return cancelled();
    // HTTP errors and errors sent inside an open stream (a chunk with `error`) both arrive as ApiError.
    if (error instanceof ApiError) return normalizeFailure(this.who, failureOf(error));
    if (error instanceof TypeError && /fetch failed/i.test(error.message)) return networkFailure(this.who, error);
    return brokenStream(this.who, error);
  }
}

/**
 * The SDK puts Google's error body in the message as JSON (after "got status: UNAVAILABLE. " for an error inside a
 * stream): its status name, message and details, where RetryInfo ("retryDelay": "20s") is the retry-after.
 */
function failureOf(error: ApiError): ProviderFailure {
  const start = error.message.indexOf('{');
  let body: { error?: { message?: unknown; status?: unknown; details?: unknown } } = {};
  try {
    if (start >= 0) body = JSON.parse(error.message.slice(start)) as typeof body;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status is still known.
  }
  const detail = body.error ?? {};
  return {
    status: error.status,
    type: typeof detail.status === 'string' ? detail.status : undefined,
    message: typeof detail.message === 'string' ? detail.message : error.message,
    retryAfterSeconds: retryDelayOf(detail.details),
  };
}

function retryDelayOf(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as { '@type'?: string; retryDelay?: string }[]) {
    if (detail['@type']?.endsWith('RetryInfo') && detail.retryDelay) {
      const seconds = Number.parseFloat(detail.retryDelay);
      if (Number.isFinite(seconds)) return seconds;
    }
  }
  return undefined;
}
