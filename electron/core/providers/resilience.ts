import { CodaError, RETRYABLE_CODES, toErrorShape } from '../../../shared/index.js';
import { CircuitBreaker } from '../util/circuit-breaker.js';
import { cancelled } from './errors.js';
import { isContent, type ChatProvider, type ChatRequest, type CountRequest, type ModelListing, type ProviderStreamEvent } from './types.js';

export interface ResiliencePolicy {
  /** Extra attempts after a retryable failure, only while nothing has reached the user. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A retry-after longer than this is not waited out: the user sees the error and when to try again. */
  maxRetryAfterMs: number;
  /** Until the provider accepts the request (response headers). */
  connectTimeoutMs: number;
  /** From acceptance to the first text, reasoning or tool call. */
  firstTokenTimeoutMs: number;
  /** Longest silence between two chunks once the answer has started. */
  idleTimeoutMs: number;
  breaker: { threshold: number; cooldownMs: number };
}

export const DEFAULT_POLICY: ResiliencePolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  connectTimeoutMs: 30_000,
  // Reasoning models may think for minutes before the first visible token.
  firstTokenTimeoutMs: 180_000,
  idleTimeoutMs: 90_000,
  breaker: { threshold: 5, cooldownMs: 30_000 },
};

/**
 * Wraps any provider with the same fault handling: timeouts for connecting, for the first token and for silence,
 * retries with exponential backoff and full jitter that honour retry-after (only before the first token reached
 * the user, so nothing is shown twice), and a circuit breaker per provider.
 */
export class ResilientProvider implements ChatProvider {
  readonly id: string;
  readonly breaker: CircuitBreaker;
  /** Only where the provider counts tokens itself; bounded like a connection, and never retried (it is only an estimate). */
  readonly countTokens?: (request: CountRequest) => Promise<number>;

  constructor(
    private readonly inner: ChatProvider,
    label: string,
    private readonly policy: ResiliencePolicy = DEFAULT_POLICY,
    private readonly random: () => number = Math.random,
  ) {
    this.id = inner.id;
    this.breaker = new CircuitBreaker(label, policy.breaker);
    const count = inner.countTokens?.bind(inner);
    if (count) this.countTokens = (request) => count({ ...request, signal: AbortSignal.any([request.signal, AbortSignal.timeout(policy.connectTimeoutMs)]) });
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    for (let attempt = 0; ; attempt++) {
      this.breaker.check();
      let delivered = false;
      try {
        for await (const event of this.attempt(request)) {
          if (isContent(event)) delivered = true;
          yield event;
        }
        this.breaker.success();
        return;
      } catch (error) {
        const failure = error instanceof CodaError ? error : new CodaError('internal', String(error));
        if (failure.code === 'cancelled' || request.signal.aborted) throw cancelled();
        const retryable = RETRYABLE_CODES.has(failure.code);
        if (retryable) this.breaker.failure();
        const delayMs = this.delayBeforeRetry(failure, attempt);
        if (delivered || !retryable || attempt >= this.policy.maxRetries || delayMs === null) throw failure;
        yield { type: 'retry', attempt: attempt + 1, delayMs, error: toErrorShape(failure) };
        await sleep(delayMs, request.signal);
      }
    }
  }

  complete(request: ChatRequest): Promise<string> {
    this.breaker.check();
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(this.policy.connectTimeoutMs + this.policy.firstTokenTimeoutMs)]);
    return this.inner.complete({ ...request, signal });
  }

  listModels(signal: AbortSignal): Promise<ModelListing[]> {
    return this.inner.listModels(AbortSignal.any([signal, AbortSignal.timeout(this.policy.connectTimeoutMs)]));
  }

  /**
   * One attempt, with its three timeouts enforced by aborting the request. Connect and first-token both count from
   * the start: some SDKs (Gemini's) only return once the first chunk has arrived, so "connected" cannot start a clock.
   */
  private async *attempt(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    const controller = new AbortController();
    let timedOut: CodaError | null = null;
    const timers = new Map<'connect' | 'first' | 'idle', NodeJS.Timeout>();
    const arm = (name: 'connect' | 'first' | 'idle', ms: number, message: string) => {
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => {
          timedOut = new CodaError('timeout', message, { provider: this.id, afterMs: ms });
          controller.abort(timedOut);
        }, ms),
      );
    };
    const disarm = (name: 'connect' | 'first' | 'idle') => clearTimeout(timers.get(name));
    const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
    const { connectTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs } = this.policy;
    arm('connect', connectTimeoutMs, `The provider did not accept the request within ${seconds(connectTimeoutMs)}.`);
    arm('first', firstTokenTimeoutMs, `The model did not start answering within ${seconds(firstTokenTimeoutMs)}.`);
    try {
      for await (const event of this.inner.stream({ ...request, signal: AbortSignal.any([request.signal, controller.signal]) })) {
        if (event.type === 'connected') disarm('connect');
        if (isContent(event)) {
          disarm('connect');
          disarm('first');
          arm('idle', idleTimeoutMs, `The answer stopped for more than ${seconds(idleTimeoutMs)}.`);
        }
        yield event;
      }
    } catch (error) {
      if (timedOut) throw timedOut;
      throw error;
    } finally {
      for (const timer of timers.values()) clearTimeout(timer);
    }
  }

  /** Exponential backoff with full jitter, never shorter than the provider's retry-after; null when not worth waiting. */
  private delayBeforeRetry(error: CodaError, attempt: number): number | null {
    const retryAfter = Number(error.details?.['retryAfterSeconds']);
    const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt) * this.random();
    if (!Number.isFinite(retryAfter)) return Math.round(backoff);
    const wait = retryAfter * 1000;
    return wait > this.policy.maxRetryAfterMs ? null : Math.round(Math.max(wait, backoff));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
