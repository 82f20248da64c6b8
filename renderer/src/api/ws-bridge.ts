import { SocketClient } from '../../../shared/contract/socket-client.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'refused';

/** Serve mode's transport: the shared socket client over a browser WebSocket that reconnects with backoff. */
export class WebSocketBridge extends SocketClient {
  private retryMs = 250;
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  constructor(private readonly url: string) {
    super();
    this.connect();
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    socket.addEventListener('open', () => {
      this.retryMs = 250;
      this.setState('open');
      this.connected((text) => socket.send(text));
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => {
      this.disconnected();
      // 4401: the token was refused; retrying with the same one cannot succeed.
      if (event.code === 4401) return this.setState('refused');
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5_000);
    });
  }
}
