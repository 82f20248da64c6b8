import type { AnySubscriptionEvent, AppEvent, CodaBridge, CodaErrorShape, MethodName, MethodOutput, RunEvent, Subscription } from '../../../shared/index.js';
import type { MethodInput } from '../../../shared/index.js';
import { WebSocketBridge, type ConnectionState } from './ws-bridge.js';

/** A failed call, carrying the contract's error code for the UI to branch on. */
export class ApiError extends Error {
  constructor(readonly shape: CodaErrorShape) {
    super(shape.message);
  }
}

/** The typed client every feature uses; the same over Electron IPC and over serve mode's WebSocket. */
export class CodaClient {
  constructor(private readonly bridge: CodaBridge) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.bridge.invoke(method, input);
    if (!result.ok) throw new ApiError(result.error);
    return result.value;
  }

  onRun(runId: string, afterSeq: number, onEvent: (event: RunEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    return this.subscribe({ topic: 'run', runId, afterSeq }, (e) => onEvent(e as RunEvent), onError);
  }

  onApp(onEvent: (event: AppEvent) => void): () => void {
    return this.subscribe({ topic: 'app' }, (e) => onEvent(e as AppEvent));
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.bridge instanceof WebSocketBridge ? this.bridge.onStateChange(listener) : () => {};
  }

  private subscribe(subscription: Subscription, onEvent: (event: AnySubscriptionEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    return this.bridge.subscribe(subscription, onEvent, onError);
  }
}

const TOKEN_KEY = 'coda.serve.token';

/** Picks the transport: the preload's bridge in Electron, else serve mode's socket with the token from the URL. */
export function createClient(): CodaClient {
  if (window.coda) return new CodaClient(window.coda);
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
  return new CodaClient(new WebSocketBridge(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`));
}

export const api = createClient();
