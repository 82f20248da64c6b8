import { describe, expect, it } from 'vitest';
import { formatUsd } from './money.js';

describe('formatUsd', () => {
  it('shows cents from a dollar up and three significant digits below, never a small amount as $0.00', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(1.4994)).toBe('$1.50');
    expect(formatUsd(0.7497)).toBe('$0.750');
    expect(formatUsd(0.00293)).toBe('$0.00293');
    expect(formatUsd(0.001)).toBe('$0.00100');
    expect(formatUsd(0.00000004)).toBe('<$0.000001');
  });
});
