import { CodaError } from '../../../shared/index.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** How long an open circuit refuses calls before letting one through to test the provider. */
  cooldownMs: number;
  now?: () => number;
}

/**
 * Stops hammering a provider that keeps failing: after `threshold` retryable failures in a row, calls fail at once
 * for `cooldownMs`; then one call is let through, and its outcome closes or re-opens the circuit.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private readonly now: () => number;

  constructor(
    private readonly label: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Throws while the circuit is open. */
  check(): void {
    if (this.state !== 'open' || this.openedAt === null) return;
    const retryAfterSeconds = Math.ceil((this.openedAt + this.options.cooldownMs - this.now()) / 1000);
    throw new CodaError(
      'provider_overloaded',
      `${this.label} failed ${this.failures} times in a row, so Coda is pausing requests to it for ${retryAfterSeconds} s.`,
      { retryAfterSeconds, circuit: 'open' },
    );
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  failure(): void {
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.options.threshold) this.openedAt = this.now();
  }
}
