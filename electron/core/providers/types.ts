import type { CodaErrorShape, Usage } from '../../../shared/index.js';
import type { ReasoningPart } from './reasoning.js';

export type { ReasoningPart } from './reasoning.js';

export interface ToolCallRequest {
  id: string;
  name: string;
  /** JSON text as the model wrote it; it may not parse. */
  arguments: string;
  /** Opaque state the provider attached to this call and needs back with it on the next request (Gemini's thought signature). */
  signature?: string;
}

export type ChatTurn =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  /** `reasoning`: the parts the provider needs back with this turn (sent first, in order), within one tool loop. */
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[]; reasoning?: ReasoningPart[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** Each adapter maps the form of thinking setting it lacks onto the one it has; see docs/decisions/0005-provider-router.md. */
export type { ThinkingSetting } from '../../../shared/index.js';
import type { ThinkingSetting } from '../../../shared/index.js';

export interface ChatRequest {
  model: string;
  messages: ChatTurn[];
  temperature: number | null;
  topP?: number;
  maxOutputTokens?: number;
  tools?: ToolDefinition[];
  /** Absent: the model's own default (and no thought summaries asked for). */
  thinking?: ThinkingSetting;
  signal: AbortSignal;
}

/** What a token count needs: the prompt as it would be sent. */
export type CountRequest = Pick<ChatRequest, 'model' | 'messages' | 'signal'>;

/** What every provider adapter streams, whatever its wire format. */
export type ProviderStreamEvent =
  /** Response headers arrived: the connection is up and the provider accepted the request. */
  | { type: 'connected' }
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** A finished reasoning block to send back on the next request of the tool loop (its text came as `reasoning` events). */
  | { type: 'reasoning-part'; part: ReasoningPart }
  | ({ type: 'tool-call' } & ToolCallRequest)
  | { type: 'usage'; usage: Usage }
  | { type: 'response-id'; id: string }
  /** A failed attempt is being retried after a pause (nothing had reached the user yet). */
  | { type: 'retry'; attempt: number; delayMs: number; error: CodaErrorShape };

export interface ModelListing {
  id: string;
  label: string;
}

export interface ChatProvider {
  /** The configured provider's id (e.g. "anthropic", "ollama"). */
  readonly id: string;
  stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent>;
  /** One short non-streamed answer (titles and similar housekeeping). */
  complete(request: ChatRequest): Promise<string>;
  /** Models the endpoint offers, where it has a list. */
  listModels(signal: AbortSignal): Promise<ModelListing[]>;
  /** The provider's own count of the prompt's tokens, where its API offers one (Gemini); estimates use it over the local tokenizer. */
  countTokens?(request: CountRequest): Promise<number>;
}

/** Content events: the ones that mean the model has started answering. */
export function isContent(event: ProviderStreamEvent): boolean {
  return event.type === 'text' || event.type === 'reasoning' || event.type === 'reasoning-part' || event.type === 'tool-call';
}
