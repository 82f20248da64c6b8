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
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.retryMs = 250;
      this.setState('open');
      this.connected((text) => socket.send(text));
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => {
      this.disconnected();
      if (opened) return this.reconnect();
      // The server refuses a bad token in the handshake, which a page cannot read; it asks plainly instead.
      void this.tokenRefused().then((refused) => (refused ? this.setState('refused') : this.reconnect()));
    });
  }

  private reconnect(): void {
    this.setState('reconnecting');
    setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }

  /** True when the server answers that this page's token is not its own (retrying with it cannot succeed). */
  private async tokenRefused(): Promise<boolean> {
    try {
      const response = await fetch(this.url.replace(/^ws/, 'http'), { cache: 'no-store' });
      return response.status === 401;
    } catch {
      return false; // the server is away (restarting, say): keep trying
    }
  }
}
