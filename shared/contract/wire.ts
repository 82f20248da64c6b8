import { z } from 'zod';
import { type CodaErrorShape } from './errors.js';
import type { MethodName, MethodOutput } from './methods.js';
import type { AnySubscriptionEvent, Subscription } from './events.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: CodaErrorShape };

/**
 * The surface every transport offers the renderer: the Electron preload exposes exactly this as `window.coda`,
 * and the WebSocket client implements it for serve mode.
 */
export interface CodaBridge {
  invoke<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  subscribe(subscription: Subscription, onEvent: (event: AnySubscriptionEvent) => void, onError?: (error: CodaErrorShape) => void): () => void;
}

/** Messages a client sends over a socket. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: z.number().int().nonnegative(), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: z.number().int().nonnegative(), subscription: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Messages a server sends over a socket. */
export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; id: number; event: AnySubscriptionEvent }
  | { type: 'subscription-error'; id: number; error: CodaErrorShape }
  | { type: 'protocol-error'; error: CodaErrorShape };

export { ipcChannels } from './channels.js';
