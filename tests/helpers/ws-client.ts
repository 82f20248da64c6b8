import { once } from 'node:events';
import WebSocket from 'ws';
import { CodaClient, SocketClient } from '../../shared/index.js';

export interface WebSocketClient {
  /** The typed client over the socket. */
  client: CodaClient;
  /** The protocol half underneath, for tests of what the typed client cannot send (malformed input). */
  socket: SocketClient;
  close(): Promise<void>;
}

/** The shared socket client over a real WebSocket to serve mode (`ws://…/ws?token=…`), driven as the renderer's ws-bridge drives it. */
export async function connectWebSocket(url: string): Promise<WebSocketClient> {
  const ws = new WebSocket(url);
  const socket = new SocketClient();
  ws.on('message', (data) => socket.receive(String(data)));
  ws.on('close', () => socket.disconnected());
  await once(ws, 'open');
  socket.connected((text) => ws.send(text));
  return {
    client: new CodaClient(socket),
    socket,
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = once(ws, 'close');
      ws.close();
      await closed;
    },
  };
}
