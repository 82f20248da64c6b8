import type { ServerResponse } from 'node:http';
import type { ContentStep, ErrorScript, ScriptUsage } from './script.js';
import { playStream, randomId, sendJson, type StreamEncoder, type WireFormat } from './stream.js';

/**
 * Gemini generateContent / streamGenerateContent?alt=sse: every `data:` event is a whole GenerateContentResponse;
 * the last one carries finishReason and the full usage. Events end in CRLF CRLF, which the SDK's parser accepts.
 */
export const geminiWire: WireFormat = {
  stream: (res, script, model) => playStream(res, script, new GeminiEncoder(res, model, script.usage)),

  completion(res, script, model) {
    const usage = script.usage ?? { input: 20, output: 5 };
    sendJson(res, 200, response(model, randomId(''), [{ text: script.text }], { finishReason: 'STOP', usage: usageMetadata(usage, true) }));
  },

  error(res, script) {
    const details = script.details ?? retryDetails(script);
    const error = { code: script.status, message: script.message, status: script.type ?? errorStatus(script.status), ...(details ? { details } : {}) };
    sendJson(res, script.status, { error }, script.headers);
  },

  models(res, ids) {
    const models = ids.map((id) => ({
      name: `models/${id}`,
      version: '001',
      displayName: id,
      description: `Scripted ${id}`,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: id.includes('embedding') ? ['embedContent', 'countTextTokens'] : ['generateContent', 'countTokens', 'createCachedContent'],
    }));
    sendJson(res, 200, { models });
  },
};

class GeminiEncoder implements StreamEncoder {
  private readonly responseId = randomId('');
  private finished = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly model: string,
    private readonly usage: ScriptUsage | undefined,
  ) {}

  open(): void {}

  content(step: ContentStep, last: boolean): void {
    this.finished ||= last;
    const finish = last ? { finishReason: 'STOP', usage: this.usage && usageMetadata(this.usage, true) } : { usage: this.usage && usageMetadata(this.usage, false) };
    this.send(response(this.model, this.responseId, [part(step)], finish));
  }

  raw(data: string): void {
    this.res.write(`data: ${data}\r\n\r\n`);
  }

  error(error: { message: string; type?: string }): void {
    this.send({ error: { code: 503, message: error.message, status: error.type ?? 'UNAVAILABLE' } });
  }

  close(): void {
    // A stream with no content (or ending in raw/wait steps) still ends with a finishReason, on an empty text part.
    if (this.finished) return;
    this.send(response(this.model, this.responseId, [{ text: '' }], { finishReason: 'STOP', usage: this.usage && usageMetadata(this.usage, true) }));
  }

  private send(payload: unknown): void {
    this.res.write(`data: ${JSON.stringify(payload)}\r\n\r\n`);
  }
}

function part(step: ContentStep): Record<string, unknown> {
  if ('text' in step) return { text: step.text };
  if ('reasoning' in step) return { text: step.reasoning, thought: true };
  // Gemini has no tool call ids on this API: the script's id goes nowhere, and results are matched by name.
  return { functionCall: { name: step.toolCall.name, args: JSON.parse(step.toolCall.arguments) as unknown } };
}

function response(model: string, responseId: string, parts: Record<string, unknown>[], end: { finishReason?: string; usage?: Record<string, number> | undefined }) {
  return {
    candidates: [{ content: { parts, role: 'model' }, ...(end.finishReason ? { finishReason: end.finishReason } : {}), index: 0 }],
    ...(end.usage ? { usageMetadata: end.usage } : {}),
    modelVersion: model,
    responseId,
  };
}

/**
 * Gemini's candidatesTokenCount leaves out thoughts (thoughtsTokenCount) while totalTokenCount includes them; zero
 * counts are omitted, as proto3 JSON does. Chunks before the last carry only the prompt count.
 */
function usageMetadata(u: ScriptUsage, final: boolean): Record<string, number> {
  const optional = (name: string, value: number | undefined) => (value ? { [name]: value } : {});
  if (!final) return { promptTokenCount: u.input, totalTokenCount: u.input, ...optional('cachedContentTokenCount', u.cached) };
  return {
    promptTokenCount: u.input,
    candidatesTokenCount: u.output - (u.reasoning ?? 0),
    totalTokenCount: u.input + u.output,
    ...optional('cachedContentTokenCount', u.cached),
    ...optional('thoughtsTokenCount', u.reasoning),
  };
}

/** Gemini gives the wait as a RetryInfo detail in the body; the SDK's error exposes the details but no headers. */
function retryDetails(script: ErrorScript): unknown[] | undefined {
  const retryAfter = script.headers?.['retry-after'];
  if (script.status !== 429 || retryAfter === undefined) return undefined;
  return [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }];
}

function errorStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    413: 'INVALID_ARGUMENT',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}
