import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after repeated failures, refuses with a wait, then lets one trial call through', () => {
    let now = 0;
    const breaker = new CircuitBreaker('Anthropic', { threshold: 3, cooldownMs: 10_000, now: () => now });
    breaker.failure();
    breaker.failure();
    expect(() => breaker.check()).not.toThrow();
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(() => breaker.check()).toThrow(/Anthropic failed 3 times in a row.*10 s/);
    now = 10_000;
    expect(breaker.state).toBe('half-open');
    expect(() => breaker.check()).not.toThrow();
    // The trial call fails: open again at once, without needing three more failures.
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 20_000;
    breaker.success();
    expect(breaker.state).toBe('closed');
  });
});
