import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../../shared/index.js';
import { filterOptions, modelOptions } from './model-options.js';

type ListedModel = MethodOutput<'models.list'>['models'][number];

const info = { contextWindow: 1_047_576, maxOutput: 32_768, tools: true, images: true, reasoning: false };
const models: ListedModel[] = [
  { provider: 'openai', id: 'gpt-4.1-mini', label: 'GPT-4.1 mini', info, price: { input: 0.4, cachedInput: 0.1, cacheWrite: 0, output: 1.6 }, source: 'both' },
  { provider: 'ollama', id: 'llama3.2', label: 'llama3.2', info: null, price: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 }, source: 'provider' },
  ...Array.from({ length: 300 }, (_, i): ListedModel => ({
    provider: 'openrouter',
    id: `vendor${i % 7}/model-${i}`,
    label: `Model ${i}`,
    info: null,
    price: null,
    source: 'provider',
  })),
];

describe('the model picker options', () => {
  it('shows capabilities, context window and price per million tokens, grouped by provider name', () => {
    const options = modelOptions(models, { provider: 'openai', model: 'gpt-4.1-mini' });
    const mini = options.find((o) => o.value === 'openai/gpt-4.1-mini');
    expect(mini).toMatchObject({ providerLabel: 'OpenAI', badges: ['tools', 'vision', '1M context'], price: '$0.40 / $1.60' });
    expect(options.find((o) => o.provider === 'ollama')?.price).toBe('free');
    expect(options.find((o) => o.provider === 'openrouter')?.price).toBe('price unknown');
    expect([...new Set(options.map((o) => o.providerLabel))]).toEqual(['Ollama', 'OpenAI', 'OpenRouter']);
  });

  it('keeps the current model when no list offers it', () => {
    const options = modelOptions(models, { provider: 'anthropic', model: 'claude-custom' });
    expect(options.map((o) => o.value)).toContain('anthropic/claude-custom');
  });

  it('finds a model among 300 by any words of its provider, id or name', () => {
    const options = modelOptions(models, { provider: 'openai', model: 'gpt-4.1-mini' });
    expect(filterOptions(options, 'router model-42').map((o) => o.id)).toEqual(['vendor0/model-42']);
    expect(filterOptions(options, 'OPENAI mini').map((o) => o.value)).toEqual(['openai/gpt-4.1-mini']);
    expect(filterOptions(options, '')).toHaveLength(options.length);
  });
});
