import { describe, expect, it } from 'vitest';
import { anthropicThinkingMode } from './anthropic-thinking.js';

describe('which thinking an Anthropic model takes', () => {
  it('reads it from the model id, dated or not', () => {
    const modes = Object.fromEntries(
      [
        'claude-3-5-haiku-latest',
        'claude-3-opus-20240229',
        'claude-3-7-sonnet-20250219',
        'claude-sonnet-4-20250514',
        'claude-opus-4-1-20250805',
        'claude-haiku-4-5',
        'claude-sonnet-4-6',
        'claude-opus-4-6',
        'claude-opus-4-7',
        'claude-sonnet-5',
        'claude-fable-5-1',
      ].map((model) => [model, anthropicThinkingMode(model)]),
    );
    expect(modes).toEqual({
      'claude-3-5-haiku-latest': 'none',
      'claude-3-opus-20240229': 'none',
      'claude-3-7-sonnet-20250219': 'budget',
      'claude-sonnet-4-20250514': 'budget',
      'claude-opus-4-1-20250805': 'budget',
      'claude-haiku-4-5': 'budget',
      'claude-sonnet-4-6': 'budget-or-adaptive',
      'claude-opus-4-6': 'budget-or-adaptive',
      'claude-opus-4-7': 'adaptive',
      'claude-sonnet-5': 'adaptive',
      'claude-fable-5-1': 'adaptive',
    });
  });
});
