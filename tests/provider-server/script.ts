/**
 * One scripted reply, in the terms a test thinks in. The same script plays on every provider's wire format, so a
 * test can swap the provider without rewriting what the model "says".
 */
export type ProviderName = 'openai' | 'anthropic' | 'gemini';

export type ContentStep =
  | { text: string }
  /** Thinking: OpenAI-compatible `reasoning_content`, an Anthropic thinking block, a Gemini `thought: true` part. */
  | { reasoning: string }
  /**
   * An Anthropic redacted_thinking block, its data minted from this seed (`redactedData`). The other formats have no
   * such thing and send nothing for it.
   */
  | { redactedThinking: string }
  /** `arguments` is the JSON text the model produced; Gemini gets it parsed, since it sends `args` as an object. */
  | { toolCall: { id: string; name: string; arguments: string } };

export type ScriptStep =
  | ContentStep
  /** Bytes sent as-is as one SSE data line: for malformed chunks. Anthropic frames it as a content_block_delta event. */
  | { raw: string }
  | { wait: number }
  /** An error reported inside a 200 stream, which then ends. `type` defaults to each provider's "overloaded" name. */
  | { error: { message: string; type?: string } };

/**
 * Token counts as billed, whatever the provider: `input` includes cached and cache-write tokens, `output` includes
 * reasoning. Each wire format splits them its own way (Anthropic's input_tokens excludes cache reads and writes,
 * Gemini's candidatesTokenCount excludes thoughts), so an adapter that normalises correctly gets these numbers back.
 */
export interface ScriptUsage {
  input: number;
  output: number;
  cached?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export interface StreamScript {
  kind: 'stream';
  steps: ScriptStep[];
  usage?: ScriptUsage;
  /** Milliseconds before the first byte of the response. */
  headerDelayMs?: number;
  /** Milliseconds between steps. */
  stepDelayMs?: number;
  /**
   * Steps per second, for rates a timer per step cannot reach (timers have 1 ms granularity): step i is due at
   * start + i / rate, and every step due when the server wakes is written at once, so the rate holds on average.
   */
  stepsPerSecond?: number;
  /** Called after each step is written, with its index and `performance.now()` (load tests match it to receive times). */
  onStepSent?: (index: number, sentAt: number) => void;
  /** Cut the connection after this many steps, without the provider's end-of-stream events. */
  disconnectAfter?: number;
  /** The delta field OpenAI-compatible reasoning streams in: vLLM's and DeepSeek's (the default) or OpenRouter's. */
  reasoningField?: 'reasoning_content' | 'reasoning';
}

export interface ErrorScript {
  kind: 'error';
  status: number;
  message: string;
  /** The provider's own error type (OpenAI `type`, Anthropic `error.type`, Gemini `status`); derived from status when absent. */
  type?: string;
  headers?: Record<string, string>;
  /** Gemini `error.details`; a 429 with a retry-after header gets a RetryInfo entry when this is absent. */
  details?: unknown[];
}

export interface CompletionScript {
  kind: 'completion';
  text: string;
  usage?: ScriptUsage;
}

export type Script = StreamScript | ErrorScript | CompletionScript;

/** Shorthand for the common case: a streamed text answer split into word-sized chunks, with usage. */
export function textReply(text: string, usage: ScriptUsage = { input: 12, output: 7 }): StreamScript {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [text];
  return { kind: 'stream', steps: pieces.map((t) => ({ text: t })), usage };
}
