import type { ServerResponse } from 'node:http';
import type { ContentStep, ErrorScript, ScriptUsage } from './script.js';
import { playStream, randomId, sendJson, splitPieces, type StreamEncoder, type WireFormat } from './stream.js';

/** Anthropic Messages: named SSE events (`event:` + `data:`), content blocks opened, filled and closed by index. */
export const anthropicWire: WireFormat = {
  stream: (res, script, model) => playStream(res, script, new AnthropicEncoder(res, model, script.usage ?? { input: 0, output: 0 })),

  completion(res, script, model) {
    sendJson(res, 200, {
      id: randomId('msg_'),
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: script.text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { ...inputUsage(script.usage ?? { input: 20, output: 5 }), output_tokens: script.usage?.output ?? 5 },
    });
  },

  error(res, script) {
    const requestId = randomId('req_');
    const body = { type: 'error', error: { type: script.type ?? errorType(script.status), message: script.message }, request_id: requestId };
    sendJson(res, script.status, body, { 'request-id': requestId, ...script.headers });
  },

  models(res, ids) {
    const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    sendJson(res, 200, { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
  },
};

/** Deterministic, so a test can check the adapter sends the thinking block back unchanged on the next turn. */
export function thinkingSignature(thinking: string): string {
  return Buffer.from(`scripted-signature:${thinking}`).toString('base64');
}

/** Deterministic and recognisable, so the server can tell a redacted block sent back unchanged from a made-up one. */
export function redactedData(seed: string): string {
  return Buffer.from(`scripted-redacted:${seed}`).toString('base64');
}

type Block = { type?: unknown; thinking?: unknown; signature?: unknown; data?: unknown };

/**
 * What the real API refuses about thinking (400 invalid_request_error, with its wording): a budget under 1,024 or not
 * under max_tokens, a temperature other than 1, and, within a tool loop, a turn whose first assistant message does not
 * start with its thinking, or thinking blocks whose signature (or redacted data) is not what the server sent.
 */
export function anthropicRefusal(body: Record<string, unknown>): ErrorScript | null {
  const refuse = (message: string): ErrorScript => ({ kind: 'error', status: 400, type: 'invalid_request_error', message });
  const thinking = body['thinking'] as { type?: unknown; budget_tokens?: unknown } | undefined;
  const on = thinking?.type === 'enabled' || thinking?.type === 'adaptive';
  if (thinking?.type === 'enabled') {
    const budget = Number(thinking.budget_tokens);
    if (!(budget >= 1024)) return refuse('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (Number(body['max_tokens']) <= budget) return refuse('`max_tokens` must be greater than `thinking.budget_tokens`.');
  }
  if (on && body['temperature'] !== undefined && body['temperature'] !== 1) {
    return refuse('`temperature` may only be set to 1 when thinking is enabled.');
  }
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { role?: unknown; content?: unknown }[]) : [];
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'assistant' || !Array.isArray(message.content)) continue;
    for (const [j, block] of (message.content as Block[]).entries()) {
      if (block.type === 'thinking' && block.signature !== thinkingSignature(String(block.thinking))) {
        return refuse(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
      }
      if (block.type === 'redacted_thinking' && !Buffer.from(String(block.data), 'base64').toString().startsWith('scripted-redacted:')) {
        return refuse(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
    }
  }
  // The current turn starts after the last user message that is not only tool results; its tool loop is one assistant turn.
  const isResults = (m: { role?: unknown; content?: unknown }) =>
    m.role === 'user' && Array.isArray(m.content) && (m.content as Block[]).every((b) => b.type === 'tool_result');
  const question = messages.findLastIndex((m) => m.role === 'user' && !isResults(m));
  const first = messages.findIndex((m, i) => i > question && m.role === 'assistant');
  const blocks = (Array.isArray(messages[first]?.content) ? messages[first].content : []) as Block[];
  const inLoop = messages.slice(first).some((m) => Array.isArray(m.content) && (m.content as Block[]).some((b) => b.type === 'tool_use'));
  if (on && first >= 0 && inLoop && blocks[0]?.type !== 'thinking' && blocks[0]?.type !== 'redacted_thinking') {
    return refuse(
      `messages.${first}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(blocks[0]?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`,
    );
  }
  return null;
}

class AnthropicEncoder implements StreamEncoder {
  private index = -1;
  private block: { type: 'text' | 'thinking'; thinking: string } | null = null;
  private toolUse = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly model: string,
    private readonly usage: ScriptUsage,
  ) {}

  open(): void {
    // Like the real API: message_start carries the input counts and a token or so of output; message_delta has the total.
    const message = { id: randomId('msg_'), type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null };
    this.send('message_start', { type: 'message_start', message: { ...message, usage: { ...inputUsage(this.usage), output_tokens: 1 } } });
    this.send('ping', { type: 'ping' });
  }

  content(step: ContentStep): void {
    if ('text' in step) {
      this.enter('text');
      this.delta({ type: 'text_delta', text: step.text });
    } else if ('reasoning' in step) {
      this.enter('thinking');
      if (this.block) this.block.thinking += step.reasoning;
      this.delta({ type: 'thinking_delta', thinking: step.reasoning });
    } else if ('redactedThinking' in step) {
      // Redacted thinking arrives whole in its block's start event.
      this.leave();
      this.start({ type: 'redacted_thinking', data: redactedData(step.redactedThinking) });
      this.stop();
    } else {
      this.leave();
      this.toolUse = true;
      const { id, name, arguments: args } = step.toolCall;
      this.start({ type: 'tool_use', id, name, input: {} });
      // The real API opens every tool input with an empty fragment.
      for (const piece of ['', ...splitPieces(args)]) this.delta({ type: 'input_json_delta', partial_json: piece });
      this.stop();
    }
  }

  raw(data: string): void {
    // The SDK ignores SSE messages without an event name, so a malformed chunk must arrive as a named event to be seen.
    this.res.write(`event: content_block_delta\ndata: ${data}\n\n`);
  }

  error(error: { message: string; type?: string }): void {
    this.send('error', { type: 'error', error: { type: error.type ?? 'overloaded_error', message: error.message } });
  }

  close(): void {
    this.leave();
    const u = this.usage;
    const usage = {
      ...inputUsage(u),
      output_tokens: u.output,
      ...(u.reasoning !== undefined ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
    };
    this.send('message_delta', { type: 'message_delta', delta: { stop_reason: this.toolUse ? 'tool_use' : 'end_turn', stop_sequence: null }, usage });
    this.send('message_stop', { type: 'message_stop' });
  }

  private enter(type: 'text' | 'thinking'): void {
    if (this.block?.type === type) return;
    this.leave();
    this.start(type === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' });
    this.block = { type, thinking: '' };
  }

  private leave(): void {
    if (!this.block) return;
    // A thinking block's signature arrives last, just before the block closes.
    if (this.block.type === 'thinking') this.delta({ type: 'signature_delta', signature: thinkingSignature(this.block.thinking) });
    this.block = null;
    this.stop();
  }

  private start(contentBlock: Record<string, unknown>): void {
    this.index += 1;
    this.send('content_block_start', { type: 'content_block_start', index: this.index, content_block: contentBlock });
  }

  private delta(delta: Record<string, unknown>): void {
    this.send('content_block_delta', { type: 'content_block_delta', index: this.index, delta });
  }

  private stop(): void {
    this.send('content_block_stop', { type: 'content_block_stop', index: this.index });
  }

  private send(event: string, payload: unknown): void {
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  }
}

/** Anthropic's input_tokens leaves out cache reads and writes; the three add up to the neutral `input`. */
function inputUsage(u: ScriptUsage) {
  const cached = u.cached ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  return { input_tokens: Math.max(0, u.input - cached - cacheWrite), cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cached };
}

function errorType(status: number): string {
  const byStatus: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'invalid_request_error',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return byStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
