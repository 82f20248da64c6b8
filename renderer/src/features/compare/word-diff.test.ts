import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.js';

describe('word diff of two answers', () => {
  it('marks the words only one side has, and each side joins back to its text', () => {
    const diff = wordDiff('Green is a calm colour.', 'Red is a bold colour.');
    expect(diff).not.toBeNull();
    expect(diff!.left.map((p) => p.text).join('')).toBe('Green is a calm colour.');
    expect(diff!.right.map((p) => p.text).join('')).toBe('Red is a bold colour.');
    expect(diff!.left.filter((p) => p.changed).map((p) => p.text.trim())).toEqual(['Green', 'calm']);
    expect(diff!.right.filter((p) => p.changed).map((p) => p.text.trim())).toEqual(['Red', 'bold']);
  });

  it('marks nothing when the texts are the same, and everything against an empty side', () => {
    expect(wordDiff('Same words.', 'Same words.')!.left.every((p) => !p.changed)).toBe(true);
    const diff = wordDiff('', 'Only here.');
    expect(diff!.left).toEqual([]);
    expect(diff!.right.every((p) => p.changed)).toBe(true);
  });
});
