import type { CodaErrorShape } from './errors.js';
import type { AnySubscriptionEvent, Subscription } from './events.js';
import type { MethodName, MethodOutput } from './methods.js';
import type { CodaBridge, Result, ServerMessage } from './wire.js';

interface ActiveSubscription {
  subscription: Subscription;
  onEvent: (event: AnySubscriptionEvent) => void;
  onError: ((error: CodaErrorShape) => void) | undefined;
  /** Last run event seen, so a resubscription after a reconnect resumes right after it. */
  lastSeq: number;
}

/**
 * The client half of the socket protocol, independent of any socket: the browser WebSocket (serve mode) and the
 * in-memory pair (tests) both drive it. It resumes run subscriptions from the last seq they saw after a reconnect
 * and drops any event it has already delivered, so streamed text is never lost or repeated.
 */
export class SocketClient implements CodaBridge {
  private nextId = 1;
  private send: ((text: string) => void) | null = null;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly subscriptions = new Map<number, ActiveSubscription>();
  private readonly outbox: string[] = [];

  invoke<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: Result<unknown>) => void);
      this.post(JSON.stringify({ type: 'invoke', id, method, input }));
    });
  }

  subscribe(subscription: Subscription, onEvent: (event: AnySubscriptionEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    const id = this.nextId++;
    this.subscriptions.set(id, { subscription, onEvent, onError, lastSeq: subscription.topic === 'run' ? subscription.afterSeq : 0 });
    if (this.send) this.send(subscribeMessage(id, this.subscriptions.get(id)!));
    return () => {
      if (!this.subscriptions.delete(id)) return;
      if (this.send) this.send(JSON.stringify({ type: 'unsubscribe', id }));
    };
  }

  /** A connection is up: resubscribe everything from where it left off, then send what queued while offline. */
  connected(send: (text: string) => void): void {
    this.send = send;
    for (const [id, s] of this.subscriptions) send(subscribeMessage(id, s));
    for (const text of this.outbox.splice(0)) send(text);
  }

  /** The connection dropped: calls in flight may or may not have run, so they fail rather than guess. */
  disconnected(): void {
    this.send = null;
    for (const resolve of this.pending.values()) {
      resolve({ ok: false, error: { code: 'network', message: 'The connection to Coda Agent was lost. Try again.' } });
    }
    this.pending.clear();
  }

  receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'event') {
      const s = this.subscriptions.get(message.id);
      if (!s) return;
      if ('seq' in message.event) {
        if (message.event.seq <= s.lastSeq) return;
        s.lastSeq = message.event.seq;
      }
      s.onEvent(message.event);
    } else if (message.type === 'subscription-error') {
      this.subscriptions.get(message.id)?.onError?.(message.error);
    }
  }

  private post(text: string): void {
    if (this.send) this.send(text);
    else this.outbox.push(text);
  }
}

function subscribeMessage(id: number, s: ActiveSubscription): string {
  const subscription = s.subscription.topic === 'run' ? { ...s.subscription, afterSeq: s.lastSeq } : s.subscription;
  return JSON.stringify({ type: 'subscribe', id, subscription });
}
