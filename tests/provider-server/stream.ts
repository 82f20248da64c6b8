import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CompletionScript, ContentStep, ErrorScript, StreamScript } from './script.js';

/** What a provider's wire format must render; the server only routes and picks the script. */
export interface WireFormat {
  stream(res: ServerResponse, script: StreamScript, model: string): Promise<void>;
  completion(res: ServerResponse, script: CompletionScript, model: string): void;
  error(res: ServerResponse, script: ErrorScript): void;
  models(res: ServerResponse, ids: string[]): void;
}

/** Turns script steps into one provider's SSE events. */
export interface StreamEncoder {
  open(): void;
  /** `last` is set on the final content step of a stream that will end normally, for formats that mark it (Gemini). */
  content(step: ContentStep, last: boolean): void;
  raw(data: string): void;
  error(error: { message: string; type?: string }): void;
  close(): void;
}

/** Timing, cut-offs and step order are the same for every provider; only the encoding differs. */
export async function playStream(res: ServerResponse, script: StreamScript, encoder: StreamEncoder): Promise<void> {
  if (script.headerDelayMs) await sleep(script.headerDelayMs);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  encoder.open();
  const endsNormally = script.disconnectAfter === undefined && !script.steps.some((s) => 'error' in s);
  const lastContent = endsNormally ? script.steps.findLastIndex(isContent) : -1;
  const startedAt = performance.now();
  for (const [index, step] of script.steps.entries()) {
    if (script.disconnectAfter !== undefined && index >= script.disconnectAfter) return cutOff(res);
    if (script.stepDelayMs) await sleep(script.stepDelayMs);
    if (script.stepsPerSecond) {
      const wait = startedAt + (index * 1000) / script.stepsPerSecond - performance.now();
      if (wait > 0) await sleep(wait);
    }
    // The client went away (a stop): nothing more to send.
    if (res.destroyed) return;
    if ('wait' in step) await sleep(step.wait);
    else if ('raw' in step) encoder.raw(step.raw);
    else if ('error' in step) {
      encoder.error(step.error);
      res.end();
      return;
    } else encoder.content(step, index === lastContent);
    script.onStepSent?.(index, performance.now());
  }
  if (script.disconnectAfter !== undefined) return cutOff(res);
  encoder.close();
  res.end();
}

export function isContent(step: StreamScript['steps'][number]): step is ContentStep {
  return 'text' in step || 'reasoning' in step || 'redactedThinking' in step || 'toolCall' in step;
}

/** Drops the connection without ending the response, after what was written so far has reached the client. */
async function cutOff(res: ServerResponse): Promise<void> {
  await sleep(50);
  res.socket?.destroy();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Real APIs stream tool arguments in fragments; splitting them here makes adapters prove they accumulate. */
export function splitPieces(text: string, count = 3): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / count));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

export function randomId(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
