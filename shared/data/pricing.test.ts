import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS_MODEL, defaultModels, modelCatalog } from './models.js';
import { costOf, freeProviders, modelPrices, priceOf } from './pricing.js';
import { providerPresets } from './providers.js';

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

describe('prices', () => {
  it('prices every model in the catalog, or knows its provider is free', () => {
    const unpriced = modelCatalog
      .filter((m) => !(`${m.provider}/${m.id}` in modelPrices) && !freeProviders.has(m.provider))
      .map((m) => `${m.provider}/${m.id}`);
    expect(unpriced).toEqual([]);
  });

  it('prices the model every new chat and every provider starts on', () => {
    expect(costOf(DEFAULT_SETTINGS_MODEL.provider, DEFAULT_SETTINGS_MODEL.model, usage)).toBeGreaterThan(0);
    for (const [provider, model] of Object.entries(defaultModels)) expect(costOf(provider, model, usage), `${provider}/${model}`).toBeGreaterThan(0);
  });

  it('keeps no price for a model the catalog does not know, and no free provider that is not a local one', () => {
    const catalog = new Set(modelCatalog.map((m) => `${m.provider}/${m.id}`));
    expect(Object.keys(modelPrices).filter((key) => !catalog.has(key))).toEqual([]);
    const local = providerPresets.filter((p) => !p.needsKey && p.baseUrl?.startsWith('http://localhost')).map((p) => p.id);
    expect([...freeProviders].sort()).toEqual([...local].sort());
  });

  it('charges nothing on a local server unless the user set a price, and says "unknown" for an unknown hosted model', () => {
    expect(costOf('ollama', 'llama3.3:70b', usage)).toBe(0);
    expect(costOf('vllm', 'my-model', usage, { 'vllm/my-model': { input: 1, cachedInput: 0, cacheWrite: 0, output: 2 } })).toBe(3);
    expect(priceOf('openrouter', 'meta-llama/llama-3.3-70b')).toBeNull();
    expect(costOf('anthropic', 'claude-unknown', usage)).toBeNull();
  });

  it("bills Anthropic's cache reads and writes apart from fresh input", () => {
    const cached = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 600_000, cacheWriteTokens: 100_000, reasoningTokens: 0 };
    // 300k fresh at $3, 600k read at $0.30, 100k written at $3.75.
    expect(costOf('anthropic', 'claude-sonnet-4-6', cached)).toBeCloseTo(0.9 + 0.18 + 0.375, 10);
  });
});
