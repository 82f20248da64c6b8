import { describe, expect, it } from 'vitest';
import { uniqueProviderCallId } from './call-ids.js';

describe('provider call ids within a turn', () => {
  it('keeps an id not yet used, and renames a repeated one to the same shape', () => {
    expect(uniqueProviderCallId('call_1', new Set())).toBe('call_1');
    // Mistral's ids are exactly 9 letters and digits; a rename must be one too.
    const mistral = uniqueProviderCallId('a1B2c3D4e', new Set(['a1B2c3D4e']));
    expect(mistral).toMatch(/^a[A-Za-z0-9]{8}$/);
    expect(mistral).not.toBe('a1B2c3D4e');
    const anthropic = uniqueProviderCallId('toolu_01ABCDEFGHIJ', new Set(['toolu_01ABCDEFGHIJ']));
    expect(anthropic).toMatch(/^toolu_01AB[A-Za-z0-9]{8}$/);
  });

  it('finds a free name even when short ids crowd the space', () => {
    const taken = new Set(['x']);
    for (let i = 0; i < 200; i++) taken.add(uniqueProviderCallId('x', taken));
    expect(taken.size).toBe(201);
    for (const id of taken) if (id !== 'x') expect(id).toMatch(/^[A-Za-z0-9]{3}$/);
  });
});
