import { ClientMessage, type ServerMessage } from '../../../shared/index.js';
import { toErrorShape, type CodaErrorShape } from '../../../shared/index.js';
import type { CoreApi } from '../api/router.js';

/** The little a socket must offer: the `ws` package's WebSocket fits, and so does an in-memory pair in tests. */
export interface MessageSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: () => void): void;
}

/** Far above what the app needs (the app's events and one per streaming answer), low enough that no page can pile them up. */
export const MAX_SUBSCRIPTIONS = 64;
export const MAX_INVOKES_IN_FLIGHT = 64;

/**
 * Serves the contract over one socket: invokes and subscriptions in, results and events out. Anything malformed
 * is answered with an error and the connection (and the process) keeps serving.
 */
export function serveSocket(core: CoreApi, socket: MessageSocket): void {
  const subscriptions = new Map<number, () => void>();
  let invokesInFlight = 0;
  const send = (message: ServerMessage) => {
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // The socket closed under us; its close handler cleans up.
    }
  };

  socket.on('message', (data) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      return send({ type: 'protocol-error', error: { code: 'validation', message: 'Messages must be JSON.' } });
    }
    const message = ClientMessage.safeParse(parsed);
    if (!message.success) {
      return send({
        type: 'protocol-error',
        error: { code: 'validation', message: `Not a contract message: ${message.error.issues[0]?.message ?? 'invalid'}` },
      });
    }
    const m = message.data;
    switch (m.type) {
      case 'invoke':
        if (invokesInFlight >= MAX_INVOKES_IN_FLIGHT) {
          return send({ type: 'result', id: m.id, result: { ok: false, error: tooMany(MAX_INVOKES_IN_FLIGHT, 'calls in flight', 'wait for some to finish') } });
        }
        invokesInFlight++;
        void core
          .invoke(m.method, m.input)
          .then((result) => send({ type: 'result', id: m.id, result }))
          .finally(() => invokesInFlight--);
        return;
      case 'subscribe':
        if (!subscriptions.has(m.id) && subscriptions.size >= MAX_SUBSCRIPTIONS) {
          return send({ type: 'subscription-error', id: m.id, error: tooMany(MAX_SUBSCRIPTIONS, 'subscriptions', 'unsubscribe from some first') });
        }
        try {
          subscriptions.get(m.id)?.();
          subscriptions.set(
            m.id,
            core.subscribe(m.subscription, (event) => send({ type: 'event', id: m.id, event })),
          );
        } catch (error) {
          send({ type: 'subscription-error', id: m.id, error: toErrorShape(error) });
        }
        return;
      case 'unsubscribe':
        subscriptions.get(m.id)?.();
        subscriptions.delete(m.id);
        return;
    }
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}

function tooMany(limit: number, what: string, remedy: string): CodaErrorShape {
  return { code: 'validation', message: `One connection may have at most ${limit} ${what}: ${remedy}.`, details: { limit } };
}
