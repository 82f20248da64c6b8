import { SocketClient } from '../../../shared/index.js';
import type { CoreApi } from '../api/router.js';
import { serveSocket, type MessageSocket } from './socket-connection.js';

/**
 * The socket protocol without a network: a client and a server joined in memory, JSON-encoded as on the wire.
 * Tests use it to exercise exactly what serve mode's WebSocket carries.
 */
export function connectInMemory(core: CoreApi): { client: SocketClient; disconnect(): void; reconnect(): void } {
  const client = new SocketClient();
  let server: ReturnType<typeof serverSide> | null = null;

  const connect = () => {
    server = serverSide();
    serveSocket(core, server.socket);
    const current = server;
    client.connected((text) => queueMicrotask(() => current.deliver(text)));
  };
  const serverSide = () => {
    const listeners = { message: [] as ((data: unknown) => void)[], close: [] as (() => void)[] };
    let open = true;
    const socket: MessageSocket = {
      send: (data) => {
        if (open) queueMicrotask(() => client.receive(data));
      },
      on: (event: 'message' | 'close', listener: (data?: unknown) => void) => {
        (listeners[event] as ((data?: unknown) => void)[]).push(listener);
      },
    };
    return {
      socket,
      deliver: (text: string) => {
        if (open) for (const l of listeners.message) l(text);
      },
      close: () => {
        open = false;
        for (const l of listeners.close) l();
      },
    };
  };

  connect();
  return {
    client,
    disconnect() {
      server?.close();
      client.disconnected();
    },
    reconnect: connect,
  };
}
