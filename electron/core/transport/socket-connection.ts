import { ClientMessage, type ServerMessage } from '../../../shared/index.js';
import { toErrorShape } from '../../../shared/index.js';
import type { CoreApi } from '../api/router.js';

/** The little a socket must offer: the `ws` package's WebSocket fits, and so does an in-memory pair in tests. */
export interface MessageSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: () => void): void;
}

/**
 * Serves the contract over one socket: invokes and subscriptions in, results and events out. Anything malformed
 * is answered with an error and the connection (and the process) keeps serving.
 */
export function serveSocket(core: CoreApi, socket: MessageSocket): void {
  const subscriptions = new Map<number, () => void>();
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
      return send({ type: 'protocol-error', error: { code: 'validation', message: `Not a contract message: ${message.error.issues[0]?.message ?? 'invalid'}` } });
    }
    const m = message.data;
    switch (m.type) {
      case 'invoke':
        void core.invoke(m.method, m.input).then((result) => send({ type: 'result', id: m.id, result }));
        return;
      case 'subscribe':
        try {
          subscriptions.get(m.id)?.();
          subscriptions.set(m.id, core.subscribe(m.subscription, (event) => send({ type: 'event', id: m.id, event })));
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
