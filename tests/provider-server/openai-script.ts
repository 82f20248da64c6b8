/** One scripted reply to a Chat Completions request, in the terms a test thinks in. */
export type ScriptStep =
  | { text: string }
  | { reasoning: string }
  | { toolCall: { id: string; name: string; arguments: string } }
  /** Bytes sent as-is as one SSE data line: for malformed chunks. */
  | { raw: string }
  | { wait: number };

export type OpenAIScript =
  | {
      kind: 'stream';
      steps: ScriptStep[];
      usage?: { prompt: number; completion: number; cached?: number; reasoning?: number };
      /** Milliseconds before the first byte of the response. */
      headerDelayMs?: number;
      /** Cut the connection after this many steps, without [DONE]. */
      disconnectAfter?: number;
      /** Milliseconds between steps. */
      stepDelayMs?: number;
    }
  | { kind: 'error'; status: number; message: string; type?: string; headers?: Record<string, string> }
  | { kind: 'completion'; text: string };

/** Shorthand for the common case: a streamed text answer split into word-sized chunks, with usage. */
export function textReply(text: string, usage = { prompt: 12, completion: 7 }): StreamScript {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [text];
  return { kind: 'stream', steps: pieces.map((t) => ({ text: t })), usage };
}

export type StreamScript = Extract<OpenAIScript, { kind: 'stream' }>;
