import type { ServerResponse } from 'node:http';
import type { ErrorScript, ScriptUsage } from './script.js';
import { playStream, randomId, sendJson, splitPieces, type StreamEncoder, type WireFormat } from './stream.js';

/** OpenAI Chat Completions: `data:` chunks, a usage chunk with empty choices, then `data: [DONE]`. */
export const openaiWire: WireFormat = {
  stream: (res, script, model) => playStream(res, script, new OpenAIEncoder(res, model, script.usage, script.reasoningField ?? 'reasoning_content')),

  completion(res, script, model) {
    const usage = script.usage ?? { input: 20, output: 5 };
    sendJson(res, 200, {
      id: randomId('chatcmpl-'),
      object: 'chat.completion',
      created: now(),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: script.text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: usageBody(usage),
    });
  },

  error(res, script) {
    sendJson(res, script.status, { error: errorObject(script) }, script.headers);
  },

  models(res, ids) {
    sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) });
  },
};

class OpenAIEncoder implements StreamEncoder {
  private readonly id = randomId('chatcmpl-');
  private toolCalls = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly model: string,
    private readonly usage: ScriptUsage | undefined,
    private readonly reasoningField: 'reasoning_content' | 'reasoning',
  ) {}

  open(): void {
    this.send(this.chunk({ role: 'assistant', content: '', refusal: null }));
  }

  content(step: Parameters<StreamEncoder['content']>[0]): void {
    if ('text' in step) this.send(this.chunk({ content: step.text }));
    // Not in OpenAI's own API: the field vLLM, DeepSeek and llama.cpp (reasoning_content) or OpenRouter (reasoning) use.
    else if ('reasoning' in step) this.send(this.chunk({ [this.reasoningField]: step.reasoning }));
    else if ('redactedThinking' in step) return;
    else {
      const index = this.toolCalls++;
      const call = step.toolCall;
      this.send(this.chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of splitPieces(call.arguments)) this.send(this.chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }

  raw(data: string): void {
    this.res.write(`data: ${data}\n\n`);
  }

  error(error: { message: string; type?: string }): void {
    this.send({ error: { message: error.message, type: error.type ?? 'server_error', param: null, code: null } });
  }

  close(): void {
    this.send({ ...this.chunk({}), choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: this.toolCalls ? 'tool_calls' : 'stop' }] });
    if (this.usage) this.send({ id: this.id, object: 'chat.completion.chunk', created: now(), model: this.model, choices: [], usage: usageBody(this.usage) });
    this.res.write('data: [DONE]\n\n');
  }

  private chunk(delta: Record<string, unknown>) {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: now(),
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
    };
  }

  private send(payload: unknown): void {
    this.res.write(`data: ${JSON.stringify(payload)}\n\n`);
  }
}

/** prompt_tokens includes cached tokens and completion_tokens includes reasoning, as the neutral counts do. */
function usageBody(u: ScriptUsage) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
}

function errorObject(script: ErrorScript) {
  const type = script.type ?? (script.status === 429 ? 'requests' : script.status >= 500 ? 'server_error' : 'invalid_request_error');
  const code = script.status === 401 ? 'invalid_api_key' : script.status === 429 ? 'rate_limit_exceeded' : null;
  return { message: script.message, type, param: null, code };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
