import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIFetchError,
  type Content,
  type FunctionDeclaration,
  type GenerateContentResponse,
  type Part,
} from '@google/generative-ai';
import { CodaError, type Usage } from '../../../shared/index.js';
import { brokenStream, cancelled, networkFailure, normalizeFailure, type ProviderIdentity } from './errors.js';
import type { ChatProvider, ChatRequest, ChatTurn, ModelListing, ProviderStreamEvent } from './types.js';

export interface GeminiProviderOptions {
  identity: ProviderIdentity;
  apiKey: string;
  /** Host only (the SDK adds /v1beta/models/...). */
  baseUrl?: string | undefined;
}

const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
const API_VERSION = 'v1beta';

/** The fields this adapter reads that the SDK's types do not (yet) declare. */
type GeminiPart = Part & { thought?: boolean };
type GeminiUsage = NonNullable<GenerateContentResponse['usageMetadata']> & { thoughtsTokenCount?: number };

/** Google Gemini through @google/generative-ai: streamGenerateContent over SSE, function calls, thoughts. */
export class GeminiProvider implements ChatProvider {
  readonly id: string;
  private readonly sdk: GoogleGenerativeAI;
  private readonly who: ProviderIdentity;
  private readonly baseUrl: string;
  private readonly apiKey: string;

  constructor(options: GeminiProviderOptions) {
    this.id = options.identity.id;
    this.who = options.identity;
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
    this.sdk = new GoogleGenerativeAI(options.apiKey);
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    let calls = 0;
    try {
      const result = await this.model(request).generateContentStream({ contents: toGeminiContents(request.messages) }, { signal: request.signal });
      // The SDK's aggregated response rejects too when the stream breaks; the iteration below reports that failure.
      result.response.catch(() => undefined);
      yield { type: 'connected' };
      let usage: GeminiUsage | undefined;
      let responseId: string | undefined;
      for await (const chunk of result.stream) {
        // An error inside an open stream arrives as an ordinary chunk; the SDK does not throw it.
        const streamError = (chunk as { error?: { code?: number; message?: string; status?: string } }).error;
        if (streamError) throw normalizeFailure(this.who, { status: streamError.code, type: streamError.status, message: streamError.message });
        const id = (chunk as { responseId?: string }).responseId;
        if (id && id !== responseId) {
          responseId = id;
          yield { type: 'response-id', id };
        }
        for (const part of (chunk.candidates?.[0]?.content?.parts ?? []) as GeminiPart[]) {
          if (part.functionCall) {
            // Gemini calls carry no id; ours ties the result back to the call within this answer.
            calls += 1;
            yield { type: 'tool-call', id: `call_${calls}`, name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) };
          } else if (typeof part.text === 'string' && part.text) {
            yield part.thought ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text };
          }
        }
        if (chunk.usageMetadata) usage = chunk.usageMetadata as GeminiUsage;
      }
      if (request.signal.aborted) throw cancelled();
      if (usage) yield { type: 'usage', usage: normalizeGeminiUsage(usage) };
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  async complete(request: ChatRequest): Promise<string> {
    try {
      const result = await this.model(request).generateContent({ contents: toGeminiContents(request.messages) }, { signal: request.signal });
      return ((result.response.candidates?.[0]?.content?.parts ?? []) as GeminiPart[]).map((p) => (p.thought ? '' : (p.text ?? ''))).join('');
    } catch (error) {
      throw this.toCodaError(error, request.signal);
    }
  }

  /** The SDK has no model listing, so the REST endpoint is asked directly, with the key in a header as the SDK does. */
  async listModels(signal: AbortSignal): Promise<ModelListing[]> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/${API_VERSION}/models?pageSize=1000`, { headers: { 'x-goog-api-key': this.apiKey }, signal });
    } catch (error) {
      throw signal.aborted ? cancelled() : networkFailure(this.who, error);
    }
    const body = (await response.json().catch(() => ({}))) as {
      models?: { name: string; displayName?: string; supportedGenerationMethods?: string[] }[];
      error?: { message?: string; status?: string };
    };
    if (!response.ok) throw normalizeFailure(this.who, { status: response.status, type: body.error?.status, message: body.error?.message });
    return (body.models ?? [])
      .filter((m) => m.supportedGenerationMethods?.includes('generateContent') ?? true)
      .map((m) => ({ id: m.name.replace(/^models\//, ''), label: m.displayName ?? m.name }));
  }

  private model(request: ChatRequest) {
    const system = request.messages.flatMap((t) => (t.role === 'system' ? [t.content] : [])).join('\n\n');
    const functionDeclarations = request.tools?.map(
      (t): FunctionDeclaration => ({ name: t.name, description: t.description, parameters: toGeminiSchema(t.parameters) as unknown as FunctionDeclaration['parameters'] }),
    );
    return this.sdk.getGenerativeModel(
      {
        model: request.model,
        ...(system ? { systemInstruction: system } : {}),
        ...(functionDeclarations?.length ? { tools: [{ functionDeclarations }] } : {}),
        generationConfig: {
          ...(request.temperature === null ? {} : { temperature: request.temperature }),
          ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
        },
      },
      { baseUrl: this.baseUrl, apiVersion: API_VERSION },
    );
  }

  private toCodaError(error: unknown, signal: AbortSignal): CodaError {
    if (error instanceof CodaError) return error;
    if (signal.aborted || error instanceof GoogleGenerativeAIAbortError) return cancelled();
    if (error instanceof GoogleGenerativeAIFetchError && error.status !== undefined) {
      return normalizeFailure(this.who, {
        status: error.status,
        type: /\b[A-Z_]{6,}\b/.exec(error.message)?.[0] ?? error.statusText,
        message: error.message.replace(/^\[GoogleGenerativeAI Error\]:\s*/, ''),
        retryAfterSeconds: retryDelayOf(error.errorDetails),
      });
    }
    if (error instanceof TypeError && /fetch failed/i.test(error.message)) return networkFailure(this.who, error);
    return brokenStream(this.who, error);
  }
}

/** Gemini counts thoughts apart from candidates but bills them as output; output here includes them, as OpenAI's does. */
export function normalizeGeminiUsage(u: GeminiUsage): Usage {
  const reasoning = u.thoughtsTokenCount ?? 0;
  return {
    inputTokens: u.promptTokenCount ?? 0,
    outputTokens: (u.candidatesTokenCount ?? 0) + reasoning,
    cachedInputTokens: u.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: reasoning,
  };
}

/** Google's RetryInfo detail ("retryDelay": "20s") is its retry-after. */
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

function toGeminiContents(turns: ChatTurn[]): Content[] {
  const out: Content[] = [];
  const names = new Map<string, string>();
  const push = (role: 'user' | 'model', parts: Part[]) => {
    const last = out.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  };
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    if (turn.role === 'user') push('user', [{ text: turn.content }]);
    else if (turn.role === 'assistant') {
      for (const call of turn.toolCalls ?? []) names.set(call.id, call.name);
      push('model', [
        ...(turn.content ? [{ text: turn.content }] : []),
        ...(turn.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: parseObject(c.arguments) } })),
      ]);
    } else {
      push('user', [{ functionResponse: { name: names.get(turn.toolCallId) ?? turn.name, response: { content: turn.content, ...(turn.isError ? { error: true } : {}) } } }]);
    }
  }
  return out;
}

/** The JSON Schema keys Gemini's OpenAPI-subset schema accepts; others (like $schema or additionalProperties) make it refuse the request. */
const GEMINI_SCHEMA_KEYS = new Set(['type', 'format', 'description', 'nullable', 'enum', 'properties', 'required', 'items', 'minItems', 'maxItems', 'anyOf', 'minimum', 'maximum']);

export function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!GEMINI_SCHEMA_KEYS.has(key)) continue;
    if (key === 'type' && Array.isArray(value)) {
      // ["string", "null"] becomes a nullable string.
      const types = value.filter((t) => t !== 'null');
      out['type'] = String(types[0] ?? 'string').toUpperCase();
      if (types.length < value.length) out['nullable'] = true;
    } else if (key === 'type') out['type'] = String(value).toUpperCase();
    else if (key === 'properties' && value && typeof value === 'object') {
      out['properties'] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGeminiSchema(sub)]));
    } else out[key] = key === 'items' || key === 'anyOf' ? toGeminiSchema(value) : value;
  }
  return out;
}

function parseObject(json: string): object {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}
