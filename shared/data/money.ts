/**
 * Dollars as people read them: cents from $1 up, and three significant digits below, so a small answer ($0.00293)
 * or a small limit ($0.001) never shows as $0.00 beside another that does not.
 */
export function formatUsd(value: number): string {
  if (value === 0 || value >= 1) return `$${value.toFixed(2)}`;
  if (value < 0.000001) return '<$0.000001';
  return `$${value.toPrecision(3)}`;
}
