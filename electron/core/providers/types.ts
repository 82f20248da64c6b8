import type { Usage } from '../../../shared/index.js';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatTurn[];
  temperature: number | null;
  signal: AbortSignal;
}

/** What every provider adapter streams, whatever its wire format. */
export type ProviderStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool-call'; id: string; name: string; arguments: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'response-id'; id: string };

export interface ChatProvider {
  readonly id: string;
  stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent>;
  /** One short non-streamed answer (titles and similar housekeeping). */
  complete(request: ChatRequest): Promise<string>;
}
