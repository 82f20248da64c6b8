import { CodaError, toErrorShape, type CodaErrorShape } from './errors.js';
import type { AnySubscriptionEvent, AppEvent, RunEvent, Subscription } from './events.js';
import type { MethodInput, MethodName, MethodOutput } from './methods.js';
import type { CodaBridge } from './wire.js';

/** A call that failed on the other side of a bridge: a CodaError with the contract's code, plus the shape as sent. */
export class ApiError extends CodaError {
  constructor(readonly shape: CodaErrorShape) {
    super(shape.code, shape.message, shape.details);
    this.name = 'ApiError';
  }
}

/** The event a run ends with: its saved message, complete or failed. */
export type RunEnd = Extract<RunEvent, { type: 'done' | 'error' }>;

/**
 * The typed client every caller uses, over any bridge: Electron's preload (`window.coda`), serve mode's WebSocket
 * (`SocketClient`), the in-memory pair, or core itself in-process (the CLI, tests, benches). Results come typed by the
 * method's contract; a failure throws an `ApiError` carrying its code.
 */
export class CodaClient {
  constructor(readonly bridge: CodaBridge) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.bridge.invoke(method, input);
    if (!result.ok) throw new ApiError(result.error);
    return result.value;
  }

  /** Events of one run with seq > afterSeq: past ones replayed first, then live ones. */
  onRun(runId: string, afterSeq: number, onEvent: (event: RunEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    return this.subscribe(
      { topic: 'run', runId, afterSeq },
      (event) => {
        if ('seq' in event) onEvent(event);
      },
      onError,
    );
  }

  onApp(onEvent: (event: AppEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    return this.subscribe(
      { topic: 'app' },
      (event) => {
        if (!('seq' in event)) onEvent(event);
      },
      onError,
    );
  }

  /**
   * Follows a run to its end and resolves with the last event (`done` or `error`, both carrying the saved message);
   * rejects when the run cannot be followed (an unknown run, a lost connection's subscription error).
   */
  followRun(runId: string, options: { afterSeq?: number; onEvent?: (event: RunEvent) => void } = {}): Promise<RunEnd> {
    return new Promise((resolve, reject) => {
      let ended = false;
      let unsubscribe: (() => void) | null = null;
      unsubscribe = this.onRun(
        runId,
        options.afterSeq ?? 0,
        (event) => {
          if (ended) return;
          options.onEvent?.(event);
          if (event.type !== 'done' && event.type !== 'error') return;
          ended = true;
          // In-process, replayed events arrive before onRun returns; unsubscribe once it has.
          if (unsubscribe) unsubscribe();
          else queueMicrotask(() => unsubscribe?.());
          resolve(event);
        },
        (error) => {
          if (ended) return;
          ended = true;
          reject(new ApiError(error));
        },
      );
    });
  }

  /** Every transport reports a refused subscription through onError; in-process, core throws it, so it is caught here. */
  private subscribe(subscription: Subscription, onEvent: (event: AnySubscriptionEvent) => void, onError?: (error: CodaErrorShape) => void): () => void {
    try {
      return this.bridge.subscribe(subscription, onEvent, onError);
    } catch (error) {
      onError?.(toErrorShape(error));
      return () => {};
    }
  }
}
