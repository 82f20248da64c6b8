import { CodaClient } from '../../../shared/index.js';
import { WebSocketBridge, type ConnectionState } from './ws-bridge.js';

export { ApiError } from '../../../shared/index.js';

/** The shared typed client, plus what only the renderer has: the state of serve mode's socket for the banner. */
export class RendererClient extends CodaClient {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.bridge instanceof WebSocketBridge ? this.bridge.onStateChange(listener) : () => {};
  }
}

const TOKEN_KEY = 'coda.serve.token';

/** Picks the transport: the preload's bridge in Electron, else serve mode's socket with the token from the URL. */
export function createClient(): RendererClient {
  if (window.coda) return new RendererClient(window.coda);
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, history and screenshots; reloads read it from sessionStorage.
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new RendererClient(new WebSocketBridge(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`));
}

export const api = createClient();
