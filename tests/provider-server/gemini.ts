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

/**
 * models/{model}:countTokens as the Gemini API answers it: the total, and the same split by modality (text only here).
 * The API takes `contents` only (system instructions and tools are Vertex-only in this call).
 */
export function countTokensReply(res: ServerResponse, totalTokens: number): void {
  sendJson(res, 200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
}

/**
 * The scripted server's own tokenizer: Google's rule of thumb of about 4 characters a token, over every text, call
 * and result in `contents`. Deterministic and unlike gpt-tokenizer's count, so a test can tell which one an estimate used.
 */
export function scriptedTokenCount(body: Record<string, unknown>): number {
  const contents = Array.isArray(body['contents']) ? (body['contents'] as { parts?: Record<string, unknown>[] }[]) : [];
  let characters = 0;
  for (const content of contents) {
    for (const part of content.parts ?? []) {
      if (typeof part['text'] === 'string') characters += part['text'].length;
      if (part['functionCall']) characters += JSON.stringify(part['functionCall']).length;
      if (part['functionResponse']) characters += JSON.stringify(part['functionResponse']).length;
    }
  }
  return Math.ceil(characters / 4);
}

/**
 * What the real API refuses before answering, so an adapter that sends it fails here too: no key (403), no contents,
 * both a thinking level and a budget, or thought summaries with thinking turned off (400).
 */
export function geminiRefusal(headers: { [name: string]: string | string[] | undefined }, url: URL, body: Record<string, unknown>): ErrorScript | null {
  if (headers['x-goog-api-key'] === undefined && !url.searchParams.has('key')) {
    return {
      kind: 'error',
      status: 403,
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    };
  }
  if (!Array.isArray(body['contents']) || body['contents'].length === 0)
    return { kind: 'error', status: 400, message: '* GenerateContentRequest.contents: contents is not specified' };
  const thinking = (body['generationConfig'] as { thinkingConfig?: Record<string, unknown> } | undefined)?.thinkingConfig;
  if (thinking && thinking['thinkingLevel'] !== undefined && thinking['thinkingBudget'] !== undefined) {
    return { kind: 'error', status: 400, message: 'Thinking level and thinking budget cannot both be set.' };
  }
  if (thinking?.['includeThoughts'] === true && thinking['thinkingBudget'] === 0) {
    return { kind: 'error', status: 400, message: 'Thinking_config.include_thoughts is only enabled when thinking is enabled.' };
  }
  return null;
}

class GeminiEncoder implements StreamEncoder {
  private readonly responseId = randomId('');
  private finished = false;
  /** Only the first call of a step carries the signature, as with parallel calls on the real API. */
  private signed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly model: string,
    private readonly usage: ScriptUsage | undefined,
  ) {}

  open(): void {}

  content(step: ContentStep, last: boolean): void {
    if ('redactedThinking' in step) return;
    this.finished ||= last;
    const finish = last
      ? { finishReason: 'STOP', usage: this.usage && usageMetadata(this.usage, true) }
      : { usage: this.usage && usageMetadata(this.usage, false) };
    const sign = 'toolCall' in step && !this.signed;
    this.signed ||= sign;
    this.send(response(this.model, this.responseId, [part(step, sign)], finish));
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

function part(step: Exclude<ContentStep, { redactedThinking: string }>, sign: boolean): Record<string, unknown> {
  if ('text' in step) return { text: step.text };
  if ('reasoning' in step) return { text: step.reasoning, thought: true };
  // Gemini's calls mostly carry no id: the script's id goes nowhere, and results are matched by name. Thinking models
  // sign a call, and need the signature back with it on the next step (Gemini 3 refuses the step without it).
  const { name, arguments: args } = step.toolCall;
  return { functionCall: { name, args: JSON.parse(args) as unknown }, ...(sign ? { thoughtSignature: thoughtSignature(name, args) } : {}) };
}

/** Deterministic, so a test can check the adapter sends the signature back with its call. */
export function thoughtSignature(name: string, args: string): string {
  return Buffer.from(`scripted-gemini-signature:${name}:${args}`).toString('base64');
}

function response(
  model: string,
  responseId: string,
  parts: Record<string, unknown>[],
  end: { finishReason?: string; usage?: Record<string, number> | undefined },
) {
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
